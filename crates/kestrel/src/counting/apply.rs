//! Counting the objects in an image: score map from the examples' templates, peaks,
//! suppression; and the model's stored examples.

use crate::counting::NAME;
use crate::counting::examples::{ExampleImage, PreparedExamples};
use crate::counting::features::Scaling;
use crate::counting::net::CountingNet;
use crate::counting::params::CountingParams;
use crate::counting::peaks::{ScoreMap, suppress};
use crate::counting::result::{CountResult, CountedObject};
use crate::counting::similarity::similarity_map;
use crate::device::devices_of;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::network::Network;
use burn::module::{Module, Param};
use burn::tensor::{Tensor, TensorData};
use image::DynamicImage;
use kestrel_image::read_image;
use std::path::{Path, PathBuf};

impl Model {
    /// The counting network, when this is a deep-counting model.
    pub fn counting_net(&self) -> Option<&CountingNet> {
        (self.params.model_type == NAME)
            .then(|| self.network.get::<CountingNet>())
            .flatten()
    }

    /// Prepares examples (boxes on one or more images) without storing them.
    pub fn prepare_examples(&self, images: &[ExampleImage<'_>]) -> Result<PreparedExamples> {
        let net = self.counting_net().ok_or_else(|| self.wrong_method("count objects"))?;
        let section: CountingParams = self.params.section()?;
        net.prepare(images, &self.params.preprocess(), &section)
    }

    /// Prepares the model with example boxes: their templates and sizes are stored, so
    /// [`Model::count_objects`] counts objects like them in any image.
    pub fn prepare_counting(&mut self, images: &[ExampleImage<'_>]) -> Result<PreparedExamples> {
        let prepared = self.prepare_examples(images)?;
        let net = self.network.expect::<CountingNet>()?;
        let device = devices_of(net);
        let width = prepared.templates[0].len();
        let values: Vec<f32> = prepared.templates.concat();
        let mut updated = net.clone();
        updated.templates = Param::from_tensor(Tensor::<2>::from_data(
            TensorData::new(values, [prepared.templates.len(), width]),
            &device,
        ))
        .set_require_grad(false);
        self.network = Network::new(self.network.prefix(), updated.no_grad());
        let mut section: CountingParams = self.params.section()?;
        section.example_width = Some(prepared.width as f32);
        section.example_height = Some(prepared.height as f32);
        section.reference_score = Some(prepared.reference);
        self.params.set_section(&section);
        Ok(prepared)
    }

    /// The examples stored by [`Model::prepare_counting`].
    pub fn stored_examples(&self) -> Result<PreparedExamples> {
        let net = self.counting_net().ok_or_else(|| self.wrong_method("count objects"))?;
        let section: CountingParams = self.params.section()?;
        let (width, height, reference) = section.prepared()?;
        let [rows, cols] = net.templates.val().dims();
        let values = net
            .templates
            .val()
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .map_err(|e| Error::Dataset(format!("reading the templates: {e:?}")))?;
        Ok(PreparedExamples {
            templates: values.chunks_exact(cols).take(rows).map(<[f32]>::to_vec).collect(),
            width: f64::from(width),
            height: f64::from(height),
            reference,
        })
    }

    /// Counts the objects like `examples` in a decoded image (`path` names it).
    pub fn count_objects(&self, img: &DynamicImage, path: &Path, examples: &PreparedExamples) -> Result<CountResult> {
        let net = self.counting_net().ok_or_else(|| self.wrong_method("count objects"))?;
        let section: CountingParams = self.params.section()?;
        let (w, h) = (img.width(), img.height());
        let mut maps = Vec::new();
        for scale in section.scales() {
            let scaling = Scaling::for_examples(w, h, examples.side() * f64::from(scale), &section);
            let map = net.feature_map(img, path, scaling, &self.params.preprocess(), &section)?;
            let similarity = similarity_map(&map, &examples.templates);
            maps.push(ScoreMap {
                width: map.width,
                height: map.height,
                cell_width: map.stride as f64 / scaling.sx,
                cell_height: map.stride as f64 / scaling.sy,
                values: similarity.iter().map(|s| s / examples.reference).collect(),
                scales: vec![scale; map.width * map.height],
            });
        }
        // The smallest size has the finest map: the others are compared on its cells.
        let mut scores = maps.remove(0).upsampled();
        scores.take_best_of(&maps);
        let peaks = scores.local_maxima(section.min_score);
        let kept = suppress(
            &peaks,
            examples.width,
            examples.height,
            section.max_overlap,
            section.max_num_objects,
        );
        let objects: Vec<CountedObject> = kept
            .iter()
            .map(|p| CountedObject::at(p, examples.width * f64::from(p.scale), examples.height * f64::from(p.scale)))
            .collect();
        Ok(CountResult {
            image: path.to_path_buf(),
            count: objects.len(),
            objects,
            score_map: scores,
        })
    }

    /// Counts the objects like the stored examples in each image file.
    pub fn count_image_files(&self, paths: &[PathBuf]) -> Result<Vec<CountResult>> {
        let examples = self.stored_examples()?;
        paths
            .iter()
            .map(|path| self.count_objects(&read_image(path)?, path, &examples))
            .collect()
    }
}
