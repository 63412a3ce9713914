//! Segmentation inference: a label image and per-class pixel counts per image.

use crate::error::Result;
use crate::loader::Loader;
use crate::method::{ImageResult, picture_stem};
use crate::model::Model;
use crate::predict::predict_paths;
use crate::segmentation::{EDGES_NAME, NAME, Segmentation, SegmentationParams};
use kestrel_image::{
    LabelImage, default_palette, label_overlay, load_resized, save_png, write_label_png,
};
use kestrel_nn::SegmentationNet;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The segmentation of one image.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentedImage {
    /// The image file.
    pub image: PathBuf,
    /// Pixels per class name (at the model's input size).
    pub class_pixels: BTreeMap<String, usize>,
    /// Mean confidence of the chosen class over all pixels.
    pub mean_confidence: f32,
    /// Class index per pixel at the model's input size.
    #[serde(skip)]
    pub labels: LabelImage,
    /// Confidence per pixel.
    #[serde(skip)]
    pub confidences: Vec<f32>,
}

impl Model {
    /// The segmentation method and network, for a `segmentation` or `edge_extraction` model.
    pub fn segmentation(&self) -> Option<(Segmentation, &SegmentationNet)> {
        if self.params.model_type != NAME && self.params.model_type != EDGES_NAME {
            return None;
        }
        let net = self.network.get::<SegmentationNet>()?;
        let method = Segmentation {
            class_ids: self.params.class_ids.clone(),
            class_names: self.params.class_names.clone(),
            ignore_class_ids: self
                .params
                .section::<SegmentationParams>()
                .ok()?
                .ignore_class_ids,
            class_weights: vec![1.0; self.params.class_names.len()],
            width: self.params.image_width,
            height: self.params.image_height,
        };
        Some((method, net))
    }

    /// Segments image files, each preprocessed as the model's parameters say.
    pub fn segment(&self, paths: &[PathBuf], batch_size: usize) -> Result<Vec<SegmentedImage>> {
        let (method, net) = self
            .segmentation()
            .ok_or_else(|| self.wrong_method("segment images"))?;
        let loader = Loader::plain(self.params.preprocess());
        let predictions =
            predict_paths(&method, net, &loader, Arc::new(paths.to_vec()), batch_size)?;
        Ok(paths
            .iter()
            .zip(predictions)
            .map(|(path, p)| {
                let mut class_pixels = BTreeMap::new();
                for &label in &p.labels {
                    *class_pixels
                        .entry(method.class_names[label as usize].clone())
                        .or_insert(0) += 1;
                }
                let mean_confidence =
                    p.confidences.iter().sum::<f32>() / p.confidences.len().max(1) as f32;
                SegmentedImage {
                    image: path.clone(),
                    class_pixels,
                    mean_confidence,
                    labels: LabelImage {
                        width: method.width,
                        height: method.height,
                        data: p.labels,
                    },
                    confidences: p.confidences,
                }
            })
            .collect())
    }
}

impl ImageResult for SegmentedImage {
    /// `image: class pixels, …`.
    fn line(&self) -> String {
        let counts: Vec<String> = self
            .class_pixels
            .iter()
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        format!("{}: {}", self.image.display(), counts.join(", "))
    }

    /// The label image (`<stem>.png`, one class index per pixel) and the image with the
    /// classes drawn over it (`<stem>.overlay.png`).
    fn draw(&self, model: &Model, folder: &Path) -> Result<Vec<PathBuf>> {
        let stem = picture_stem(&self.image);
        let labels = folder.join(format!("{stem}.png"));
        write_label_png(&labels, &self.labels)?;
        let palette = default_palette(model.params.class_names.len());
        let image = load_resized(&self.image, &model.params.preprocess())?;
        let overlay = label_overlay(&image, &self.labels, &palette, 0.5, &[0]);
        let overlay_path = folder.join(format!("{stem}.overlay.png"));
        save_png(&overlay_path, &overlay)?;
        Ok(vec![labels, overlay_path])
    }
}
