//! A BOP scene as a Kestrel pose-estimation dataset, and the poses read back from it.

use std::path::Path;

use kestrel_data::{Dataset, Sample};

use super::models_info::read_models_info;
use super::scene::{BopImage, read_bop_scene};
use crate::camera::Intrinsics;
use crate::error::Error3d;
use crate::pose::Pose;

/// Imports one BOP scene folder (e.g. `lmo/test/000002`) with its models folder (e.g.
/// `lmo/models`, holding `models_info.json`) as a Kestrel dataset for pose estimation.
///
/// Classes are the objects of `models_info.json` (`class_ids` = BOP object ids, names
/// `obj_NNNNNN`); `image_dir` is the scene folder and `models_dir` the models folder, as
/// given. Each sample is one image (`image_id` = BOP `im_id`, `image_file_name` e.g.
/// `rgb/000003.png`) with `cam_K`, and per annotated object, in the order of
/// `scene_gt.json`: `bbox_label_id` (the object id), the pose in `pose_cam_R_m2c` and
/// `pose_cam_t_m2c` (millimetres), `pose_visib_fract`, and the box of its whole
/// silhouette (`bbox_obj`, occluded parts included) clipped to the image in
/// `bbox_row1`/`bbox_col1`/`bbox_row2`/`bbox_col2` (edges exclusive, pixel edges at integers).
/// Objects entirely outside the image (BOP `bbox_obj` = `[-1, -1, -1, -1]`) are left out.
///
/// Errors name the file and field; an object id missing from `models_info.json` is one.
pub fn import_bop(scene_dir: &Path, models_dir: &Path) -> Result<Dataset, Error3d> {
    let info_path = models_dir.join("models_info.json");
    let models = read_models_info(&info_path)?;
    let images = read_bop_scene(scene_dir)?;
    for image in &images {
        for (k, inst) in image.instances.iter().enumerate() {
            if !models.contains_key(&inst.obj_id) {
                return Err(Error3d::Field {
                    path: scene_dir.join("scene_gt.json"),
                    field: format!("{}[{k}].obj_id", image.im_id),
                    message: format!("object {} is not in {}", inst.obj_id, info_path.display()),
                });
            }
        }
    }
    Ok(Dataset {
        class_names: models.keys().map(|id| format!("obj_{id:06}")).collect(),
        class_ids: models.keys().copied().collect(),
        image_dir: scene_dir.to_string_lossy().into_owned(),
        samples: images.iter().map(sample_of).collect(),
        models_dir: Some(models_dir.to_string_lossy().into_owned()),
        ..Default::default()
    })
}

/// The dataset sample of one BOP image.
fn sample_of(image: &BopImage) -> Sample {
    let (w, h) = (
        f64::from(image.camera.width),
        f64::from(image.camera.height),
    );
    let inst: Vec<_> = image
        .instances
        .iter()
        .filter(|i| i.bbox_obj != [-1; 4])
        .collect();
    // BOP boxes: [x, y, last - first column, last - first row]; Kestrel's: pixel edges.
    let edges = |b: &[i64; 4]| {
        let [x, y, bw, bh] = b.map(|v| v as f64);
        [
            y.clamp(0.0, h),
            x.clamp(0.0, w),
            (y + bh + 1.0).clamp(0.0, h),
            (x + bw + 1.0).clamp(0.0, w),
        ]
    };
    let boxes: Vec<[f64; 4]> = inst.iter().map(|i| edges(&i.bbox_obj)).collect();
    Sample {
        image_id: image.im_id,
        image_file_name: image.image_file.clone(),
        bbox_label_id: Some(inst.iter().map(|i| i.obj_id).collect()),
        bbox_row1: Some(boxes.iter().map(|b| b[0]).collect()),
        bbox_col1: Some(boxes.iter().map(|b| b[1]).collect()),
        bbox_row2: Some(boxes.iter().map(|b| b[2]).collect()),
        bbox_col2: Some(boxes.iter().map(|b| b[3]).collect()),
        pose_cam_r_m2c: Some(
            inst.iter()
                .map(|i| i.pose.rotation().to_row_major())
                .collect(),
        ),
        pose_cam_t_m2c: Some(inst.iter().map(|i| i.pose.translation()).collect()),
        pose_visib_fract: Some(inst.iter().map(|i| i.visib_fract).collect()),
        cam_k: Some(image.camera.k()),
        ..Default::default()
    }
}

/// One object of a pose-estimation sample: its id and model-to-camera pose.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoseAnnotation {
    /// The object id (`bbox_label_id`).
    pub obj_id: u32,
    /// Model-to-camera pose.
    pub pose: Pose,
}

/// The objects and poses of a pose-estimation sample; an error naming the image and field
/// when the pose fields are missing, have another length than `bbox_label_id`, or hold a
/// matrix that is not a rotation.
pub fn sample_poses(sample: &Sample) -> Result<Vec<PoseAnnotation>, Error3d> {
    let what = |field: &str| format!("image_id {}, field {field}", sample.image_id);
    let missing =
        |field: &str| Error3d::invalid(what(field), "missing (not a pose-estimation sample)");
    let ids = sample
        .bbox_label_id
        .as_ref()
        .ok_or_else(|| missing("bbox_label_id"))?;
    let rs = sample
        .pose_cam_r_m2c
        .as_ref()
        .ok_or_else(|| missing("pose_cam_R_m2c"))?;
    let ts = sample
        .pose_cam_t_m2c
        .as_ref()
        .ok_or_else(|| missing("pose_cam_t_m2c"))?;
    for (field, len) in [("pose_cam_R_m2c", rs.len()), ("pose_cam_t_m2c", ts.len())] {
        if len != ids.len() {
            return Err(Error3d::invalid(
                what(field),
                format!("{len} entries but bbox_label_id has {}", ids.len()),
            ));
        }
    }
    ids.iter()
        .zip(rs.iter().zip(ts))
        .enumerate()
        .map(|(k, (&obj_id, (r, t)))| {
            let pose = Pose::from_row_major(&format!("{}[{k}]", what("pose_cam_R_m2c")), r, t)?;
            Ok(PoseAnnotation { obj_id, pose })
        })
        .collect()
}

/// The camera of a pose-estimation sample (`cam_K`) for an image of `width` x `height`.
pub fn sample_camera(sample: &Sample, width: u32, height: u32) -> Result<Intrinsics, Error3d> {
    let k = sample.cam_k.as_ref().ok_or_else(|| {
        Error3d::invalid(
            format!("image_id {}, field cam_K", sample.image_id),
            "missing",
        )
    })?;
    Intrinsics::from_k(k, width, height)
}
