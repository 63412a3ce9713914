//! One BOP scene folder: its images, cameras and ground-truth poses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::json::read_id_map;
use crate::camera::Intrinsics;
use crate::error::Error3d;
use crate::pose::Pose;

/// One annotated object in a BOP image.
#[derive(Debug, Clone, PartialEq)]
pub struct BopInstance {
    /// The object (model) id.
    pub obj_id: u32,
    /// Model-to-camera pose (`cam_R_m2c`, `cam_t_m2c`).
    pub pose: Pose,
    /// Box of the whole silhouette, occluded parts included, `[x, y, width, height]` with
    /// `width = last column - first column` (may extend past the image);
    /// `[-1, -1, -1, -1]` when the object is entirely outside the image.
    pub bbox_obj: [i64; 4],
    /// Box of the visible part, same convention; `[-1, -1, -1, -1]` when nothing is
    /// visible.
    pub bbox_visib: [i64; 4],
    /// Fraction of the silhouette that is visible.
    pub visib_fract: f64,
}

/// One image of a BOP scene with its camera and objects.
#[derive(Debug, Clone, PartialEq)]
pub struct BopImage {
    /// The image id (`im_id`, the number in the file name).
    pub im_id: u64,
    /// The colour (or grey) image, relative to the scene folder, e.g. `rgb/000003.png`.
    pub image_file: String,
    /// The camera, with the image's size.
    pub camera: Intrinsics,
    /// Factor from the depth images' values to millimetres.
    pub depth_scale: f64,
    /// The annotated objects, in the order of `scene_gt.json`.
    pub instances: Vec<BopInstance>,
}

#[derive(Deserialize)]
struct RawCamera {
    #[serde(rename = "cam_K")]
    cam_k: [f64; 9],
    #[serde(default = "one")]
    depth_scale: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
struct RawGt {
    #[serde(rename = "cam_R_m2c")]
    cam_r_m2c: [f64; 9],
    cam_t_m2c: [f64; 3],
    obj_id: u32,
}

#[derive(Deserialize)]
struct RawGtInfo {
    bbox_obj: [i64; 4],
    bbox_visib: [i64; 4],
    visib_fract: f64,
}

/// Reads a BOP scene folder (`scene_camera.json`, `scene_gt.json`, `scene_gt_info.json`
/// and the images in `rgb/` or `gray/`). Every image of `scene_gt.json` must have a camera,
/// box information for each object and an image file; errors name the file and the
/// field (`<im_id>[<instance>].cam_R_m2c` and the like).
pub fn read_bop_scene(scene_dir: &Path) -> Result<Vec<BopImage>, Error3d> {
    let cam_path = scene_dir.join("scene_camera.json");
    let gt_path = scene_dir.join("scene_gt.json");
    let info_path = scene_dir.join("scene_gt_info.json");
    let cameras: BTreeMap<u64, RawCamera> = read_id_map(&cam_path)?;
    let gts: BTreeMap<u64, Vec<RawGt>> = read_id_map(&gt_path)?;
    let infos: BTreeMap<u64, Vec<RawGtInfo>> = read_id_map(&info_path)?;
    let field = |path: &Path, field: String, message: String| Error3d::Field {
        path: path.to_path_buf(),
        field,
        message,
    };
    let mut images = Vec::with_capacity(gts.len());
    for (&im_id, gt) in &gts {
        let raw_cam = cameras.get(&im_id).ok_or_else(|| {
            field(
                &cam_path,
                im_id.to_string(),
                "no camera for this image of scene_gt.json".into(),
            )
        })?;
        let info = infos.get(&im_id).ok_or_else(|| {
            field(
                &info_path,
                im_id.to_string(),
                "no entry for this image of scene_gt.json".into(),
            )
        })?;
        if info.len() != gt.len() {
            return Err(field(
                &info_path,
                im_id.to_string(),
                format!("{} entries but scene_gt.json has {}", info.len(), gt.len()),
            ));
        }
        let image_file = find_image(scene_dir, im_id)?;
        let (width, height) =
            image::image_dimensions(scene_dir.join(&image_file)).map_err(|e| Error3d::Image {
                path: scene_dir.join(&image_file),
                message: e.to_string(),
            })?;
        let camera = Intrinsics::from_k(&raw_cam.cam_k, width, height)
            .map_err(|e| field(&cam_path, format!("{im_id}.cam_K"), e.to_string()))?;
        let instances = gt
            .iter()
            .zip(info)
            .enumerate()
            .map(|(k, (g, i))| {
                let pose =
                    Pose::from_row_major("pose", &g.cam_r_m2c, &g.cam_t_m2c).map_err(|e| {
                        field(&gt_path, format!("{im_id}[{k}].cam_R_m2c"), e.to_string())
                    })?;
                Ok(BopInstance {
                    obj_id: g.obj_id,
                    pose,
                    bbox_obj: i.bbox_obj,
                    bbox_visib: i.bbox_visib,
                    visib_fract: i.visib_fract,
                })
            })
            .collect::<Result<Vec<_>, Error3d>>()?;
        images.push(BopImage {
            im_id,
            image_file,
            camera,
            depth_scale: raw_cam.depth_scale,
            instances,
        });
    }
    Ok(images)
}

/// The image file of `im_id` relative to the scene folder: `rgb/` or `gray/`, `.png`,
/// `.jpg` or `.tif`.
fn find_image(scene_dir: &Path, im_id: u64) -> Result<String, Error3d> {
    for folder in ["rgb", "gray"] {
        for ext in ["png", "jpg", "tif"] {
            let name = format!("{folder}/{im_id:06}.{ext}");
            if scene_dir.join(&name).is_file() {
                return Ok(name);
            }
        }
    }
    let expected: PathBuf = scene_dir.join(format!("rgb/{im_id:06}.png"));
    Err(Error3d::format(
        expected,
        "image of scene_gt.json not found (looked in rgb/ and gray/ for png, jpg, tif)",
    ))
}
