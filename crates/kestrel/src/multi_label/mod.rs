//! Multi-label classification (HALCON's `multi_label_classification`): every class an image
//! shows, from a given set. One sigmoid output per class, binary cross-entropy (optionally
//! weighting the positives of rare classes), and a confidence threshold per class
//! (`min_confidence`), chosen on validation data to maximise each class's F1 unless set.

mod entry;
mod evaluate;
mod params;
mod predict;
mod thresholds;

pub use entry::MultiLabelMethod;

/// The method's `model_type`.
pub const NAME: &str = "multi_label_classification";

pub use evaluate::{MultiLabelEvaluationReport, MultiLabelImage};
pub use params::MultiLabelParams;
pub use predict::ImageLabels;
pub use thresholds::calibrate_thresholds;

use crate::error::{Error, Result};
use crate::loader::LoadedImage;
use crate::method::GradientMethod;
use burn::module::ParamGroup;
use burn::tensor::activation::{log_sigmoid, sigmoid};
use burn::tensor::{Tensor, TensorData};
use kestrel_data::{Dataset, Sample};
use kestrel_nn::ClassifierNet;

/// Positive weights are capped at this, so a class seen a handful of times cannot dominate.
const MAX_POSITIVE_WEIGHT: f32 = 10.0;

/// The multi-label method for a model's classes.
#[derive(Debug, Clone)]
pub struct MultiLabel {
    /// The model's class ids, in network output order.
    pub class_ids: Vec<u32>,
    /// The model's class names, in network output order.
    pub class_names: Vec<String>,
    /// Loss weight of a positive label per class (1 = unweighted).
    pub positive_weights: Vec<f32>,
}

impl MultiLabel {
    /// Sets `positive_weights` to negatives / positives per class in `targets` (at least 1,
    /// at most 10; classes without positives keep 1).
    pub fn weight_rare_classes(&mut self, targets: &[Vec<bool>]) {
        let n = targets.len() as f32;
        self.positive_weights = (0..self.class_names.len())
            .map(|c| {
                let positives = targets.iter().filter(|t| t[c]).count() as f32;
                if positives == 0.0 {
                    1.0
                } else {
                    ((n - positives) / positives).clamp(1.0, MAX_POSITIVE_WEIGHT)
                }
            })
            .collect();
    }

    /// Sigmoid confidences `[images][classes]` of a batch.
    pub fn confidences(&self, net: &ClassifierNet, images: Tensor<4>) -> Vec<Vec<f32>> {
        let probabilities = sigmoid(net.forward(images));
        let [_, classes] = probabilities.dims();
        probabilities
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .expect("f32 data")
            .chunks(classes)
            .map(<[f32]>::to_vec)
            .collect()
    }
}

impl GradientMethod for MultiLabel {
    type Net = ClassifierNet;
    type Annotation = Vec<bool>;
    type Target = Vec<bool>;
    type Prediction = Vec<f32>;

    /// The classes do not move with the image.
    fn place_target(&self, annotation: &Vec<bool>, _image: &LoadedImage) -> Result<Vec<bool>> {
        Ok(annotation.clone())
    }

    fn encode_target(&self, dataset: &Dataset, sample: &Sample) -> Result<Vec<bool>> {
        let ids = sample.image_label_ids.as_ref().ok_or_else(|| {
            Error::Dataset(format!(
                "sample {} ({}): field image_label_ids is missing",
                sample.image_id, sample.image_file_name
            ))
        })?;
        let mut target = vec![false; self.class_names.len()];
        for &id in ids {
            let name = dataset
                .class_index(id)
                .map(|i| &dataset.class_names[i])
                .ok_or_else(|| {
                    Error::Dataset(format!(
                        "sample {} ({}): image_label_ids has {id}, which is not in class_ids",
                        sample.image_id, sample.image_file_name
                    ))
                })?;
            let index = self
                .class_names
                .iter()
                .position(|n| n == name)
                .ok_or_else(|| {
                    Error::Dataset(format!(
                        "sample {} ({}): class '{name}' is not one of the model's classes ({})",
                        sample.image_id,
                        sample.image_file_name,
                        self.class_names.join(", ")
                    ))
                })?;
            target[index] = true;
        }
        Ok(target)
    }

    fn loss(&self, net: &ClassifierNet, images: Tensor<4>, targets: &[Vec<bool>]) -> Tensor<1> {
        let device = images.device();
        let logits = net.forward(images);
        let [n, c] = logits.dims();
        let flat: Vec<f32> = targets
            .iter()
            .flat_map(|t| t.iter().map(|&b| if b { 1.0 } else { 0.0 }))
            .collect();
        let y = Tensor::<2>::from_data(TensorData::new(flat, [n, c]), &device);
        let weights = Tensor::<2>::from_data(
            TensorData::new(self.positive_weights.clone(), [1, c]),
            &device,
        );
        // -[w y log σ(x) + (1 - y) log σ(-x)], averaged over images and classes.
        let positive = y.clone() * weights * log_sigmoid(logits.clone());
        let negative = (y.neg() + 1.0) * log_sigmoid(logits.neg());
        (positive + negative).neg().mean()
    }

    fn predict(&self, net: &ClassifierNet, images: Tensor<4>) -> Vec<Vec<f32>> {
        self.confidences(net, images)
    }

    /// `1 - mean AP` over the classes with a positive (threshold-free, so it can pick the
    /// best epoch before thresholds are chosen).
    fn error(&self, predictions: &[Vec<f32>], targets: &[Vec<bool>]) -> f64 {
        let per_class: Vec<f64> = (0..self.class_names.len())
            .filter_map(|c| {
                let scores: Vec<f32> = predictions.iter().map(|p| p[c]).collect();
                let labels: Vec<bool> = targets.iter().map(|t| t[c]).collect();
                kestrel_metrics::average_precision(&scores, &labels).ok()
            })
            .collect();
        if per_class.is_empty() {
            return 1.0;
        }
        1.0 - per_class.iter().sum::<f64>() / per_class.len() as f64
    }

    fn backbone_params(&self, net: &ClassifierNet) -> ParamGroup {
        ParamGroup::ids_from_module(net.backbone.clone())
    }
}
