//! Image classification: one class per image, softmax over the classes, cross-entropy loss,
//! top-k error, confusion matrix and per-class precision/recall/F1.

mod entry;
mod evaluate;
mod predict;
mod report;

pub use entry::ClassificationMethod;
pub(crate) use entry::classifier_network;
pub use evaluate::evaluate_predictions;
pub use predict::ImageClassification;
pub use report::{EvaluatedImage, Evaluation};

/// The method's `model_type`.
pub const NAME: &str = "classification";

use crate::error::{Error, Result};
use crate::loader::LoadedImage;
use crate::method::GradientMethod;
use burn::module::ParamGroup;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::tensor::activation::softmax;
use burn::tensor::{Int, Tensor, TensorData};
use kestrel_data::{Dataset, Sample};
use kestrel_nn::ClassifierNet;
use serde::{Deserialize, Serialize};

/// The classification method for a model's classes.
#[derive(Debug, Clone)]
pub struct Classification {
    /// The model's class ids, in network output order.
    pub class_ids: Vec<u32>,
    /// The model's class names, in network output order.
    pub class_names: Vec<String>,
}

/// What a classifier says about one image.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClassPrediction {
    /// Class names sorted by confidence, best first.
    pub classes: Vec<String>,
    /// Class indices (network outputs) in the same order.
    pub class_indices: Vec<usize>,
    /// Softmax confidences in the same order.
    pub confidences: Vec<f32>,
}

impl GradientMethod for Classification {
    type Net = ClassifierNet;
    type Annotation = usize;
    type Target = usize;
    type Prediction = ClassPrediction;

    /// The class does not move with the image.
    fn place_target(&self, annotation: &usize, _image: &LoadedImage) -> Result<usize> {
        Ok(*annotation)
    }

    fn encode_target(&self, dataset: &Dataset, sample: &Sample) -> Result<usize> {
        let label = sample.image_label_id.ok_or_else(|| {
            Error::Dataset(format!(
                "sample {} ({}): field image_label_id is missing",
                sample.image_id, sample.image_file_name
            ))
        })?;
        let name = dataset
            .class_index(label)
            .and_then(|i| dataset.class_names.get(i))
            .ok_or_else(|| {
                Error::Dataset(format!(
                    "sample {} ({}): image_label_id {label} is not in class_ids",
                    sample.image_id, sample.image_file_name
                ))
            })?;
        self.class_names
            .iter()
            .position(|n| n == name)
            .ok_or_else(|| {
                Error::Dataset(format!(
                    "sample {} ({}): class '{name}' is not one of the model's classes ({})",
                    sample.image_id,
                    sample.image_file_name,
                    self.class_names.join(", ")
                ))
            })
    }

    fn loss(&self, net: &ClassifierNet, images: Tensor<4>, targets: &[usize]) -> Tensor<1> {
        let device = images.device();
        let logits = net.forward(images);
        let targets: Vec<i64> = targets.iter().map(|&t| t as i64).collect();
        let n = targets.len();
        let targets = Tensor::<1, Int>::from_data(TensorData::new(targets, [n]), &device);
        CrossEntropyLossConfig::new()
            .init(&device)
            .forward(logits, targets)
    }

    fn predict(&self, net: &ClassifierNet, images: Tensor<4>) -> Vec<ClassPrediction> {
        let probabilities = softmax(net.forward(images), 1);
        let [batch, classes] = probabilities.dims();
        let values = probabilities
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .expect("f32 data");
        (0..batch)
            .map(|b| {
                let row = &values[b * classes..(b + 1) * classes];
                let mut order: Vec<usize> = (0..classes).collect();
                order.sort_by(|&x, &y| row[y].total_cmp(&row[x]));
                ClassPrediction {
                    classes: order.iter().map(|&i| self.class_names[i].clone()).collect(),
                    confidences: order.iter().map(|&i| row[i]).collect(),
                    class_indices: order,
                }
            })
            .collect()
    }

    fn backbone_params(&self, net: &ClassifierNet) -> ParamGroup {
        ParamGroup::ids_from_module(net.backbone.clone())
    }

    fn error(&self, predictions: &[ClassPrediction], targets: &[usize]) -> f64 {
        if targets.is_empty() {
            return 0.0;
        }
        let wrong = predictions
            .iter()
            .zip(targets)
            .filter(|(p, t)| p.class_indices.first() != Some(t))
            .count();
        wrong as f64 / targets.len() as f64
    }
}
