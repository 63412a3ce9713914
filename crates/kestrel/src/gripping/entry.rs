//! Gripping-point detection's entry in the method registry.

use super::params::GrippingParams;
use super::{GRIPPING_CLASS, GrippingNet, NAME};
use crate::error::{Error, Result};
use crate::method::{InferOptions, Method, MethodKind, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::{ModelParams, section_fields};
use crate::train::{TrainOptions, TrainSummary, train_network};
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_image::{AugmentParams, Mirror};
use kestrel_nn::BackboneKind;
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The tensor-name prefix of gripping networks in model files.
const PREFIX: &str = "Gripping";

/// 3D gripping point detection: gripping map, grasp angle and width per pixel from colour
/// and depth; gripping points with 3D poses.
pub struct GrippingMethod;

/// Default parameters for gripping-point detection with `backbone`: 320x240 colour with
/// ImageNet normalisation, batch 8, Adam 1e-3 with a cosine schedule for 250 epochs, and
/// augmentation that keeps the geometry consistent (mirrors, rotations up to ±30°, crops
/// up to 10 %, brightness and contrast).
pub fn gripping_params(backbone: BackboneKind) -> ModelParams {
    let mut params = ModelParams {
        model_type: MethodKind::of(&GrippingMethod),
        image_width: 320,
        image_height: 240,
        batch_size: 8,
        epochs: 250,
        augmentation: AugmentParams {
            percentage: 90.0,
            mirror: Mirror::Both,
            rotate_90: false,
            rotation_range_deg: 30.0,
            brightness: 0.1,
            contrast: 0.1,
            saturation: 0.0,
            crop_percentage: 10.0,
            blur: 0.0,
        },
        ..ModelParams::classification(backbone, vec![GRIPPING_CLASS.into()])
    };
    params.complete_method_params();
    params
}

impl Method for GrippingMethod {
    fn name(&self) -> &'static str {
        NAME
    }

    fn description(&self) -> &'static str {
        "where to grip: gripping map, grasp angle and width from image + depth; points with 3D poses"
    }

    fn default_params(&self, backbone: BackboneKind, _dataset: &Dataset) -> ModelParams {
        gripping_params(backbone)
    }

    fn extra_params(&self) -> Map<String, Value> {
        section_fields(&GrippingParams::default())
    }

    fn validate_params(&self, params: &ModelParams) -> Result<()> {
        params.section::<GrippingParams>()?.validate()
    }

    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network> {
        let mut net = GrippingNet::new(
            params.backbone_kind()?,
            params.image_num_channels as usize,
            device,
        );
        if let Some(backbone) = init.backbone {
            net.backbone = backbone;
        }
        Ok(Network::new(PREFIX, net))
    }

    /// Sets `jaw_size_ratio` to the median jaw size over opening width of the training
    /// split's good grasps (unless resuming), then trains.
    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary> {
        if !options.resume {
            let mut ratios = Vec::new();
            for sample in dataset.samples_in(Split::Train) {
                for g in sample.grasps()?.iter().filter(|g| g.positive) {
                    if g.rect.length1 > 0.0 && g.rect.length2.is_finite() {
                        ratios.push(g.rect.length2 / g.rect.length1);
                    }
                }
            }
            if !ratios.is_empty() {
                ratios.sort_by(f64::total_cmp);
                let mut section: GrippingParams = model.params.section()?;
                section.jaw_size_ratio = ratios[ratios.len() / 2].clamp(0.05, 10.0) as f32;
                model.params.set_section(&section);
            }
        }
        let (method, _) = model
            .gripping()
            .ok_or_else(|| model.wrong_method("be trained as a gripping model"))?;
        train_network(&method, model, dataset, options)
    }

    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>> {
        Ok(Box::new(model.evaluate_gripping(dataset, split, batch_size)?))
    }

    /// Every scene of each gripping dataset file given (`.json`); an image file alone is
    /// an error, since its depth and camera are needed.
    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>> {
        let mut results = Vec::new();
        for path in paths {
            let is_json = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"));
            if !is_json {
                return Err(Error::Dataset(format!(
                    "{}: gripping-point detection reads each scene's image with its depth \
                     image and camera: give a gripping dataset file (`kestrel dataset import \
                     --kind gripping`) instead of images",
                    path.display()
                )));
            }
            let dataset = Dataset::load(path)?;
            let samples: Vec<_> = dataset.samples.iter().collect();
            results.extend(model.find_gripping_points(&dataset, &samples, options.batch_size)?);
        }
        Ok(Box::new(results))
    }
}
