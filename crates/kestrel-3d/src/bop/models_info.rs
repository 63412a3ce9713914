//! `models_info.json`: each object's size, diameter and symmetries.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::json::read_id_map;
use crate::error::Error3d;
use crate::linalg::{self, Vec3};
use crate::pose::Pose;

/// A continuous rotational symmetry: any rotation about `axis` through `offset` maps the
/// object onto itself (model coordinates, millimetres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContinuousSymmetry {
    /// Unit direction of the axis.
    pub axis: Vec3,
    /// A point on the axis.
    pub offset: Vec3,
}

/// What `models_info.json` says about one object model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelInfo {
    /// Largest distance between two model points, millimetres.
    pub diameter: f64,
    /// Smallest model coordinate along x, y, z.
    pub min: Vec3,
    /// Extent of the model along x, y, z.
    pub size: Vec3,
    /// Discrete symmetries: transforms (besides the identity) that map the object onto
    /// itself.
    pub symmetries_discrete: Vec<Pose>,
    /// Continuous symmetries.
    pub symmetries_continuous: Vec<ContinuousSymmetry>,
}

#[derive(Deserialize)]
struct RawInfo {
    diameter: f64,
    #[serde(default)]
    min_x: f64,
    #[serde(default)]
    min_y: f64,
    #[serde(default)]
    min_z: f64,
    #[serde(default)]
    size_x: f64,
    #[serde(default)]
    size_y: f64,
    #[serde(default)]
    size_z: f64,
    #[serde(default)]
    symmetries_discrete: Vec<[f64; 16]>,
    #[serde(default)]
    symmetries_continuous: Vec<RawContinuous>,
}

#[derive(Deserialize)]
struct RawContinuous {
    axis: [f64; 3],
    offset: [f64; 3],
}

/// Reads `models_info.json`: object id to its [`ModelInfo`]. Errors name the file and the
/// object (a diameter that is not positive, a symmetry that is not a rigid transform).
pub fn read_models_info(path: &Path) -> Result<BTreeMap<u32, ModelInfo>, Error3d> {
    let raw: BTreeMap<u32, RawInfo> = read_id_map(path)?;
    let field_error = |id: u32, field: &str, message: String| Error3d::Field {
        path: path.to_path_buf(),
        field: format!("{id}.{field}"),
        message,
    };
    raw.into_iter()
        .map(|(id, r)| {
            if !(r.diameter > 0.0 && r.diameter.is_finite()) {
                return Err(field_error(
                    id,
                    "diameter",
                    format!("{} is not a positive length", r.diameter),
                ));
            }
            let symmetries_discrete = r
                .symmetries_discrete
                .iter()
                .enumerate()
                .map(|(k, m)| {
                    Pose::from_matrix4("symmetry", m).map_err(|e| {
                        field_error(id, &format!("symmetries_discrete[{k}]"), e.to_string())
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let symmetries_continuous = r
                .symmetries_continuous
                .iter()
                .enumerate()
                .map(|(k, s)| {
                    let axis = linalg::normalize(s.axis).ok_or_else(|| {
                        field_error(
                            id,
                            &format!("symmetries_continuous[{k}].axis"),
                            "axis has no direction".into(),
                        )
                    })?;
                    Ok(ContinuousSymmetry {
                        axis,
                        offset: s.offset,
                    })
                })
                .collect::<Result<Vec<_>, Error3d>>()?;
            let info = ModelInfo {
                diameter: r.diameter,
                min: [r.min_x, r.min_y, r.min_z],
                size: [r.size_x, r.size_y, r.size_z],
                symmetries_discrete,
                symmetries_continuous,
            };
            Ok((id, info))
        })
        .collect()
}

/// The most transforms [`ModelInfo::symmetry_transforms`] gives: real objects have a few
/// discrete symmetries or one continuous one (315 transforms at bop_toolkit's step 0.01).
pub const MAX_SYMMETRY_TRANSFORMS: usize = 100_000;

/// The path of object `obj_id`'s model in a BOP models folder: `obj_NNNNNN.ply`.
pub fn model_path(models_dir: &Path, obj_id: u32) -> PathBuf {
    models_dir.join(format!("obj_{obj_id:06}.ply"))
}

impl ModelInfo {
    /// Every transform that maps the object onto itself, the identity first: the
    /// discrete symmetries, each combined with the continuous ones sampled every
    /// `max_step` radians (bop_toolkit's `get_symmetry_transformations`, which uses
    /// 0.01; unlike it, the rotation by 0 is kept).
    ///
    /// An error when there would be more than [`MAX_SYMMETRY_TRANSFORMS`] (a
    /// `models_info.json` of a few kilobytes could otherwise ask for gigabytes).
    pub fn symmetry_transforms(&self, max_step: f64) -> Result<Vec<Pose>, Error3d> {
        if !(max_step > 0.0 && max_step.is_finite()) {
            return Err(Error3d::invalid(
                "symmetry sampling",
                format!("step {max_step} must be positive"),
            ));
        }
        let steps = (std::f64::consts::PI / max_step).ceil() as usize;
        let count = (self.symmetries_discrete.len() + 1)
            .saturating_mul(self.symmetries_continuous.len().max(1))
            .saturating_mul(if self.symmetries_continuous.is_empty() {
                1
            } else {
                steps
            });
        if count > MAX_SYMMETRY_TRANSFORMS {
            return Err(Error3d::invalid(
                "symmetry sampling",
                format!(
                    "{} discrete and {} continuous symmetries sampled in {steps} steps give                      {count} transforms, more than {MAX_SYMMETRY_TRANSFORMS}",
                    self.symmetries_discrete.len(),
                    self.symmetries_continuous.len()
                ),
            ));
        }
        let mut discrete = vec![Pose::IDENTITY];
        discrete.extend(self.symmetries_discrete.iter().copied());
        let mut continuous = Vec::new();
        for s in &self.symmetries_continuous {
            for i in 0..steps {
                let angle = 2.0 * std::f64::consts::PI * i as f64 / steps as f64;
                let rotation = Pose::from_axis_angle(s.axis, angle, [0.0; 3])?;
                // Rotation about the axis through `offset`: p -> R (p - o) + o.
                let t = linalg::sub(s.offset, rotation.rotate(s.offset));
                continuous.push(Pose::from_translation(t).compose(&rotation));
            }
        }
        if continuous.is_empty() {
            return Ok(discrete);
        }
        Ok(discrete
            .iter()
            .flat_map(|d| continuous.iter().map(move |c| c.compose(d)))
            .collect())
    }
}
