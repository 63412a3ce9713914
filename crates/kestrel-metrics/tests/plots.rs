//! Plots produce valid PNGs of sensible size.
//!
//! Set `KESTREL_PLOT_DIR` to keep the images for a look.

use std::path::{Path, PathBuf};

use kestrel_metrics::{
    EpochRecord, MetricsError, WorstWordRow, plot_confusion_matrix, plot_roc_curve,
    plot_training_curve, plot_worst_words, roc_auc, roc_curve,
};

/// Output folder: `KESTREL_PLOT_DIR` if set, else a temporary one.
fn out_dir() -> (Option<tempfile::TempDir>, PathBuf) {
    match std::env::var_os("KESTREL_PLOT_DIR") {
        Some(d) => {
            std::fs::create_dir_all(&d).unwrap();
            (None, PathBuf::from(d))
        }
        None => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    }
}

/// Decodes the PNG and returns its size; also checks it is not blank.
fn check_png(path: &Path) -> (u32, u32) {
    let img = image::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rgb = img.to_rgb8();
    let distinct: std::collections::HashSet<_> = rgb.pixels().map(|p| p.0).take(200_000).collect();
    assert!(distinct.len() > 10, "{} looks blank", path.display());
    // No temporary file of this plot left next to it.
    let dir = path.parent().unwrap();
    let prefix = format!(".{}.", path.file_name().unwrap().to_string_lossy());
    let leftovers = std::fs::read_dir(dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(&prefix)
        })
        .count();
    assert_eq!(leftovers, 0);
    (img.width(), img.height())
}

fn names(n: usize, prefix: &str) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

#[test]
fn confusion_matrix_plots_for_small_and_large_class_counts() {
    let (_keep, dir) = out_dir();
    let neu = [
        "crazing",
        "inclusion",
        "patches",
        "pitted_surface",
        "rolled-in_scale",
        "scratches",
    ];
    let neu: Vec<String> = neu.iter().map(|s| s.to_string()).collect();
    let cm6: Vec<Vec<u64>> = (0..6)
        .map(|g| {
            (0..6)
                .map(|p| {
                    if g == p {
                        45 + g as u64
                    } else {
                        ((g * 7 + p * 3) % 5) as u64
                    }
                })
                .collect()
        })
        .collect();
    let cases = [
        (
            "cm2.png",
            vec![vec![90, 10], vec![5, 95]],
            vec!["good".to_string(), "defect".to_string()],
        ),
        ("cm6.png", cm6, neu),
        (
            "cm20.png",
            (0..20)
                .map(|g| {
                    (0..20)
                        .map(|p| {
                            if g == p {
                                950 + g as u64
                            } else {
                                ((g * p) % 13) as u64
                            }
                        })
                        .collect()
                })
                .collect(),
            names(20, "class_"),
        ),
    ];
    for (file, cm, classes) in cases {
        let path = dir.join(file);
        plot_confusion_matrix(&cm, &classes, &path).unwrap();
        let (w, h) = check_png(&path);
        assert!(
            (400..=2000).contains(&w) && (300..=2000).contains(&h),
            "{file}: {w}x{h}"
        );
    }
}

#[test]
fn confusion_matrix_plot_rejects_inconsistent_input() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.png");
    let err = plot_confusion_matrix(&[vec![1, 2], vec![3, 4]], &names(3, "c"), &path).unwrap_err();
    assert!(
        matches!(err, MetricsError::LengthMismatch { .. }),
        "{err:?}"
    );
    let err = plot_confusion_matrix(&[vec![1, 2], vec![3]], &names(2, "c"), &path).unwrap_err();
    assert!(
        matches!(err, MetricsError::LengthMismatch { .. }),
        "{err:?}"
    );
    assert!(plot_confusion_matrix(&[], &[], &path).is_err());
    assert!(!path.exists());
}

fn records(n: usize, with_validation: bool) -> Vec<EpochRecord> {
    (1..=n)
        .map(|e| {
            let t = e as f64;
            EpochRecord {
                epoch: e,
                train_loss: 2.3 * (-0.35 * t).exp() + 0.12,
                validation_error: with_validation
                    .then(|| 0.6 * (-0.4 * t).exp() + 0.09 + 0.01 * (t * 1.3).sin()),
                learning_rate: 0.05
                    * 0.5
                    * (1.0 + (std::f64::consts::PI * (t - 1.0) / n as f64).cos()),
            }
        })
        .collect()
}

#[test]
fn training_curve_plots() {
    let (_keep, dir) = out_dir();
    let mut partial = records(12, true);
    for r in partial.iter_mut().filter(|r| r.epoch % 3 != 0) {
        r.validation_error = None;
    }
    let cases = [
        ("curve.png", records(20, true)),
        ("curve_no_validation.png", records(8, false)),
        ("curve_one_epoch.png", records(1, true)),
        ("curve_partial_validation.png", partial),
    ];
    for (file, recs) in cases {
        let path = dir.join(file);
        plot_training_curve(&recs, &path).unwrap();
        let (w, h) = check_png(&path);
        assert!(w == 900 && (400..=1000).contains(&h), "{file}: {w}x{h}");
    }
    let err = plot_training_curve(&[], &dir.join("empty.png")).unwrap_err();
    assert!(matches!(err, MetricsError::Empty(_)));
}

#[test]
fn training_curve_survives_non_finite_values() {
    let dir = tempfile::tempdir().unwrap();
    let mut recs = records(5, true);
    recs[2].train_loss = f64::NAN;
    recs[3].validation_error = Some(f64::INFINITY);
    let path = dir.path().join("nan.png");
    plot_training_curve(&recs, &path).unwrap();
    check_png(&path);
}

#[test]
fn roc_curve_plots() {
    let (_keep, dir) = out_dir();
    // A large curve (downsampled for drawing) and a small one with ties.
    let mut x = 11u64;
    let mut next = move || {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        x >> 33
    };
    let labels: Vec<bool> = (0..50_000).map(|_| next().is_multiple_of(4)).collect();
    let scores: Vec<f32> = labels
        .iter()
        .map(|&l| (next() % 100_000) as f32 / 1e5 + if l { 0.4 } else { 0.0 })
        .collect();
    let big = roc_curve(&scores, &labels).unwrap();
    let big_auc = roc_auc(&scores, &labels).unwrap();
    let small_scores = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9];
    let small_labels = [false, false, true, true, true, false];
    let small = roc_curve(&small_scores, &small_labels).unwrap();
    let small_auc = roc_auc(&small_scores, &small_labels).unwrap();
    let path = dir.join("roc.png");
    plot_roc_curve(
        &[("pixel", &big, big_auc), ("image", &small, small_auc)],
        "ROC — bottle",
        &path,
    )
    .unwrap();
    assert_eq!(check_png(&path), (760, 720));
    let err = plot_roc_curve(&[], "empty", &dir.join("none.png")).unwrap_err();
    assert!(matches!(err, MetricsError::Empty(_)));
}

/// A `w x h` light crop with a dark rectangle inside, like a word on a sign.
fn boxed_crop(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        let inside = x >= w / 6 && x < w - w / 6 && y >= h / 4 && y < h - h / 4;
        image::Rgb(if inside {
            [40, 40, 90]
        } else {
            [225, 220, 200]
        })
    })
}

#[test]
fn worst_words_picture() {
    let (_keep, dir) = out_dir();
    let path = dir.join("worst_words.png");
    let rows = [
        WorstWordRow::new(boxed_crop(120, 40), "EXIT", "EX1T"),
        WorstWordRow::new(boxed_crop(90, 60), "Straße", ""),
        WorstWordRow::new(boxed_crop(400, 30), "Ωμέγα мир", "Omera mnp"),
    ];
    plot_worst_words(&rows, &path).unwrap();
    let (w, h) = check_png(&path);
    assert!(w >= 320, "{w}");
    assert!(h > 3 * 40, "{h}");
}
