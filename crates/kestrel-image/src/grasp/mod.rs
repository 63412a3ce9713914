//! Parallel-jaw grasps for gripping-point detection: the per-pixel training targets of a
//! set of good grasp rectangles (GG-CNN style: quality, `cos 2θ`, `sin 2θ`, opening
//! width), and the rectangles moved with an image that is rotated, cropped and scaled.
//!
//! A grasp is a [`RotatedRect`](crate::RotatedRect) (HALCON `rectangle2`, continuous
//! coordinates as for [`AxisBox`](crate::AxisBox)): `phi` is the opening direction (jaw to
//! jaw) counter-clockwise on screen, `length1` half the opening width, `length2` half the
//! jaw size. It lives here, beside augmentation and label images, because its targets are
//! images the loader builds at the model's size after the rectangles moved with the
//! augmentation ([`AugmentPlan::apply_rotated`](crate::AugmentPlan::apply_rotated)).

mod targets;
mod transform;

pub use targets::{GRASP_MAX_WIDTH, GraspTargetParams, GraspTargets, QualityRegion, grasp_targets};
pub use transform::ImageTransform;
