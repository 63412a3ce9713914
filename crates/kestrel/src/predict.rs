//! Inference: a method's predictions for image files, preprocessed exactly as in training.

use crate::error::Result;
use crate::loader::Loader;
use crate::method::GradientMethod;
use burn::tensor::{Tensor, TensorData};
use std::path::PathBuf;
use std::sync::Arc;

/// Predictions for `paths`, in order, in batches of `batch_size`.
pub fn predict_paths<M: GradientMethod>(
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
