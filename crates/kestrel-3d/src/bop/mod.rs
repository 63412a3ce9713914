//! The BOP dataset format (<https://bop.felk.cvut.cz>): models with their information,
//! scenes with cameras and ground-truth poses, and their import as a Kestrel dataset.

mod import;
mod json;
mod models_info;
mod scene;

pub use import::{PoseAnnotation, import_bop, sample_camera, sample_poses};
pub(crate) use json::read_json;
pub use models_info::{
    ContinuousSymmetry, MAX_SYMMETRY_TRANSFORMS, ModelInfo, model_path, read_models_info,
};
pub use scene::{BopImage, BopInstance, read_bop_scene};
