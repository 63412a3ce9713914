//! The detection parameters: their checks and the network shape they give.

use crate::error::{Error, Result};
use crate::params::ModelParams;
use kestrel_nn::DetectionSpec;
use kestrel_nn::detection::LEVEL_RANGE;

/// Prototype masks of an instance-segmentation model.
pub const MASK_PROTOTYPES: usize = 16;

/// The confidence `infer` applies when `min_confidence` is unset (HALCON's default).
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

/// What a detection model finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceType {
    /// Axis-aligned boxes (HALCON `rectangle1`).
    Rectangle1,
    /// Rotated boxes (HALCON `rectangle2`).
    Rectangle2,
    /// Axis-aligned boxes with instance masks.
    Mask,
}

impl ModelParams {
    /// The instance type as a typed value.
    pub fn instance_type(&self) -> Result<InstanceType> {
        match self.instance_type.as_str() {
            "rectangle1" => Ok(InstanceType::Rectangle1),
            "rectangle2" => Ok(InstanceType::Rectangle2),
            "mask" => Ok(InstanceType::Mask),
            other => Err(Error::BadParam {
                name: "instance_type".into(),
                message: format!("'{other}' (must be rectangle1, rectangle2 or mask)"),
            }),
        }
    }

    /// The head's channels and tower depth for `capacity`.
    fn head_size(&self) -> Result<(usize, usize)> {
        match self.capacity.as_str() {
            "low" => Ok((64, 2)),
            "medium" => Ok((96, 3)),
            "high" => Ok((128, 4)),
            other => Err(Error::BadParam {
                name: "capacity".into(),
                message: format!("'{other}' (must be low, medium or high)"),
            }),
        }
    }

    /// The network shape of a detection model.
    pub fn detection_spec(&self) -> Result<DetectionSpec> {
        let (channels, depth) = self.head_size()?;
        let instance_type = self.instance_type()?;
        Ok(DetectionSpec {
            num_classes: self.class_names.len(),
            min_level: self.min_level,
            max_level: self.max_level,
            channels,
            depth,
            angle: instance_type == InstanceType::Rectangle2,
            mask_prototypes: if instance_type == InstanceType::Mask {
                MASK_PROTOTYPES
            } else {
                0
            },
        })
    }

    /// Checks the detection parameters.
    pub(crate) fn validate_detection(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::BadParam {
                name: name.into(),
                message,
            })
        };
        self.detection_spec()?;
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
        if !self.image_width.is_multiple_of(stride) || !self.image_height.is_multiple_of(stride) {
            return bad(
                "image_width",
                format!(
                    "{}x{}: a detection model's size must be a multiple of 2^max_level = {stride}",
                    self.image_width, self.image_height
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
        Ok(())
    }

    /// The per-class confidence `infer` applies: `min_confidence` when set, else
    /// [`DEFAULT_MIN_CONFIDENCE`].
    pub fn detection_min_confidence(&self) -> Vec<f32> {
        self.min_confidence
            .clone()
            .unwrap_or_else(|| vec![DEFAULT_MIN_CONFIDENCE; self.class_names.len()])
    }
}
