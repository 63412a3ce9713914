//! Object detection (HALCON's `detection`): axis-aligned boxes (`instance_type`
//! `rectangle1`), rotated boxes (`rectangle2`, optionally `ignore_direction`) and instance
//! segmentation (`mask`: boxes plus a mask per object).
//!
//! The network is anchor-free (FCOS, see [`kestrel_nn::detection`]): no anchors to tune,
//! each pyramid level takes objects of one size range. Losses: sigmoid focal loss for the
//! classes, generalised IoU for the box (in the box's own frame, so rotated boxes use it
//! too), binary cross-entropy for centre-ness, L1 on the angle's `(sin kφ, cos kφ)`, and
//! per-pixel binary cross-entropy for masks (YOLACT-style prototypes, inside the true
//! box). Decoding keeps locations whose `sqrt(class · centre-ness)` confidence reaches
//! `min_confidence`, then applies per-class and class-agnostic non-maximum suppression
//! (`max_overlap`, `max_overlap_class_agnostic`) and `max_num_detections`.

mod assign;
mod decode;
mod entry;
mod evaluate;
mod loss;
mod params;
mod predict;
mod target;

pub use assign::{
    Assignment, Location, angle_factor, assign, canonical, locations, rect_from_distances,
};
pub use decode::{DecodeSettings, DetectedObject, MaskGrid, decode};
pub use entry::DetectionMethod;
pub use evaluate::DetectionReport;
pub use params::{
    Capacity, DEFAULT_MIN_CONFIDENCE, DetectionParams, InstanceType, MASK_PROTOTYPES,
};
pub use predict::{ImageDetections, ObjectJson};
pub use target::{DetectionAnnotation, DetectionTarget};

use crate::error::Result;
use crate::loader::LoadedImage;
use crate::method::GradientMethod;
use burn::module::ParamGroup;
use burn::tensor::Tensor;
use kestrel_data::{Dataset, Sample};
use kestrel_nn::DetectionNet;

/// The method's `model_type`.
pub const NAME: &str = "detection";

/// Detections kept per image before non-maximum suppression.
pub const PRE_NMS_TOP_K: usize = 1000;

/// The confidence floor of evaluation and validation: mean AP needs the whole
/// precision-recall curve, so detections far below `min_confidence` count there.
pub const EVALUATION_MIN_CONFIDENCE: f32 = 0.05;

/// The detection method for a model's classes, instance type and input size.
#[derive(Debug, Clone)]
pub struct Detection {
    /// The model's class ids, in network output order.
    pub class_ids: Vec<u32>,
    /// The model's class names, in network output order.
    pub class_names: Vec<String>,
    /// Boxes, rotated boxes or masks.
    pub instance_type: InstanceType,
    /// Rotated boxes: a box turned by 180° is the same box.
    pub ignore_direction: bool,
    /// Training keeps fixed the backbone stages computing pyramid levels up to this one.
    pub freeze_backbone_level: Option<usize>,
    /// Input width.
    pub width: u32,
    /// Input height.
    pub height: u32,
    /// How outputs become objects.
    pub decode: DecodeSettings,
}

impl GradientMethod for Detection {
    type Net = DetectionNet;
    type Annotation = DetectionAnnotation;
    type Target = DetectionTarget;
    type Prediction = Vec<DetectedObject>;

    fn encode_target(&self, dataset: &Dataset, sample: &Sample) -> Result<DetectionAnnotation> {
        target::encode(self, dataset, sample)
    }

    fn loss(
        &self,
        net: &DetectionNet,
        images: Tensor<4>,
        targets: &[DetectionTarget],
    ) -> Tensor<1> {
        loss::detection_loss(self, net.forward(images), targets)
    }

    fn place_target(
        &self,
        annotation: &DetectionAnnotation,
        image: &LoadedImage,
    ) -> Result<DetectionTarget> {
        target::place(self, annotation, image)
    }

    fn predict(&self, net: &DetectionNet, images: Tensor<4>) -> Vec<Vec<DetectedObject>> {
        decode::decode(self, net.forward(images), &self.decode)
    }

    /// `1 - mean AP` (IoU 0.50:0.95) of the boxes (rotated boxes for `rectangle2`) at the
    /// model's size.
    fn error(&self, predictions: &[Vec<DetectedObject>], targets: &[DetectionTarget]) -> f64 {
        evaluate::model_size_box_ap(self, predictions, targets).map_or(1.0, |ap| 1.0 - ap)
    }

    fn backbone_params(&self, net: &DetectionNet) -> ParamGroup {
        ParamGroup::ids_from_module(net.backbone.clone())
    }

    /// The backbone stages up to `freeze_backbone_level`, when it is set.
    fn partly_frozen_params(&self, net: &DetectionNet) -> Option<ParamGroup> {
        self.freeze_backbone_level
            .map(|level| net.backbone.stage_params(level))
    }
}
