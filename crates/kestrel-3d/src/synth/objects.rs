//! The CAD objects of a configuration, read and measured once.

use std::path::PathBuf;

use super::config::SynthConfig;
use crate::bop::{model_path, read_models_info};
use crate::error::Error3d;
use crate::linalg::{self, Vec3};
use crate::mesh::Mesh;

/// Diameters below this many millimetres suggest a model in metres.
pub const MIN_PLAUSIBLE_DIAMETER_MM: f64 = 1.0;
/// Diameters above this many millimetres (10 m) suggest a model in micrometres or a
/// scene rather than a part.
pub const MAX_PLAUSIBLE_DIAMETER_MM: f64 = 10_000.0;

/// One object the generator places: its id, mesh and measures.
#[derive(Debug, Clone)]
pub struct SynthObject {
    /// The object id written to `scene_gt.json`.
    pub obj_id: u32,
    /// The PLY file it was read from.
    pub path: PathBuf,
    /// The mesh, in millimetres.
    pub mesh: Mesh,
    /// Largest distance between two vertices, millimetres.
    pub diameter: f64,
    /// Centre of the bounding box, model coordinates: the point placed at the drawn
    /// distance from the camera.
    pub center: Vec3,
    /// Largest distance of a vertex from `center`: the bounding sphere's radius.
    pub radius: f64,
}

impl SynthObject {
    /// Reads and measures the object in `path`.
    fn read(obj_id: u32, path: PathBuf) -> Result<SynthObject, Error3d> {
        let mesh = Mesh::read_ply(&path)?;
        let b = mesh.bounding_box();
        let center = linalg::scale(linalg::add(b.min, b.max), 0.5);
        let radius = mesh
            .vertices()
            .iter()
            .map(|v| linalg::distance(v.map(f64::from), center))
            .fold(0.0, f64::max);
        let diameter = mesh.diameter();
        Ok(SynthObject {
            obj_id,
            path,
            mesh,
            diameter,
            center,
            radius,
        })
    }

    /// A warning when the diameter suggests units other than millimetres.
    fn unit_warning(&self) -> Option<String> {
        let d = self.diameter;
        let what = if d < MIN_PLAUSIBLE_DIAMETER_MM {
            "below 1 mm: is the model in metres? Kestrel's models are in millimetres"
        } else if d > MAX_PLAUSIBLE_DIAMETER_MM {
            "above 10 m: is the model in micrometres or not a part? Kestrel's models are in millimetres"
        } else {
            return None;
        };
        Some(format!(
            "{}: object {} has diameter {d:.4} mm, {what}",
            self.path.display(),
            self.obj_id
        ))
    }
}

/// Every object of `config` (its `objects` and its `bop_models`), sorted by id, with a
/// warning per object whose size suggests other units than millimetres. Errors name the
/// file: a missing or unreadable PLY file, one without faces, a models folder without
/// `models_info.json` or an id that is not in it.
pub(super) fn load_objects(
    config: &SynthConfig,
) -> Result<(Vec<SynthObject>, Vec<String>), Error3d> {
    let mut sources: Vec<(u32, PathBuf)> = config
        .objects
        .iter()
        .map(|o| (o.obj_id, o.ply.clone()))
        .collect();
    if let Some(bop) = &config.bop_models {
        let info_path = bop.dir.join("models_info.json");
        let info = read_models_info(&info_path)?;
        let ids: Vec<u32> = match &bop.obj_ids {
            Some(ids) => ids.clone(),
            None => info.keys().copied().collect(),
        };
        for id in ids {
            if !info.contains_key(&id) {
                return Err(Error3d::Field {
                    path: info_path,
                    field: id.to_string(),
                    message: "object id of bop_models.obj_ids is not in this file".into(),
                });
            }
            if sources.iter().any(|(i, _)| *i == id) {
                return Err(Error3d::config(
                    "bop_models.obj_ids",
                    format!("object id {id} is also given in objects"),
                ));
            }
            sources.push((id, model_path(&bop.dir, id)));
        }
    }
    if sources.is_empty() {
        return Err(Error3d::config("objects", "no objects"));
    }
    sources.sort_by_key(|(id, _)| *id);
    let objects = sources
        .into_iter()
        .map(|(id, path)| SynthObject::read(id, path))
        .collect::<Result<Vec<_>, _>>()?;
    let warnings = objects
        .iter()
        .filter_map(SynthObject::unit_warning)
        .collect();
    Ok((objects, warnings))
}
