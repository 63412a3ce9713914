//! Preparing examples: feature templates cut from example boxes, and the score they give
//! each other (the unit of every score).

use crate::counting::features::{FeatureMap, Scaling};
use crate::counting::net::{CountingNet, TEMPLATE_CELLS};
use crate::counting::params::CountingParams;
use crate::counting::similarity::{similarity_map, template};
use crate::error::{Error, Result};
use image::DynamicImage;
use kestrel_data::{Dataset, MIN_EXEMPLAR_SIDE, Sample};
use kestrel_image::read_image;
use kestrel_image::PreprocessParams;
use std::path::{Path, PathBuf};

/// Example boxes on one image.
pub struct ExampleImage<'a> {
    /// The decoded image.
    pub image: &'a DynamicImage,
    /// Its file (names it in errors).
    pub path: &'a Path,
    /// The example boxes `[row1, col1, row2, col2]` in image pixels (row2/col2
    /// exclusive).
    pub boxes: &'a [[f64; 4]],
}

/// Examples ready to count with.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedExamples {
    /// One unit-length feature template per example box.
    pub templates: Vec<Vec<f32>>,
    /// The examples' mean width, image pixels.
    pub width: f64,
    /// The examples' mean height, image pixels.
    pub height: f64,
    /// The examples' mean similarity to all templates at their own place: a score of 1.
    pub reference: f32,
}

impl PreparedExamples {
    /// The side of a square with the examples' mean area (what images are scaled by).
    pub fn side(&self) -> f64 {
        (self.width * self.height).sqrt()
    }
}

/// Checks every example box of every image; all problems are reported at once, naming
/// the image and the box.
pub fn check_boxes(images: &[ExampleImage<'_>]) -> Result<()> {
    let mut problems = Vec::new();
    if images.iter().all(|i| i.boxes.is_empty()) {
        return Err(Error::Dataset(
            "no example box: deep counting needs at least one box around an object to count".into(),
        ));
    }
    for example in images {
        let (w, h) = (f64::from(example.image.width()), f64::from(example.image.height()));
        for (i, b) in example.boxes.iter().enumerate() {
            let [r1, c1, r2, c2] = *b;
            let name = format!("{} example box {i} [{r1}, {c1}, {r2}, {c2}]", example.path.display());
            if b.iter().any(|v| !v.is_finite()) {
                problems.push(format!("{name}: not a number"));
            } else if r1 < 0.0 || c1 < 0.0 || r2 > h || c2 > w {
                problems.push(format!("{name}: outside the {w}x{h} image"));
            } else if r2 - r1 < MIN_EXEMPLAR_SIDE || c2 - c1 < MIN_EXEMPLAR_SIDE {
                problems.push(format!(
                    "{name}: smaller than {MIN_EXEMPLAR_SIDE} pixels on a side"
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Dataset(problems.join("\n")))
    }
}

impl CountingNet {
    /// Templates of the example boxes of every image and their reference score.
    pub fn prepare(
        &self,
        images: &[ExampleImage<'_>],
        input: &PreprocessParams,
        params: &CountingParams,
    ) -> Result<PreparedExamples> {
        check_boxes(images)?;
        let boxes: Vec<&[f64; 4]> = images.iter().flat_map(|i| i.boxes).collect();
        let n = boxes.len() as f64;
        let width = boxes.iter().map(|b| b[3] - b[1]).sum::<f64>() / n;
        let height = boxes.iter().map(|b| b[2] - b[0]).sum::<f64>() / n;
        let side = (width * height).sqrt();
        let mut maps = Vec::new();
        let mut templates = Vec::new();
        for example in images.iter().filter(|i| !i.boxes.is_empty()) {
            let (w, h) = (example.image.width(), example.image.height());
            let scaling = Scaling::for_examples(w, h, side, params);
            let map = self.feature_map(example.image, example.path, scaling, input, params)?;
            templates.extend(example.boxes.iter().map(|b| template(&map, scaling, *b)));
            maps.push((map, scaling, example.boxes));
        }
        let mut scores = Vec::new();
        for (map, scaling, boxes) in &maps {
            let similarity = similarity_map(map, &templates);
            scores.extend(boxes.iter().map(|b| best_near_centre(map, *scaling, &similarity, b)));
        }
        let reference = scores.iter().sum::<f32>() / scores.len() as f32;
        if !(reference.is_finite() && reference > 0.0) {
            return Err(Error::Dataset(format!(
                "the example boxes are not alike (similarity {reference:.3}): mark boxes around \
                 objects of one kind"
            )));
        }
        Ok(PreparedExamples {
            templates,
            width,
            height,
            reference,
        })
    }
}

/// The highest similarity within one cell of a box's centre cell.
fn best_near_centre(map: &FeatureMap, scaling: Scaling, similarity: &[f32], b: &[f64; 4]) -> f32 {
    let s = map.stride as f64;
    let row = (((b[0] + b[2]) / 2.0 * scaling.sy / s) as usize).min(map.height - 1);
    let col = (((b[1] + b[3]) / 2.0 * scaling.sx / s) as usize).min(map.width - 1);
    let reach = TEMPLATE_CELLS / 2;
    let mut best = f32::MIN;
    for r in row.saturating_sub(reach)..=(row + reach).min(map.height - 1) {
        for c in col.saturating_sub(reach)..=(col + reach).min(map.width - 1) {
            best = best.max(similarity[r * map.width + c]);
        }
    }
    best
}

/// A dataset sample's example boxes with its decoded image.
pub struct LoadedExamples {
    /// The decoded image.
    pub image: DynamicImage,
    /// Its file.
    pub path: PathBuf,
    /// Its example boxes.
    pub boxes: Vec<[f64; 4]>,
}

impl LoadedExamples {
    /// The samples that have example boxes, their images decoded; an error names the
    /// sample whose example fields are malformed.
    pub fn from_samples(dataset: &Dataset, samples: &[&Sample]) -> Result<Vec<Self>> {
        let mut loaded = Vec::new();
        for sample in samples {
            let boxes = sample.exemplar_boxes().map_err(|e| {
                Error::Dataset(format!("sample {} ({}): {e}", sample.image_id, sample.image_file_name))
            })?;
            if !boxes.is_empty() {
                let path = dataset.image_path(sample);
                loaded.push(Self { image: read_image(&path)?, path, boxes });
            }
        }
        Ok(loaded)
    }

    /// The examples as [`ExampleImage`]s for preparing a model.
    pub fn borrowed(loaded: &[Self]) -> Vec<ExampleImage<'_>> {
        loaded
            .iter()
            .map(|l| ExampleImage { image: &l.image, path: &l.path, boxes: &l.boxes })
            .collect()
    }
}
