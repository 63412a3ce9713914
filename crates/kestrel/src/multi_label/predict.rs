//! Multi-label inference: every class at or above its threshold, with its confidence.

use crate::error::Result;
use crate::loader::Loader;
use crate::method::ImageResult;
use crate::model::Model;
use crate::multi_label::{MultiLabel, MultiLabelParams, NAME};
use crate::predict::predict_paths;
use kestrel_nn::ClassifierNet;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// The classes found in one image.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ImageLabels {
    /// The image file.
    pub image: PathBuf,
    /// The classes at or above their `min_confidence`, most confident first.
    pub classes: Vec<String>,
    /// Their confidences, in the same order.
    pub confidences: Vec<f32>,
}

impl Model {
    /// The multi-label method and network, for a `multi_label_classification` model.
    pub fn multi_label(&self) -> Option<(MultiLabel, &ClassifierNet)> {
        if self.params.model_type != NAME {
            return None;
        }
        let net = self.network.get::<ClassifierNet>()?;
        let method = MultiLabel {
            class_ids: self.params.class_ids.clone(),
            class_names: self.params.class_names.clone(),
            positive_weights: vec![1.0; self.params.class_names.len()],
        };
        Some((method, net))
    }

    /// The per-class thresholds (`min_confidence`, 0.5 each when unset).
    pub fn label_thresholds(&self) -> Result<Vec<f32>> {
        let section: MultiLabelParams = self.params.section()?;
        Ok(section.min_confidence.unwrap_or_else(|| {
            vec![super::thresholds::DEFAULT_THRESHOLD; self.params.class_names.len()]
        }))
    }

    /// Sigmoid confidences per image and class for image files.
    pub fn label_confidences(&self, paths: &[PathBuf], batch_size: usize) -> Result<Vec<Vec<f32>>> {
        let (method, net) = self
            .multi_label()
            .ok_or_else(|| self.wrong_method("find multiple labels"))?;
        let loader = Loader::plain(self.params.preprocess());
        predict_paths(&method, net, &loader, Arc::new(paths.to_vec()), batch_size)
    }

    /// The classes each image shows: those at or above their threshold.
    pub fn label_images(&self, paths: &[PathBuf], batch_size: usize) -> Result<Vec<ImageLabels>> {
        let thresholds = self.label_thresholds()?;
        let confidences = self.label_confidences(paths, batch_size)?;
        Ok(paths
            .iter()
            .zip(confidences)
            .map(|(path, row)| {
                let mut found: Vec<usize> = (0..row.len())
                    .filter(|&c| row[c] >= thresholds[c])
                    .collect();
                found.sort_by(|&a, &b| row[b].total_cmp(&row[a]));
                ImageLabels {
                    image: path.clone(),
                    classes: found
                        .iter()
                        .map(|&c| self.params.class_names[c].clone())
                        .collect(),
                    confidences: found.iter().map(|&c| row[c]).collect(),
                }
            })
            .collect())
    }
}

impl ImageResult for ImageLabels {
    /// `image: class (confidence), …` or `image: none`.
    fn line(&self) -> String {
        let found: Vec<String> = self
            .classes
            .iter()
            .zip(&self.confidences)
            .map(|(c, p)| format!("{c} ({p:.3})"))
            .collect();
        let found = if found.is_empty() {
            "none".to_string()
        } else {
            found.join(", ")
        };
        format!("{}: {found}", self.image.display())
    }
}
