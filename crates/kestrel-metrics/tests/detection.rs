//! COCO-style detection evaluation against `pycocotools`: the fixture in
//! `tests/fixtures` (`coco_gt.json`, `coco_dt.json`) and the numbers pycocotools computed
//! on it (`expected_pycocotools.json`, written by `make_expected.py`).

use std::path::{Path, PathBuf};

use kestrel_metrics::{
    Detection, DetectionEvaluation, EvalCategory, EvalImage, GroundTruth, GroundTruthSet, IouType,
    Mask, Rle, RotatedBox, evaluate_detection, iou_thresholds, plot_precision_recall,
    recall_thresholds,
};
use serde::Deserialize;

/// Largest difference allowed to pycocotools' numbers (all float64 there too).
const TOLERANCE: f64 = 1e-9;

#[derive(Deserialize)]
struct CocoFile {
    images: Vec<CocoImage>,
    #[serde(default)]
    categories: Vec<CocoCategory>,
    annotations: Vec<CocoAnnotation>,
}

#[derive(Deserialize)]
struct CocoImage {
    id: u64,
    width: u32,
    height: u32,
}

#[derive(Deserialize)]
struct CocoCategory {
    id: u32,
    name: String,
}

#[derive(Deserialize)]
struct CocoAnnotation {
    image_id: u64,
    category_id: u32,
    bbox: [f64; 4],
    area: f64,
    segmentation: Segmentation,
    iscrowd: u8,
}

#[derive(Deserialize)]
struct CocoResult {
    image_id: u64,
    category_id: u32,
    bbox: [f64; 4],
    score: f64,
    segmentation: Segmentation,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Segmentation {
    Polygons(Vec<Vec<f64>>),
    Rle { counts: Counts, size: [u32; 2] },
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Counts {
    Runs(Vec<u32>),
    Compressed(String),
}

impl Segmentation {
    fn to_mask(&self) -> Mask {
        match self {
            Segmentation::Polygons(p) => Mask::Polygons(p.clone()),
            Segmentation::Rle { counts, size } => Mask::Rle(match counts {
                Counts::Runs(runs) => Rle::new(size[0], size[1], runs.clone()).unwrap(),
                Counts::Compressed(s) => Rle::from_compressed(s, size[0], size[1]).unwrap(),
            }),
        }
    }
}

#[derive(Deserialize)]
struct Expected {
    bbox: ExpectedEval,
    segm: ExpectedEval,
    gt_rles: Vec<String>,
    dt_rles: Vec<String>,
    iou_thresholds: Vec<f64>,
    recall_thresholds: Vec<f64>,
    solar_panel_rles: Option<std::collections::HashMap<String, Checksum>>,
}

#[derive(Deserialize)]
struct ExpectedEval {
    stats: Vec<f64>,
    per_class_ap: Vec<f64>,
    per_class_ap50: Vec<f64>,
    per_class_ap75: Vec<f64>,
    precision50: Vec<Vec<f64>>,
    recall: Vec<f64>,
}

#[derive(Deserialize, Debug, PartialEq)]
struct Checksum {
    checksum: u64,
    area: u64,
    runs: u64,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn read<T: for<'de> Deserialize<'de>>(path: &Path) -> T {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// A COCO instances file as ground truth.
fn ground_truth(coco: &CocoFile) -> GroundTruthSet {
    GroundTruthSet {
        images: coco
            .images
            .iter()
            .map(|i| EvalImage {
                id: i.id,
                width: i.width,
                height: i.height,
            })
            .collect(),
        categories: coco
            .categories
            .iter()
            .map(|c| EvalCategory {
                id: c.id,
                name: c.name.clone(),
            })
            .collect(),
        annotations: coco
            .annotations
            .iter()
            .map(|a| GroundTruth {
                image_id: a.image_id,
                category_id: a.category_id,
                bbox: a.bbox,
                area: a.area,
                iscrowd: a.iscrowd != 0,
                mask: Some(a.segmentation.to_mask()),
            })
            .collect(),
    }
}

fn load() -> (GroundTruthSet, Vec<Detection>, Expected) {
    let gt = ground_truth(&read(&fixture("coco_gt.json")));
    let results: Vec<CocoResult> = read(&fixture("coco_dt.json"));
    let dets = results
        .iter()
        .map(|r| Detection {
            image_id: r.image_id,
            category_id: r.category_id,
            bbox: r.bbox,
            score: r.score,
            mask: Some(r.segmentation.to_mask()),
        })
        .collect();
    (gt, dets, read(&fixture("expected_pycocotools.json")))
}

/// Largest difference between `got` and `expected` (-1 = undefined on both sides).
fn max_diff(got: &[f64], expected: &[f64]) -> f64 {
    assert_eq!(got.len(), expected.len());
    got.iter()
        .zip(expected)
        .map(|(g, e)| (g - e).abs())
        .fold(0.0, f64::max)
}

fn check(e: &DetectionEvaluation, x: &ExpectedEval) {
    let what = format!("{:?}", e.iou_type);
    let stats = e.stats();
    let d = max_diff(&stats, &x.stats);
    eprintln!("{what}: stats {stats:?}, largest difference to pycocotools {d:e}");
    assert!(d <= TOLERANCE, "{what}: {stats:?} vs {:?}", x.stats);
    let undefined = |v: Option<f64>| v.unwrap_or(-1.0);
    let ap: Vec<f64> = e.per_class.iter().map(|c| undefined(c.ap)).collect();
    let ap50: Vec<f64> = e.per_class.iter().map(|c| undefined(c.ap50)).collect();
    let ap75: Vec<f64> = e.per_class.iter().map(|c| undefined(c.ap75)).collect();
    assert!(max_diff(&ap, &x.per_class_ap) <= TOLERANCE, "{what} {ap:?}");
    assert!(
        max_diff(&ap50, &x.per_class_ap50) <= TOLERANCE,
        "{what} {ap50:?}"
    );
    assert!(
        max_diff(&ap75, &x.per_class_ap75) <= TOLERANCE,
        "{what} {ap75:?}"
    );
    for (c, expected) in e.per_class.iter().zip(&x.precision50) {
        if expected[0] < 0.0 {
            assert!(
                c.precision50.is_empty() && c.ap.is_none(),
                "{what} {}",
                c.name
            );
        } else {
            assert!(
                max_diff(&c.precision50, expected) <= TOLERANCE,
                "{what} {}",
                c.name
            );
        }
    }
    assert!(max_diff(&e.recall, &x.recall) <= TOLERANCE, "{what} recall");
}

#[test]
fn bbox_and_segm_equal_pycocotools() {
    let (gt, dets, expected) = load();
    assert_eq!(iou_thresholds(), expected.iou_thresholds);
    assert_eq!(recall_thresholds(), expected.recall_thresholds);
    let bbox = evaluate_detection(&gt, &dets, IouType::Bbox).unwrap();
    check(&bbox, &expected.bbox);
    let segm = evaluate_detection(&gt, &dets, IouType::Segm).unwrap();
    check(&segm, &expected.segm);
    // The fixture exercises what it should: AR@1 < AR@10 < AR@100, a category without
    // ground truth, and all three area ranges.
    assert!(bbox.ar1 < bbox.ar10 && bbox.ar10 < bbox.ar100);
    assert_eq!(bbox.per_class[3].ap, None);
    assert_eq!(bbox.per_class[3].num_ground_truth, 0);
    assert_eq!(bbox.per_class[0].num_ground_truth, 9);
    assert!(bbox.ap_small.is_some() && bbox.ap_medium.is_some() && bbox.ap_large.is_some());
    // Serializable for reports (the big arrays are left out).
    let json = serde_json::to_string(&bbox).unwrap();
    assert!(json.contains("\"iou_type\":\"bbox\"") && json.contains("\"ap50\""));
    assert!(!json.contains("\"recall\":[-1"));
}

#[test]
fn masks_equal_pycocotools_rles() {
    let (gt, dets, expected) = load();
    let rle_of = |mask: &Mask, image_id: u64| {
        let image = gt.images.iter().find(|i| i.id == image_id).unwrap();
        match mask {
            Mask::Rle(r) => r.clone(),
            Mask::Polygons(p) => Rle::from_polygons(p, image.height, image.width).unwrap(),
            Mask::Rotated(_) => panic!("the fixture has no rotated boxes"),
        }
    };
    for (i, (g, want)) in gt.annotations.iter().zip(&expected.gt_rles).enumerate() {
        let rle = rle_of(g.mask.as_ref().unwrap(), g.image_id);
        assert_eq!(&rle.to_compressed(), want, "ground truth {i}");
        let back = Rle::from_compressed(want, rle.height, rle.width).unwrap();
        assert_eq!(back, rle);
        if !g.iscrowd {
            // The fixture's areas are pycocotools' mask areas.
            assert_eq!(rle.area() as f64, g.area, "ground truth {i}");
        }
    }
    for (i, (d, want)) in dets.iter().zip(&expected.dt_rles).enumerate() {
        let rle = rle_of(d.mask.as_ref().unwrap(), d.image_id);
        assert_eq!(&rle.to_compressed(), want, "detection {i}");
    }
}

#[test]
fn real_polygons_rasterise_like_pycocotools() {
    let Some(shared) = kestrel_data_dir() else {
        eprintln!("skipped: KESTREL_SHARED not set");
        return;
    };
    let expected: Expected = read(&fixture("expected_pycocotools.json"));
    let sums = expected
        .solar_panel_rles
        .expect("make_expected.py run with the shared folder");
    for part in ["train", "test"] {
        let path = shared.join(format!(
            "data/solar-panel-coco/{part}/_annotations.coco.json"
        ));
        let coco: CocoFile = read(&path);
        let (mut checksum, mut area, mut runs) = (0u64, 0u64, 0u64);
        for a in &coco.annotations {
            let image = coco.images.iter().find(|i| i.id == a.image_id).unwrap();
            let Segmentation::Polygons(p) = &a.segmentation else {
                panic!("solar-panel masks are polygons")
            };
            let rle = Rle::from_polygons(p, image.height, image.width).unwrap();
            runs += rle.counts.len() as u64;
            area += rle.area();
            for (j, &c) in rle.counts.iter().enumerate() {
                checksum = (checksum + (j as u64 + 1) * u64::from(c)) % 1_000_000_007;
            }
        }
        let got = Checksum {
            checksum,
            area,
            runs,
        };
        assert_eq!(&got, &sums[part], "{part}");
    }
}

/// `KESTREL_SHARED` resolved like `kestrel_data::shared_data_dir` (this crate does not
/// depend on kestrel-data): a relative path is taken from the workspace root.
fn kestrel_data_dir() -> Option<PathBuf> {
    let value = std::env::var_os("KESTREL_SHARED").filter(|v| !v.is_empty())?;
    let path = PathBuf::from(value);
    if path.is_absolute() {
        return Some(path);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2)?;
    Some(root.join(path))
}

#[test]
fn precision_recall_plot_and_input_errors() {
    let (gt, dets, _) = load();
    let e = evaluate_detection(&gt, &dets, IouType::Bbox).unwrap();
    let curves: Vec<_> = e
        .per_class
        .iter()
        .filter_map(|c| Some((c.name.as_str(), c.curve50()?, c.ap50?)))
        .collect();
    assert_eq!(curves.len(), 3);
    let first = &curves[0].1;
    assert_eq!(first.recall[0], 0.0);
    assert!(first.recall.last().unwrap() <= &e.per_class[0].recall50.unwrap());
    let refs: Vec<_> = curves.iter().map(|(n, c, ap)| (*n, c, *ap)).collect();
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("pr.png");
    plot_precision_recall(&refs, "Precision-recall at IoU 0.5", &png).unwrap();
    assert!(image::image_dimensions(&png).unwrap().0 > 100);
    assert!(plot_precision_recall(&[], "x", &png).is_err());

    // Unknown image or category, missing masks, bad scores: typed errors.
    let mut bad = dets.clone();
    bad[0].image_id = 99;
    let msg = evaluate_detection(&gt, &bad, IouType::Bbox)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("detection 0: image_id 99 is not an image"),
        "{msg}"
    );
    let mut bad = dets.clone();
    bad[1].mask = None;
    let msg = evaluate_detection(&gt, &bad, IouType::Segm)
        .unwrap_err()
        .to_string();
    assert!(msg.contains("detection 1: no mask"), "{msg}");
    assert!(evaluate_detection(&gt, &bad, IouType::Bbox).is_ok());
    let mut bad = dets.clone();
    bad[2].score = f64::NAN;
    assert!(evaluate_detection(&gt, &bad, IouType::Bbox).is_err());
    let mut bad = dets;
    bad[3].mask = Some(Mask::Rle(Rle::new(1, 1, vec![1]).unwrap()));
    let msg = evaluate_detection(&gt, &bad, IouType::Segm)
        .unwrap_err()
        .to_string();
    assert!(
        msg.contains("detection 3: invalid argument: RLE mask is 1 x 1"),
        "{msg}"
    );
}

#[test]
fn simple_cases_by_hand() {
    // One image, one object, one perfect detection: AP 1 at every threshold.
    let gt = GroundTruthSet {
        images: vec![EvalImage {
            id: 1,
            width: 100,
            height: 100,
        }],
        categories: vec![EvalCategory {
            id: 1,
            name: "a".into(),
        }],
        annotations: vec![GroundTruth::new(1, 1, [10.0, 10.0, 50.0, 50.0])],
    };
    let det = |bbox, score| Detection {
        image_id: 1,
        category_id: 1,
        bbox,
        score,
        mask: None,
    };
    let e = evaluate_detection(&gt, &[det([10.0, 10.0, 50.0, 50.0], 0.9)], IouType::Bbox).unwrap();
    // Precision is tp / (tp + fp + eps) in COCOeval, so "1" is 1 - 2^-52 - ... .
    assert!((e.ap.unwrap() - 1.0).abs() < 1e-12);
    assert_eq!(e.ar100, Some(1.0));
    assert_eq!(e.ap_small, None);
    assert_eq!(e.ap_large, None);
    assert!(e.ap_medium.is_some());
    // A false positive scored above the hit halves the precision at full recall.
    let e = evaluate_detection(
        &gt,
        &[
            det([10.0, 10.0, 50.0, 50.0], 0.5),
            det([70.0, 70.0, 20.0, 20.0], 0.9),
        ],
        IouType::Bbox,
    )
    .unwrap();
    assert!((e.ap.unwrap() - 0.5).abs() < 1e-12);
    assert_eq!(e.stats()[3], -1.0);
    // No detections at all: AP 0.
    let e = evaluate_detection(&gt, &[], IouType::Bbox).unwrap();
    assert_eq!(e.ap, Some(0.0));
}

#[test]
fn rotated_boxes_match_by_rotated_iou() {
    // A 40 x 10 bar turned by 45° at (50, 50): its axis-aligned bounding box is ~38.9
    // square, so the same bar turned the other way (-45°) has the same bounding box
    // (box IoU 1) but crosses it only in the middle: rotated IoU 100 / 700 = 1/7.
    let bar = |phi: f64| RotatedBox {
        row: 50.0,
        col: 50.0,
        phi,
        length1: 20.0,
        length2: 5.0,
    };
    let quarter = std::f64::consts::FRAC_PI_4;
    let gt = GroundTruthSet {
        images: vec![EvalImage {
            id: 1,
            width: 100,
            height: 100,
        }],
        categories: vec![EvalCategory {
            id: 1,
            name: "bar".into(),
        }],
        annotations: vec![GroundTruth {
            area: bar(quarter).area(),
            mask: Some(Mask::Rotated(bar(quarter))),
            ..GroundTruth::new(1, 1, [30.0, 30.0, 40.0, 40.0])
        }],
    };
    let det = |phi: f64| Detection {
        image_id: 1,
        category_id: 1,
        bbox: [30.0, 30.0, 40.0, 40.0],
        score: 0.9,
        mask: Some(Mask::Rotated(bar(phi))),
    };
    let crossed = bar(-quarter);
    assert!((kestrel_metrics::rotated_iou(bar(quarter), crossed) - 1.0 / 7.0).abs() < 1e-9);
    let hit = evaluate_detection(&gt, &[det(quarter)], IouType::Rotated).unwrap();
    assert!((hit.ap.unwrap() - 1.0).abs() < 1e-12);
    let miss = evaluate_detection(&gt, &[det(-quarter)], IouType::Rotated).unwrap();
    assert_eq!(miss.ap, Some(0.0));
    // The same detections compared as boxes both hit.
    let as_boxes = evaluate_detection(&gt, &[det(-quarter)], IouType::Bbox).unwrap();
    assert!((as_boxes.ap.unwrap() - 1.0).abs() < 1e-12);
    // A detection without its rotated box is an input error.
    let bare = Detection {
        mask: None,
        ..det(quarter)
    };
    assert!(evaluate_detection(&gt, &[bare], IouType::Rotated).is_err());
}
