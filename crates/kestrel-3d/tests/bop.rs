//! BOP import on a small scene written here: the dataset it gives, and files that cannot be
//! used.

use std::path::Path;

use kestrel_3d::bop::sample_poses;
use kestrel_3d::import_bop;

const MODELS_INFO: &str = r#"{"1": {"diameter": 100.0, "min_x": -50, "min_y": -50, "min_z": -50, "size_x": 100, "size_y": 100, "size_z": 100}}"#;
const CAMERA: &str =
    r#"{"1": {"cam_K": [500.0, 0.0, 32.0, 0.0, 500.0, 24.0, 0.0, 0.0, 1.0], "depth_scale": 0.1}}"#;
const GT_INFO: &str =
    r#"{"1": [{"bbox_obj": [10, 5, 20, 30], "bbox_visib": [10, 5, 20, 30], "visib_fract": 0.75}]}"#;

fn gt(rotation: &str, obj_id: u32) -> String {
    format!(
        r#"{{"1": [{{"cam_R_m2c": {rotation}, "cam_t_m2c": [1.0, 2.0, 800.0], "obj_id": {obj_id}}}]}}"#
    )
}

const IDENTITY: &str = "[1, 0, 0, 0, 1, 0, 0, 0, 1]";

/// A scene folder and a models folder in `dir`, with the given `scene_gt.json`.
fn write_scene(dir: &Path, scene_gt: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let scene = dir.join("scene");
    let models = dir.join("models");
    std::fs::create_dir_all(scene.join("rgb")).unwrap();
    std::fs::create_dir_all(&models).unwrap();
    image::RgbImage::new(64, 48)
        .save(scene.join("rgb/000001.png"))
        .unwrap();
    std::fs::write(models.join("models_info.json"), MODELS_INFO).unwrap();
    std::fs::write(scene.join("scene_camera.json"), CAMERA).unwrap();
    std::fs::write(scene.join("scene_gt_info.json"), GT_INFO).unwrap();
    std::fs::write(scene.join("scene_gt.json"), scene_gt).unwrap();
    (scene, models)
}

#[test]
fn a_scene_becomes_a_pose_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let (scene, models) = write_scene(dir.path(), &gt(IDENTITY, 1));
    let ds = import_bop(&scene, &models).unwrap();
    assert_eq!(
        (ds.class_ids.as_slice(), ds.class_names[0].as_str()),
        ([1].as_slice(), "obj_000001")
    );
    let s = &ds.samples[0];
    assert_eq!(s.image_file_name, "rgb/000001.png");
    assert_eq!(s.bbox_label_id, Some(vec![1]));
    // [x 10, y 5, last - first 20, 30]: columns 10..=30, rows 5..=35, clipped to 48 rows.
    assert_eq!(
        (s.bbox_col1.clone(), s.bbox_col2.clone()),
        (Some(vec![10.0]), Some(vec![31.0]))
    );
    assert_eq!(
        (s.bbox_row1.clone(), s.bbox_row2.clone()),
        (Some(vec![5.0]), Some(vec![36.0]))
    );
    assert_eq!(s.pose_visib_fract, Some(vec![0.75]));
    assert_eq!(s.cam_k.unwrap()[2], 32.0);
    let poses = sample_poses(s).unwrap();
    assert_eq!(poses[0].pose.translation(), [1.0, 2.0, 800.0]);
}

#[test]
fn bad_scenes_are_errors_naming_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let scaled = "[2, 0, 0, 0, 2, 0, 0, 0, 2]";
    let (scene, models) = write_scene(dir.path(), &gt(scaled, 1));
    let err = import_bop(&scene, &models).unwrap_err().to_string();
    assert!(
        err.contains("scene_gt.json: 1[0].cam_R_m2c") && err.contains("not a rotation"),
        "{err}"
    );

    let (scene, models) = write_scene(dir.path(), &gt(IDENTITY, 7));
    let err = import_bop(&scene, &models).unwrap_err().to_string();
    assert!(
        err.contains("1[0].obj_id") && err.contains("object 7 is not in"),
        "{err}"
    );

    let (scene, models) = write_scene(dir.path(), &gt("[1, 0, 0]", 1));
    let err = import_bop(&scene, &models).unwrap_err().to_string();
    assert!(
        err.contains("scene_gt.json: invalid or unexpected JSON"),
        "{err}"
    );

    let (scene, models) = write_scene(dir.path(), &gt(IDENTITY, 1));
    std::fs::remove_file(scene.join("rgb/000001.png")).unwrap();
    let err = import_bop(&scene, &models).unwrap_err().to_string();
    assert!(
        err.contains("000001.png") && err.contains("not found"),
        "{err}"
    );

    let (scene, models) = write_scene(dir.path(), &gt(IDENTITY, 1));
    std::fs::write(
        scene.join("scene_camera.json"),
        r#"{"2": {"cam_K": [1, 0, 0, 0, 1, 0, 0, 0, 1]}}"#,
    )
    .unwrap();
    let err = import_bop(&scene, &models).unwrap_err().to_string();
    assert!(err.contains("scene_camera.json: 1: no camera"), "{err}");

    let (scene, models) = write_scene(dir.path(), &gt(IDENTITY, 1));
    std::fs::write(
        models.join("models_info.json"),
        r#"{"1": {"diameter": -3}}"#,
    )
    .unwrap();
    let err = import_bop(&scene, &models).unwrap_err().to_string();
    assert!(err.contains("models_info.json: 1.diameter"), "{err}");
}
