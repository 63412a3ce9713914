//! Gripping-point detection's own parameters.

use crate::error::{Error, Result};
use kestrel_image::{GraspTargetParams, QualityRegion};
use serde::{Deserialize, Serialize};

/// Which part of a good grasp rectangle the gripping map learns as grippable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GraspRegion {
    /// The middle third along the opening direction (GG-CNN): where the gripper's centre
    /// can be.
    #[default]
    CentreThird,
    /// The whole rectangle.
    Whole,
}

/// The parameters only gripping-point detection has (HALCON's names where it has them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GrippingParams {
    /// Gripping regions are the pixels whose (smoothed) gripping-map score is at least
    /// this (default 0.2, GG-CNN's peak threshold: the map is high only where labelled
    /// grasps agree, so good places score 0.3-0.5).
    pub min_score: f32,
    /// Regions with fewer pixels than this (at the model's input size) are dropped.
    pub min_area_size: u32,
    /// At most this many gripping points per image, best first.
    pub max_num_points: usize,
    /// The width of the Gaussian that smooths the gripping map before regions and points
    /// are taken, in pixels of the model's input (0: none).
    pub smoothing_sigma: f32,
    /// The opening width, in pixels of the model's input, that the width output scales to
    /// 1.
    pub max_opening_width: f32,
    /// The jaw size relative to the opening width, for the grasp rectangle drawn and
    /// evaluated at a point; training sets it to the median of the training rectangles.
    pub jaw_size_ratio: f32,
    /// The window, in pixels of the depth image, over which the surface normal at a point
    /// is smoothed (odd).
    pub normal_window: u32,
    /// The part of each good rectangle the gripping map is trained (and evaluated) on.
    pub grasp_region: GraspRegion,
    /// Average the maps of the image as it is and mirrored three ways (four network
    /// passes per image) at inference, evaluation and validation.
    pub flip_average: bool,
}

impl Default for GrippingParams {
    fn default() -> Self {
        Self {
            min_score: 0.2,
            min_area_size: 4,
            max_num_points: 10,
            smoothing_sigma: 1.0,
            max_opening_width: 75.0,
            jaw_size_ratio: 0.5,
            normal_window: 7,
            grasp_region: GraspRegion::CentreThird,
            flip_average: true,
        }
    }
}

impl GrippingParams {
    /// How the target maps of good rectangles are drawn.
    pub fn target_params(&self) -> GraspTargetParams {
        GraspTargetParams {
            region: match self.grasp_region {
                GraspRegion::CentreThird => QualityRegion::CentreThird,
                GraspRegion::Whole => QualityRegion::Whole,
            },
            max_width: self.max_opening_width,
        }
    }

    /// Checks the values: the first bad one is an error naming it.
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &str, message: &str| {
            Err(Error::BadParam {
                name: name.into(),
                message: message.into(),
            })
        };
        if !(0.0..=1.0).contains(&self.min_score) {
            return bad("min_score", "must be in [0, 1]");
        }
        if self.max_num_points == 0 {
            return bad("max_num_points", "must be at least 1");
        }
        if !(0.0..=20.0).contains(&self.smoothing_sigma) {
            return bad("smoothing_sigma", "must be in [0, 20]");
        }
        if !(self.max_opening_width > 0.0 && self.max_opening_width.is_finite()) {
            return bad("max_opening_width", "must be positive");
        }
        if !(self.jaw_size_ratio > 0.0 && self.jaw_size_ratio <= 10.0) {
            return bad("jaw_size_ratio", "must be in (0, 10]");
        }
        if self.normal_window.is_multiple_of(2) || self.normal_window > 51 {
            return bad("normal_window", "must be odd, from 1 to 51");
        }
        Ok(())
    }
}
