//! Deep counting from the command line on a synthetic picture: import a JSON list, prepare
//! a model with its example boxes, count with pictures, evaluate, and the errors a user
//! meets.

mod common;

use common::{fails, ok};
use serde_json::{Value, json};
use std::path::Path;

/// A 320x240 light picture with 30 dark discs (radius 7) on a jittered grid; returns the
/// disc centres `(x, y)`.
fn discs(path: &Path) -> Vec<(f64, f64)> {
    let mut image = image::RgbImage::from_pixel(320, 240, image::Rgb([210, 200, 180]));
    let mut centres = Vec::new();
    for i in 0..30 {
        let (gx, gy) = (i % 6, i / 6);
        let x = 30.0 + gx as f64 * 50.0 + ((i * 7) % 11) as f64 - 5.0;
        let y = 30.0 + gy as f64 * 45.0 + ((i * 5) % 9) as f64 - 4.0;
        for py in 0..240u32 {
            for px in 0..320u32 {
                let (dx, dy) = (f64::from(px) + 0.5 - x, f64::from(py) + 0.5 - y);
                if dx * dx + dy * dy <= 49.0 {
                    image.put_pixel(px, py, image::Rgb([60, 40, 90]));
                }
            }
        }
        centres.push((x, y));
    }
    image.save(path).unwrap();
    centres
}

#[test]
fn count_discs_prepare_evaluate_and_refuse_bad_examples() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let centres = discs(&dir.join("discs.png"));
    let boxes: Vec<Value> = centres[..3]
        .iter()
        .map(|&(x, y)| json!([x - 9.0, y - 9.0, x + 9.0, y + 9.0]))
        .collect();
    let points: Vec<Value> = centres.iter().map(|&(x, y)| json!([x, y])).collect();
    let list = json!([{"image": "discs.png", "exemplars": boxes, "points": points}]);
    std::fs::write(dir.join("list.json"), list.to_string()).unwrap();
    ok(
        dir,
        &[
            "dataset",
            "import",
            "--kind",
            "counting",
            "--format",
            "json",
            "--src",
            "list.json",
            "--out",
            "discs.json",
        ],
    );
    ok(
        dir,
        &[
            "dataset",
            "split",
            "discs.json",
            "--train",
            "0",
            "--val",
            "0",
            "--test",
            "100",
        ],
    );
    ok(
        dir,
        &[
            "train",
            "--model-type",
            "deep_counting",
            "--pretrained",
            "mobilenet_v2",
            "--dataset",
            "discs.json",
            "--out",
            "discs.kmodel",
        ],
    );
    ok(
        dir,
        &[
            "count",
            "--model",
            "discs.kmodel",
            "discs.png",
            "--out",
            "count.json",
            "--overlays",
            "pictures",
        ],
    );
    let results: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("count.json")).unwrap()).unwrap();
    let count = results[0]["count"].as_u64().unwrap();
    assert_eq!(count, 30, "{count} discs counted");
    let first = &results[0]["objects"][0];
    assert!(first["row"].is_f64() && first["bbox_col2"].is_f64() && first["score"].is_f64());
    assert!(
        dir.join("pictures/discs_count.png").exists()
            && dir.join("pictures/discs_scores.png").exists()
    );

    ok(
        dir,
        &[
            "evaluate",
            "--model",
            "discs.kmodel",
            "--dataset",
            "discs.json",
            "--split",
            "test",
            "--out",
            "eval.json",
        ],
    );
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("eval.json")).unwrap()).unwrap();
    assert_eq!(report["mae"].as_f64(), Some(0.0), "{report}");
    assert!(report["f1"].as_f64().unwrap() > 0.99);

    // An image without examples, examples outside the image, a list that is not a dataset.
    let bare = json!([{"image": "discs.png"}]);
    std::fs::write(dir.join("bare.json"), bare.to_string()).unwrap();
    let message = fails(
        dir,
        &[
            "dataset",
            "import",
            "--kind",
            "counting",
            "--format",
            "json",
            "--src",
            "bare.json",
            "--out",
            "bare_ds.json",
        ],
    );
    assert!(message.contains("no example box"), "{message}");
    let outside = json!([{"image": "discs.png", "exemplars": [[300.0, 10.0, 340.0, 30.0]]}]);
    std::fs::write(dir.join("outside.json"), outside.to_string()).unwrap();
    let message = fails(
        dir,
        &[
            "dataset",
            "import",
            "--kind",
            "counting",
            "--format",
            "json",
            "--src",
            "outside.json",
            "--out",
            "o.json",
        ],
    );
    assert!(message.contains("exemplar"), "{message}");
    let message = fails(
        dir,
        &[
            "count",
            "--model",
            "discs.kmodel",
            "--examples",
            "list.json",
            "discs.png",
            "--out",
            "c2.json",
        ],
    );
    assert!(message.contains("list.json"), "{message}");
}
