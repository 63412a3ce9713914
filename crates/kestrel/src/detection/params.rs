//! Object detection's own parameters: their checks and the network shape they give.

use crate::error::{Error, Result};
use crate::params::{ModelParams, check_class_thresholds};
use kestrel_nn::DetectionSpec;
use kestrel_nn::detection::LEVEL_RANGE;
use serde::{Deserialize, Serialize};

/// Prototype masks of an instance-segmentation model.
pub const MASK_PROTOTYPES: usize = 16;

/// The confidence `infer` applies when `min_confidence` is unset (HALCON's default).
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

/// What a detection model finds (HALCON's `instance_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstanceType {
    /// Axis-aligned boxes (HALCON `rectangle1`).
    Rectangle1,
    /// Rotated boxes (HALCON `rectangle2`).
    Rectangle2,
    /// Axis-aligned boxes with instance masks.
    Mask,
}

/// The size of the detection head (HALCON's `capacity`): speed against accuracy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Capacity {
    /// 64 channels, 2 convolutions per tower.
    Low,
    /// 96 channels, 3 convolutions per tower.
    Medium,
    /// 128 channels, 4 convolutions per tower.
    High,
}

impl Capacity {
    /// The head's channels and tower depth.
    fn head_size(self) -> (usize, usize) {
        match self {
            Self::Low => (64, 2),
            Self::Medium => (96, 3),
            Self::High => (128, 4),
        }
    }
}

/// The parameters only object detection has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DetectionParams {
    /// `rectangle1` (axis-aligned boxes), `rectangle2` (rotated boxes) or `mask` (instance
    /// segmentation: boxes and masks).
    pub instance_type: InstanceType,
    /// Rotated boxes: a box and the same box turned by 180° are the same.
    pub ignore_direction: bool,
    /// The finest feature-pyramid level (stride `2^min_level`), 2 to 5.
    pub min_level: usize,
    /// The coarsest feature-pyramid level, `min_level` to 7.
    pub max_level: usize,
    /// Head size, `low`, `medium` or `high`.
    pub capacity: Capacity,
    /// The confidence each class needs to be reported, one per class
    /// ([`DEFAULT_MIN_CONFIDENCE`] each when `null`).
    pub min_confidence: Option<Vec<f32>>,
    /// Boxes of one class overlapping a better one by more than this IoU are suppressed.
    pub max_overlap: f32,
    /// Boxes of any class overlapping a better one by more than this IoU are suppressed (1
    /// turns it off).
    pub max_overlap_class_agnostic: f32,
    /// At most this many objects per image.
    pub max_num_detections: usize,
    /// Without `freeze_backbone`: keep fixed the backbone stages that compute pyramid
    /// levels up to this one (3: everything at stride 8 or finer), and fine-tune the deeper,
    /// low-resolution stages, whose backward pass is cheap.
    pub freeze_backbone_level: Option<usize>,
}

impl Default for DetectionParams {
    fn default() -> Self {
        Self {
            instance_type: InstanceType::Rectangle1,
            ignore_direction: false,
            min_level: 3,
            max_level: 5,
            capacity: Capacity::Medium,
            min_confidence: None,
            max_overlap: 0.5,
            max_overlap_class_agnostic: 1.0,
            max_num_detections: 100,
            freeze_backbone_level: None,
        }
    }
}

impl DetectionParams {
    /// The network shape of a detection model with `num_classes` classes.
    pub fn spec(&self, num_classes: usize) -> DetectionSpec {
        let (channels, depth) = self.capacity.head_size();
        DetectionSpec {
            num_classes,
            min_level: self.min_level,
            max_level: self.max_level,
            channels,
            depth,
            angle: self.instance_type == InstanceType::Rectangle2,
            mask_prototypes: if self.instance_type == InstanceType::Mask {
                MASK_PROTOTYPES
            } else {
                0
            },
        }
    }

    /// The per-class confidence `infer` applies: `min_confidence` when set, else
    /// [`DEFAULT_MIN_CONFIDENCE`].
    pub fn min_confidence(&self, num_classes: usize) -> Vec<f32> {
        self.min_confidence
            .clone()
            .unwrap_or_else(|| vec![DEFAULT_MIN_CONFIDENCE; num_classes])
    }

    /// Checks the detection parameters against the model's classes and input size.
    pub fn validate(&self, params: &ModelParams) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::BadParam {
                name: name.into(),
                message,
            })
        };
        let (lowest, highest) = LEVEL_RANGE;
        if !(lowest..=5).contains(&self.min_level) {
            return bad(
                "min_level",
                format!("{} (must be in [{lowest}, 5])", self.min_level),
            );
        }
        if !(self.min_level..=highest).contains(&self.max_level) {
            return bad(
                "max_level",
                format!(
                    "{} (must be in [min_level = {}, {highest}])",
                    self.max_level, self.min_level
                ),
            );
        }
        let stride = 1u32 << self.max_level;
        if !params.image_width.is_multiple_of(stride) || !params.image_height.is_multiple_of(stride)
        {
            return bad(
                "image_width",
                format!(
                    "{}x{}: a detection model's size must be a multiple of 2^max_level = {stride}",
                    params.image_width, params.image_height
                ),
            );
        }
        for (name, value) in [
            ("max_overlap", self.max_overlap),
            (
                "max_overlap_class_agnostic",
                self.max_overlap_class_agnostic,
            ),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return bad(name, format!("{value} (must be in [0, 1])"));
            }
        }
        if let Some(level) = self.freeze_backbone_level
            && level > 5
        {
            return bad(
                "freeze_backbone_level",
                format!("{level} (the backbone's levels go up to 5)"),
            );
        }
        if self.max_num_detections == 0 {
            return bad("max_num_detections", "must be at least 1".into());
        }
        check_class_thresholds(
            "min_confidence",
            self.min_confidence.as_deref(),
            params.class_names.len(),
        )
    }
}
