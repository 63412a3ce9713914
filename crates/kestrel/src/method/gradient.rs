//! The contract between a method trained by gradient descent (classification, …) and the
//! shared trainer ([`crate::train::train_network`]) and predictor. Such a method owns its
//! network type, target encoding, loss, decoding and validation measure.

use crate::error::{Error, Result};
use crate::loader::LoadedImage;
use burn::module::{Module, ParamGroup};
use burn::tensor::Tensor;
use kestrel_data::{Dataset, Sample, Split};
use serde::Serialize;
use std::path::PathBuf;

/// A method whose network is trained on batches by gradient descent.
pub trait GradientMethod: Send + Sync {
    /// The network this method trains.
    type Net: Module + std::fmt::Debug;
    /// A sample's ground truth as read from the dataset once before training: a class
    /// index, boxes in the image file's pixels, a label image read at the network's size.
    type Annotation: Clone + Send + Sync;
    /// What the loss and the validation measure need per image, at the network's input: an
    /// annotation placed on its loaded image ([`GradientMethod::place_target`]).
    type Target: Clone + Send + Sync;
    /// What the network says about one image, decoded.
    type Prediction: Serialize + Clone + Send;

    /// Reads a sample's ground truth; errors name the sample when it has none or an unknown
    /// or malformed one.
    fn encode_target(&self, dataset: &Dataset, sample: &Sample) -> Result<Self::Annotation>;

    /// The target of a loaded image: its annotation scaled from the image file's size to
    /// the network's input and moved by the augmentation the image got (`image` says both).
    fn place_target(
        &self,
        annotation: &Self::Annotation,
        image: &LoadedImage,
    ) -> Result<Self::Target>;

    /// The mean training loss of a batch.
    fn loss(&self, net: &Self::Net, images: Tensor<4>, targets: &[Self::Target]) -> Tensor<1>;

    /// Decodes the network's output for a batch.
    fn predict(&self, net: &Self::Net, images: Tensor<4>) -> Vec<Self::Prediction>;

    /// Decodes the network's output for a batch whose targets are placed
    /// ([`GradientMethod::place_target`]). A method whose network reads more than the image
    /// (gripping-point detection: the depth image, carried by its target) overrides this;
    /// the default is [`GradientMethod::predict`]. Validation calls this one.
    fn predict_placed(
        &self,
        net: &Self::Net,
        images: Tensor<4>,
        _targets: &[Self::Target],
    ) -> Vec<Self::Prediction> {
        self.predict(net, images)
    }

    /// The validation measure, lower is better (for classification the top-1 error).
    fn error(&self, predictions: &[Self::Prediction], targets: &[Self::Target]) -> f64;

    /// The pretrained part of the network (frozen or given a lower learning rate when
    /// fine-tuning).
    fn backbone_params(&self, net: &Self::Net) -> ParamGroup;

    /// The part of the network training keeps fixed when `freeze_backbone` is off (for
    /// example only the high-resolution backbone stages); `None` (the default) trains all.
    fn partly_frozen_params(&self, _net: &Self::Net) -> Option<ParamGroup> {
        None
    }
}

/// The annotations and image paths of the samples in a dataset split, in dataset order; an
/// error when the split has no samples.
pub fn split_inputs<M: GradientMethod>(
    method: &M,
    dataset: &Dataset,
    split: Split,
) -> Result<(Vec<M::Annotation>, Vec<PathBuf>)> {
    let samples = dataset.samples_in(split);
    if samples.is_empty() {
        return Err(Error::Dataset(format!(
            "the dataset has no samples with split \"{split}\""
        )));
    }
    let targets = samples
        .iter()
        .map(|s| method.encode_target(dataset, s))
        .collect::<Result<Vec<_>>>()?;
    let paths = samples.iter().map(|s| dataset.image_path(s)).collect();
    Ok((targets, paths))
}
