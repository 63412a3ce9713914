//! Inference: a method's predictions for image files, preprocessed exactly as in training.

use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::method::Method;
use crate::model::Model;
use burn::tensor::{Tensor, TensorData};
use std::path::PathBuf;
use std::sync::Arc;

/// Predictions for `paths`, in order, in batches of `batch_size`.
pub fn predict_paths<M: Method>(
    method: &M,
    net: &M::Net,
    loader: &Loader,
    paths: Arc<Vec<PathBuf>>,
    batch_size: usize,
) -> Result<Vec<M::Prediction>> {
    let device = crate::device::devices_of(net);
    let order: Vec<usize> = (0..paths.len()).collect();
    let mut out = Vec::with_capacity(paths.len());
    for batch in loader.batches(paths, order, batch_size, 0) {
        let batch = batch?;
        let images = Tensor::<4>::from_data(TensorData::new(batch.values, batch.shape), &device);
        out.extend(method.predict(net, images));
    }
    Ok(out)
}

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
    /// Classifies image files (PNG/JPEG/BMP/TIFF) in batches of `batch_size`, each preprocessed
    /// as the model's parameters say. Keeps the `top_k` best classes per image (all when 0).
    pub fn classify(
        &self,
        paths: &[PathBuf],
        batch_size: usize,
        top_k: usize,
    ) -> Result<Vec<ImageClassification>> {
        let (method, net) = self.classifier().ok_or_else(|| {
            Error::Dataset(format!(
                "a {} model does not classify",
                self.params.model_type
            ))
        })?;
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
