//! The 3D view of a gripping sample (`kestrel_data::gripping`): its depth image lifted to
//! camera points with its camera, as a depth along the axis or a range along the ray.

use kestrel_data::{Dataset, DepthKind, Sample};

use crate::bop::sample_camera;
use crate::error::Error3d;
use crate::{DepthImage, XyzImage};

/// The XYZ image of a gripping sample: its `depth_file_name` read with `depth_scale`
/// (absent: 1, millimetres) and lifted with its `cam_K` as `depth_kind` says (absent:
/// `z`, [`XyzImage::from_depth`]; `range`: [`XyzImage::from_range`]). Errors name the
/// sample and field (no depth file, no `cam_K`, a non-positive scale) or the file.
pub fn sample_xyz(dataset: &Dataset, sample: &Sample) -> Result<XyzImage, Error3d> {
    let field = |name: &str| format!("image_id {}, field {name}", sample.image_id);
    let path = dataset
        .depth_path(sample)
        .ok_or_else(|| Error3d::invalid(field("depth_file_name"), "missing"))?;
    let scale = sample.depth_scale.unwrap_or(1.0);
    if !(scale > 0.0 && scale.is_finite()) {
        return Err(Error3d::invalid(
            field("depth_scale"),
            format!("{scale} must be positive and finite"),
        ));
    }
    let depth = DepthImage::read(&path, scale as f32)?;
    let camera = sample_camera(sample, depth.width(), depth.height())?;
    match sample.depth_kind.unwrap_or(DepthKind::Z) {
        DepthKind::Z => XyzImage::from_depth(&depth, &camera),
        DepthKind::Range => XyzImage::from_range(&depth, &camera),
    }
}
