//! Classifying image files.

use crate::classification::{Classification, NAME};
use crate::error::Result;
use crate::loader::Loader;
use crate::method::ImageResult;
use crate::model::Model;
use crate::predict::predict_paths;
use kestrel_nn::ClassifierNet;
use std::path::PathBuf;
use std::sync::Arc;

/// The classification result for one image file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct ImageClassification {
    /// The image file.
    pub image: PathBuf,
    /// Class names, best first.
    pub classes: Vec<String>,
    /// Softmax confidences in the same order.
    pub confidences: Vec<f32>,
}

impl Model {
    /// The classification method and network, for a classification model.
    pub fn classifier(&self) -> Option<(Classification, &ClassifierNet)> {
        if self.params.model_type != NAME {
            return None;
        }
        let net = self.network.get::<ClassifierNet>()?;
        let method = Classification {
            class_ids: self.params.class_ids.clone(),
            class_names: self.params.class_names.clone(),
        };
        Some((method, net))
    }

    /// Classifies image files (PNG/JPEG/BMP/TIFF) in batches of `batch_size`, each preprocessed
    /// as the model's parameters say. Keeps the `top_k` best classes per image (all when 0).
    pub fn classify(
        &self,
        paths: &[PathBuf],
        batch_size: usize,
        top_k: usize,
    ) -> Result<Vec<ImageClassification>> {
        let (method, net) = self
            .classifier()
            .ok_or_else(|| self.wrong_method("classify"))?;
        let loader = Loader::plain(self.params.preprocess());
        let predictions =
            predict_paths(&method, net, &loader, Arc::new(paths.to_vec()), batch_size)?;
        let keep = if top_k == 0 { usize::MAX } else { top_k };
        Ok(paths
            .iter()
            .zip(predictions)
            .map(|(path, p)| ImageClassification {
                image: path.clone(),
                classes: p.classes.into_iter().take(keep).collect(),
                confidences: p.confidences.into_iter().take(keep).collect(),
            })
            .collect())
    }
}

impl ImageResult for ImageClassification {
    /// `image: best class (confidence)`.
    fn line(&self) -> String {
        format!(
            "{}: {} ({:.3})",
            self.image.display(),
            self.classes.first().map_or("-", String::as_str),
            self.confidences.first().copied().unwrap_or(0.0)
        )
    }
}
