//! 3D gripping point detection (HALCON's `gripping_point_detection`): where a robot can
//! pick objects up, from an image and its depth image. The network (`net.rs`) sees the
//! colour through a pretrained encoder and the geometry (`geometry.rs`: height above the
//! scene's median depth) through its own stem, and predicts per pixel a gripping map
//! (GG-CNN style: where a grasp may be centred), the parallel-jaw grasp angle as `cos 2θ`,
//! `sin 2θ`, and the opening width, so one model serves suction and parallel grippers.
//! `decode.rs` turns the maps into gripping points (one per region above `min_score`),
//! `pose3d.rs` lifts each to 3D with its pose (approach along the surface normal),
//! `evaluate.rs` measures the Cornell rectangle metric, point precision and map IoU.

mod apply;
mod decode;
mod entry;
mod evaluate;
mod geometry;
mod method;
mod net;
mod params;
mod pose3d;
mod result;

pub use apply::image_points;
pub use decode::{GripMaps, MapPoint, find_points};
pub use entry::{GrippingMethod, gripping_params};
pub use evaluate::{GrippedScene, GrippingReport, TOP_K};
pub use geometry::{geometry_input, geometry_planes};
pub use method::{GripAnnotation, GripTarget, Gripping, scene_xyz};
pub use net::{GEOMETRY_INPUTS, GrippingNet, OUTPUTS};
pub use params::{GraspRegion, GrippingParams};
pub use pose3d::{GripPose3d, grip_pose};
pub use result::{GrippingPoint, GrippingResult};

/// The `model_type` of gripping-point detection.
pub const NAME: &str = "gripping_point_detection";

/// The one class of a gripping model.
pub const GRIPPING_CLASS: &str = "grippable";
