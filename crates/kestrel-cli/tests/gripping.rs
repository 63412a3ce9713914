//! Gripping-point detection from the command line on synthetic Cornell-style scenes: import,
//! train, evaluate, infer with pictures and 3D poses, and the errors a user meets (a depth
//! image of the wrong size, a rectangle with three corners, a scene without a camera, an
//! image given without its depth).

mod common;

use common::{fails, ok};
use serde_json::Value;
use std::path::Path;

/// Writes scene `n` (640x480) in the Cornell layout: a light table 600 mm away with a dark
/// 80x40 px box 50 mm above it at a place depending on `n`, one good grasp across the box
/// and one bad grasp on the table.
fn scene(dir: &Path, n: u32) {
    let (bx, by) = (200 + 40 * n, 180 + 20 * n);
    let inside = |x: u32, y: u32| x >= bx && x < bx + 80 && y >= by && y < by + 40;
    let rgb = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb(if inside(x, y) {
            [40, 50, 60]
        } else {
            [200, 200, 190]
        })
    });
    rgb.save(dir.join(format!("pcd{n:04}r.png"))).unwrap();
    let depth = image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_fn(640, 480, |x, y| {
        image::Luma([if inside(x, y) { 550 } else { 600 }])
    });
    depth.save(dir.join(format!("pcd{n:04}d.png"))).unwrap();
    // Across the box's short side: corners (x y) along the opening, then along the jaw.
    let (cx, cy) = (bx as f64 + 40.0, by as f64 + 20.0);
    let rect = |cx: f64, cy: f64| {
        format!(
            "{} {}\n{} {}\n{} {}\n{} {}\n",
            cx - 8.0,
            cy - 30.0,
            cx - 8.0,
            cy + 30.0,
            cx + 8.0,
            cy + 30.0,
            cx + 8.0,
            cy - 30.0
        )
    };
    std::fs::write(dir.join(format!("pcd{n:04}cpos.txt")), rect(cx, cy)).unwrap();
    std::fs::write(dir.join(format!("pcd{n:04}cneg.txt")), rect(100.0, 400.0)).unwrap();
}

/// Runs `dataset import --kind gripping --format cornell --src SRC --out OUT` in `dir`;
/// returns its success and stderr.
fn import(dir: &Path, src: &str, out: &str) -> (bool, String) {
    let args = [
        "dataset", "import", "--kind", "gripping", "--format", "cornell",
    ];
    let mut all = args.to_vec();
    all.extend(["--src", src, "--out", out]);
    let output = common::kestrel(dir, &all);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn gripping_train_evaluate_infer_and_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let scenes = dir.join("scenes");
    std::fs::create_dir(&scenes).unwrap();
    for n in 0..4 {
        scene(&scenes, n);
    }
    let (imported, stderr) = import(dir, "scenes", "scenes.json");
    assert!(imported, "{stderr}");
    // Every scene for training (the default split puts a quarter aside for testing).
    let mut ds: Value =
        serde_json::from_slice(&std::fs::read(dir.join("scenes.json")).unwrap()).unwrap();
    for s in ds["samples"].as_array_mut().unwrap() {
        s["split"] = "train".into();
    }
    std::fs::write(dir.join("all.json"), ds.to_string()).unwrap();
    let train = [
        "train",
        "--model-type",
        "gripping-point-detection",
        "--backbone",
        "compact",
        "--image-size",
        "64x48",
        "--epochs",
        "2",
        "--dataset",
        "all.json",
        "--out",
        "grip.kmodel",
    ];
    ok(dir, &train);
    let summary = ok(
        dir,
        &[
            "evaluate",
            "--model",
            "grip.kmodel",
            "--dataset",
            "all.json",
            "--split",
            "train",
            "--out",
            "eval.json",
        ],
    );
    assert!(summary.contains("Cornell rectangle accuracy"), "{summary}");
    let eval: Value =
        serde_json::from_slice(&std::fs::read(dir.join("eval.json")).unwrap()).unwrap();
    assert_eq!(eval["num_images"], 4);
    assert!(
        eval["rectangle"]["accuracy"].is_number() && eval["points"]["top1_precision"].is_number()
    );

    // With every pixel a candidate, each scene gets points with 3D poses.
    ok(
        dir,
        &[
            "model",
            "set",
            "grip.kmodel",
            "min_score=0",
            "min_area_size=1",
            "--out",
            "grip0.kmodel",
        ],
    );
    ok(
        dir,
        &[
            "infer",
            "--model",
            "grip0.kmodel",
            "all.json",
            "--out",
            "points.json",
            "--overlays",
            "pictures",
        ],
    );
    let results: Value =
        serde_json::from_slice(&std::fs::read(dir.join("points.json")).unwrap()).unwrap();
    let results = results.as_array().unwrap();
    assert_eq!(results.len(), 4);
    for r in results {
        // The position is the pixel's range (550 or 600 mm in these scenes, Cornell's
        // kind) lifted along its ray with the Kinect camera `import` sets.
        let best = &r["points"][0];
        let z = best["pose"]["position"][2].as_f64().unwrap();
        let pixel = &best["pose"]["xyz_pixel"];
        let (row, col) = (pixel[0].as_f64().unwrap(), pixel[1].as_f64().unwrap());
        let ray = (((col - 320.0) / 585.0).powi(2) + ((row - 240.0) / 585.0).powi(2) + 1.0).sqrt();
        let lifted = |range: f64| (z - range / ray).abs() < 0.01;
        assert!(lifted(550.0) || lifted(600.0), "{r}");
        assert!(best["pose"]["opening_width_mm"].as_f64().unwrap() > 0.0);
        let stem = Path::new(r["image"].as_str().unwrap())
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for suffix in ["grasps", "gripping_map"] {
            assert!(
                dir.join(format!("pictures/{stem}_{suffix}.png")).is_file(),
                "{stem}_{suffix}"
            );
        }
    }

    // An image without its depth and camera.
    let e = fails(
        dir,
        &[
            "infer",
            "--model",
            "grip.kmodel",
            "scenes/pcd0000r.png",
            "--out",
            "x.json",
        ],
    );
    assert!(e.contains("gripping dataset file"), "{e}");
    // A scene without a camera: training names the sample and the field.
    let mut no_camera = ds.clone();
    no_camera["samples"][1]
        .as_object_mut()
        .unwrap()
        .remove("cam_K");
    std::fs::write(dir.join("no_camera.json"), no_camera.to_string()).unwrap();
    let e = fails(
        dir,
        &[
            "train",
            "--model-type",
            "gripping-point-detection",
            "--backbone",
            "compact",
            "--image-size",
            "64x48",
            "--epochs",
            "1",
            "--dataset",
            "no_camera.json",
            "--out",
            "nc.kmodel",
        ],
    );
    assert!(e.contains("cam_K"), "{e}");
    // A depth image of another size than the image, and a rectangle with three corners.
    image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_pixel(320, 240, image::Luma([600]))
        .save(scenes.join("pcd0002d.png"))
        .unwrap();
    std::fs::write(scenes.join("pcd0003cpos.txt"), "1 2\n3 4\n5 6\n").unwrap();
    let (imported, e) = import(dir, "scenes", "bad.json");
    assert!(!imported && e.contains("error:"), "{e}");
    assert!(e.contains("pcd0002d.png"), "{e}");
    assert!(e.contains("pcd0003cpos.txt") && e.contains("line"), "{e}");
}
