//! Semantic segmentation (HALCON's `segmentation`) and edge extraction
//! (`edge_extraction`: two classes, `background` and `edge`, trained on thin edge labels
//! with the rare edge pixels weighted up). One class per pixel from per-pixel softmax;
//! weighted cross-entropy that skips `ignore_class_ids` pixels; mean IoU as the measure.

mod entry;
mod evaluate;
mod params;
mod predict;

pub use entry::SegmentationMethod;

/// The `model_type` of semantic segmentation.
pub const NAME: &str = "segmentation";

/// The `model_type` of edge extraction.
pub const EDGES_NAME: &str = "edge_extraction";

pub use evaluate::{SegmentationReport, SegmentedImageScore};
pub use params::SegmentationParams;
pub use predict::SegmentedImage;

use crate::error::{Error, Result};
use crate::loader::LoadedImage;
use crate::method::GradientMethod;
use burn::module::ParamGroup;
use burn::tensor::activation::{log_softmax, softmax};
use burn::tensor::{Tensor, TensorData};
use kestrel_data::{Dataset, Sample};
use kestrel_image::{LabelImage, read_label_image};
use kestrel_metrics::SegmentationAccumulator;
use kestrel_nn::SegmentationNet;

/// The label value of pixels that do not count (ignored classes).
pub const IGNORE: u8 = 255;

/// Class weights are kept within `[1 / MAX_WEIGHT, MAX_WEIGHT]`.
const MAX_WEIGHT: f32 = 10.0;

/// The segmentation method for a model's classes and input size.
#[derive(Debug, Clone)]
pub struct Segmentation {
    /// The model's class ids, in network output order.
    pub class_ids: Vec<u32>,
    /// The model's class names, in network output order.
    pub class_names: Vec<String>,
    /// Dataset class ids whose pixels are left out of loss and measures.
    pub ignore_class_ids: Vec<u32>,
    /// Loss weight per class.
    pub class_weights: Vec<f32>,
    /// Input (and label) width.
    pub width: u32,
    /// Input (and label) height.
    pub height: u32,
}

/// What the network says about one image's pixels.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PixelPrediction {
    /// The most likely class index per pixel, row-major at the model's size.
    pub labels: Vec<u8>,
    /// Its softmax confidence per pixel.
    pub confidences: Vec<f32>,
}

impl Segmentation {
    /// Sets `class_weights` by softened median-frequency balancing over `targets`: a
    /// class's weight is the square root of the median class frequency over its own (Eigen
    /// & Fergus, 2015, use the ratio itself), kept within `[1/10, 10]`; classes without
    /// pixels get 1. The full ratio (25x for blowholes on magnetic tile) made the network
    /// paint rare classes far beyond their borders: high recall, low IoU.
    pub fn weight_rare_classes(&mut self, targets: &[Vec<u8>]) {
        let classes = self.class_names.len();
        let mut counts = vec![0u64; classes];
        for target in targets {
            for &v in target {
                if (v as usize) < classes {
                    counts[v as usize] += 1;
                }
            }
        }
        let mut present: Vec<u64> = counts.iter().copied().filter(|&c| c > 0).collect();
        present.sort_unstable();
        let Some(&median) = present.get(present.len() / 2) else {
            return;
        };
        self.class_weights = counts
            .iter()
            .map(|&c| {
                if c == 0 {
                    1.0
                } else {
                    (median as f32 / c as f32)
                        .sqrt()
                        .clamp(1.0 / MAX_WEIGHT, MAX_WEIGHT)
                }
            })
            .collect();
    }

    /// Per-pixel confidences and labels of a batch.
    fn decode(&self, logits: Tensor<4>) -> Vec<PixelPrediction> {
        let [b, c, h, w] = logits.dims();
        let probabilities = softmax(logits, 1)
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .expect("f32 data");
        let plane = h * w;
        (0..b)
            .map(|i| {
                let image = &probabilities[i * c * plane..(i + 1) * c * plane];
                let mut labels = vec![0u8; plane];
                let mut confidences = vec![0f32; plane];
                for p in 0..plane {
                    for class in 0..c {
                        let v = image[class * plane + p];
                        if v > confidences[p] {
                            confidences[p] = v;
                            labels[p] = class as u8;
                        }
                    }
                }
                PixelPrediction {
                    labels,
                    confidences,
                }
            })
            .collect()
    }
}

impl GradientMethod for Segmentation {
    type Net = SegmentationNet;
    /// Class index per pixel at the model's size, [`IGNORE`] for ignored pixels.
    type Annotation = Vec<u8>;
    /// The annotation moved with the image.
    type Target = Vec<u8>;
    type Prediction = PixelPrediction;

    fn encode_target(&self, dataset: &Dataset, sample: &Sample) -> Result<Vec<u8>> {
        let path = dataset.segmentation_path(sample).ok_or_else(|| {
            Error::Dataset(format!(
                "sample {} ({}): field segmentation_file_name is missing",
                sample.image_id, sample.image_file_name
            ))
        })?;
        let labels = read_label_image(&path)?.resize_nearest(self.width, self.height);
        let mut lookup = [None; 256];
        for (i, &id) in dataset.class_ids.iter().enumerate() {
            if id > 255 {
                continue;
            }
            lookup[id as usize] = if self.ignore_class_ids.contains(&id) {
                Some(IGNORE)
            } else {
                let name = &dataset.class_names[i];
                self.class_names
                    .iter()
                    .position(|n| n == name)
                    .map(|p| p as u8)
            };
        }
        labels
            .data
            .iter()
            .map(|&v| {
                lookup[v as usize].ok_or_else(|| {
                    Error::Dataset(format!(
                        "{} (sample {}): label value {v} is not one of the model's classes",
                        path.display(),
                        sample.image_id
                    ))
                })
            })
            .collect()
    }

    fn loss(&self, net: &SegmentationNet, images: Tensor<4>, targets: &[Vec<u8>]) -> Tensor<1> {
        let device = images.device();
        let logits = net.forward(images);
        let [b, c, h, w] = logits.dims();
        let plane = h * w;
        // Weighted one-hot targets: the true class's weight, 0 elsewhere and where ignored.
        let mut weights = vec![0f32; b * c * plane];
        for (i, target) in targets.iter().enumerate() {
            for (p, &v) in target.iter().enumerate() {
                if (v as usize) < c {
                    weights[(i * c + v as usize) * plane + p] = self.class_weights[v as usize];
                }
            }
        }
        let total: f32 = weights.iter().sum::<f32>().max(1e-6);
        let weights = Tensor::<4>::from_data(TensorData::new(weights, [b, c, h, w]), &device);
        (log_softmax(logits, 1) * weights)
            .sum()
            .neg()
            .div_scalar(total)
    }

    /// Moves the label image with the image, sampled by nearest neighbour (borders are
    /// handled as for the image).
    fn place_target(&self, annotation: &Vec<u8>, image: &LoadedImage) -> Result<Vec<u8>> {
        let labels = LabelImage {
            width: self.width,
            height: self.height,
            data: annotation.clone(),
        };
        Ok(image.plan.apply_labels(&labels, self.width, self.height).data)
    }

    fn predict(&self, net: &SegmentationNet, images: Tensor<4>) -> Vec<PixelPrediction> {
        self.decode(net.forward(images))
    }

    /// `1 - mean IoU` over all pixels of all images.
    fn error(&self, predictions: &[PixelPrediction], targets: &[Vec<u8>]) -> f64 {
        let Ok(mut acc) = SegmentationAccumulator::new(self.class_names.len(), &[]) else {
            return 1.0;
        };
        for (p, t) in predictions.iter().zip(targets) {
            if acc.add(&p.labels, t).is_err() {
                return 1.0;
            }
        }
        1.0 - acc.mean_iou().unwrap_or(0.0)
    }

    fn backbone_params(&self, net: &SegmentationNet) -> ParamGroup {
        ParamGroup::ids_from_module(net.backbone.clone())
    }
}
