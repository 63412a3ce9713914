//! Inference: a method's predictions for image files, preprocessed exactly as in training.

use crate::error::Result;
use crate::loader::{LoadedImage, Loader};
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
    let predictions = predict_loaded(method, net, loader, paths, batch_size)?;
    Ok(predictions.into_iter().map(|(p, _)| p).collect())
}

/// Like [`predict_paths`], with what the loader did to each image (its file's size), for
/// mapping predictions back to the image file's pixels.
pub fn predict_loaded<M: GradientMethod>(
    method: &M,
    net: &M::Net,
    loader: &Loader,
    paths: Arc<Vec<PathBuf>>,
    batch_size: usize,
) -> Result<Vec<(M::Prediction, LoadedImage)>> {
    let device = crate::device::devices_of(net);
    let order: Vec<usize> = (0..paths.len()).collect();
    let mut out = Vec::with_capacity(paths.len());
    for batch in loader.batches(paths, order, batch_size, 0) {
        let batch = batch?;
        let images = Tensor::<4>::from_data(TensorData::new(batch.values, batch.shape), &device);
        out.extend(method.predict(net, images).into_iter().zip(batch.images));
    }
    Ok(out)
}

/// Predictions for `paths` with their annotations placed on the loaded images, in order:
/// each image's prediction ([`GradientMethod::predict_placed`]) and target.
pub fn predict_with_targets<M: GradientMethod>(
    method: &M,
    net: &M::Net,
    loader: &Loader,
    paths: Arc<Vec<PathBuf>>,
    annotations: &[M::Annotation],
    batch_size: usize,
) -> Result<Vec<(M::Prediction, M::Target)>> {
    let device = crate::device::devices_of(net);
    let order: Vec<usize> = (0..paths.len()).collect();
    let mut out = Vec::with_capacity(paths.len());
    for batch in loader.batches(paths, order, batch_size, 0) {
        let batch = batch?;
        let targets = batch
            .indices
            .iter()
            .zip(&batch.images)
            .map(|(&i, image)| method.place_target(&annotations[i], image))
            .collect::<Result<Vec<_>>>()?;
        let images = Tensor::<4>::from_data(TensorData::new(batch.values, batch.shape), &device);
        let predictions = method.predict_placed(net, images, &targets);
        out.extend(predictions.into_iter().zip(targets));
    }
    Ok(out)
}
