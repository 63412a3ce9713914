//! `kestrel dataset import --kind pose --format bop` on LM-O's scene in `../shared`: the
//! BOP scene becomes a pose dataset (poses, boxes, camera per image); skipped when
//! `KESTREL_SHARED` is unset.

mod common;

use common::{fails, ok};
use serde_json::Value;

#[test]
fn imports_the_lmo_scene_as_a_pose_dataset() {
    let Some(shared) = kestrel::data::shared_data_dir() else {
        eprintln!("skipped: KESTREL_SHARED not set (it names the shared data folder)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scene = shared.join("data/lmo/test/000002");
    let scene = scene.to_string_lossy();
    let out = ok(
        dir,
        &[
            "dataset", "import", "--kind", "pose", "--format", "bop", "--src", &scene, "--out",
            "lmo.json",
        ],
    );
    assert!(out.contains("imported 20 images in 8 classes"), "{out}");
    let dataset: Value =
        serde_json::from_slice(&std::fs::read(dir.join("lmo.json")).unwrap()).unwrap();
    let first = &dataset["samples"][0];
    let objects = first["bbox_label_id"].as_array().unwrap().len();
    assert!(objects > 0);
    assert_eq!(first["pose_cam_R_m2c"].as_array().unwrap().len(), objects);
    assert_eq!(first["pose_cam_t_m2c"].as_array().unwrap().len(), objects);
    assert_eq!(first["cam_K"].as_array().unwrap().len(), 9);

    // A scene without its models folder.
    let message = fails(
        dir,
        &[
            "dataset", "import", "--kind", "pose", "--format", "bop", "--src", &scene, "--labels",
            "nowhere", "--out", "x.json",
        ],
    );
    assert!(message.contains("nowhere"), "{message}");
}

#[test]
fn renders_training_images_of_the_lmo_models_and_imports_them() {
    let Some(shared) = kestrel::data::shared_data_dir() else {
        eprintln!("skipped: KESTREL_SHARED not set (it names the shared data folder)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let config = serde_json::json!({
        "bop_models": { "dir": shared.join("data/lmo/models") },
        "camera": { "fx": 143.1, "fy": 143.4, "cx": 80.0, "cy": 60.0,
                    "width": 160, "height": 120 },
        "backgrounds": [shared.join("data/images")],
        "num_images": 2,
        "seed": 3
    });
    std::fs::write(dir.join("synth.json"), config.to_string()).unwrap();
    let out = ok(
        dir,
        &[
            "dataset",
            "render",
            "--config",
            "synth.json",
            "--out",
            "synth/000000",
        ],
    );
    assert!(
        out.contains("2 images in") && out.contains("2 rendered now"),
        "{out}"
    );
    // Continued with more images: the first two are kept.
    let out = ok(
        dir,
        &[
            "dataset",
            "render",
            "--config",
            "synth.json",
            "--num-images",
            "3",
            "--out",
            "synth/000000",
        ],
    );
    assert!(
        out.contains("1 rendered now") && out.contains("2 kept"),
        "{out}"
    );
    let models = shared.join("data/lmo/models");
    let out = ok(
        dir,
        &[
            "dataset",
            "import",
            "--kind",
            "pose",
            "--format",
            "bop",
            "--src",
            "synth/000000",
            "--labels",
            &models.to_string_lossy(),
            "--out",
            "synth_dataset.json",
        ],
    );
    assert!(out.contains("imported 3 images"), "{out}");

    let message = fails(
        dir,
        &[
            "dataset",
            "render",
            "--config",
            "missing.json",
            "--out",
            "x",
        ],
    );
    assert!(message.contains("missing.json"), "{message}");
}
