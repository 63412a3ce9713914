//! Stratified splitting of multi-label and anomaly datasets.

use kestrel_data::{AnomalyLabel, Dataset, Sample, Split, SplitSpec, split};

fn spec(train: f64, validation: f64, test: f64) -> SplitSpec {
    SplitSpec {
        train,
        validation,
        test,
        seed: 5,
    }
}

fn count(ds: &Dataset, part: Split, pred: impl Fn(&Sample) -> bool) -> usize {
    ds.samples
        .iter()
        .filter(|s| s.split == Some(part) && pred(s))
        .count()
}

#[test]
fn multilabel_stratifies_by_rarest_label() {
    // 40 samples with {0}, 30 with {0, 1}, 10 with {0, 1, 2}, 20 with none.
    let mut samples = Vec::new();
    for (n, ids) in [
        (40, vec![0]),
        (30, vec![0, 1]),
        (10, vec![0, 1, 2]),
        (20, vec![]),
    ] {
        for _ in 0..n {
            samples.push(Sample {
                image_id: samples.len() as u64,
                image_file_name: format!("{}.png", samples.len()),
                image_label_ids: Some(ids.clone()),
                ..Default::default()
            });
        }
    }
    let mut ds = Dataset {
        class_names: vec!["a".into(), "b".into(), "c".into()],
        class_ids: vec![0, 1, 2],
        samples,
        ..Default::default()
    };
    let report = split(&mut ds, &spec(50.0, 30.0, 20.0), false).unwrap();
    // Groups: rarest label 2 (10), 1 (30), 0 (40), none (20), each cut 50/30/20.
    let has = |id: u32| move |s: &Sample| s.image_label_ids.as_ref().unwrap().contains(&id);
    assert_eq!(count(&ds, Split::Test, has(2)), 2);
    assert_eq!(count(&ds, Split::Validation, has(2)), 3);
    assert_eq!(count(&ds, Split::Test, has(1)), 2 + 6);
    let empty = |s: &Sample| s.image_label_ids.as_ref().unwrap().is_empty();
    assert_eq!(count(&ds, Split::Train, empty), 10);
    // Rows count a sample once per label; totals once per sample.
    assert_eq!(
        report.per_class,
        vec![
            ("a".to_string(), 40, 24, 16),
            ("b".to_string(), 20, 12, 8),
            ("c".to_string(), 5, 3, 2),
            ("<no class>".to_string(), 10, 6, 4),
        ]
    );
    assert_eq!(report.totals, (50, 30, 20));
    let table = report.to_string();
    let last = table.lines().last().unwrap();
    assert!(last.starts_with("total") && last.contains("50"), "{table}");
}

#[test]
fn anomaly_without_class_stratifies_by_ok_nok() {
    let mut samples = Vec::new();
    for i in 0..30u64 {
        samples.push(Sample {
            image_id: i,
            image_file_name: format!("{i}.png"),
            anomaly_label: Some(if i < 20 {
                AnomalyLabel::Ok
            } else {
                AnomalyLabel::Nok
            }),
            ..Default::default()
        });
    }
    let mut ds = Dataset {
        samples,
        ..Default::default()
    };
    let report = split(&mut ds, &spec(50.0, 0.0, 50.0), false).unwrap();
    let nok = |s: &Sample| s.anomaly_label == Some(AnomalyLabel::Nok);
    assert_eq!(count(&ds, Split::Test, nok), 5);
    assert_eq!(
        report.per_class,
        vec![
            ("<ok>".to_string(), 10, 0, 10),
            ("<nok>".to_string(), 5, 0, 5)
        ]
    );
    assert_eq!(report.totals, (15, 0, 15));
}

#[test]
fn image_label_id_takes_precedence_over_anomaly_label() {
    // Magnetic-Tile style: class = defect type, anomaly label ok / nok.
    let mut samples = Vec::new();
    for (class, n) in [(0u32, 10), (1, 4), (2, 6)] {
        for _ in 0..n {
            samples.push(Sample {
                image_id: samples.len() as u64,
                image_file_name: format!("{}.png", samples.len()),
                image_label_id: Some(class),
                anomaly_label: Some(if class == 0 {
                    AnomalyLabel::Ok
                } else {
                    AnomalyLabel::Nok
                }),
                ..Default::default()
            });
        }
    }
    let mut ds = Dataset {
        class_names: vec!["good".into(), "x".into(), "y".into()],
        class_ids: vec![0, 1, 2],
        samples,
        ..Default::default()
    };
    let report = split(&mut ds, &spec(50.0, 0.0, 50.0), false).unwrap();
    assert_eq!(
        report.per_class,
        vec![
            ("good".to_string(), 5, 0, 5),
            ("x".to_string(), 2, 0, 2),
            ("y".to_string(), 3, 0, 3),
        ]
    );
}

#[test]
fn detection_stratifies_by_the_rarest_object_class() {
    // 60 images with objects of class 0 only, 20 with classes 0 and 1 (1 is rarer), 20
    // background images without objects.
    let mut samples = Vec::new();
    for (n, labels) in [(60, vec![0, 0]), (20, vec![1, 0, 1]), (20, vec![])] {
        for _ in 0..n {
            samples.push(Sample {
                image_id: samples.len() as u64,
                image_file_name: format!("{}.png", samples.len()),
                bbox_label_id: Some(labels.clone()),
                ..Default::default()
            });
        }
    }
    let mut ds = Dataset {
        class_names: vec!["a".into(), "b".into()],
        class_ids: vec![0, 1],
        samples,
        ..Default::default()
    };
    split(&mut ds, &spec(70.0, 15.0, 15.0), false).unwrap();
    let has = |id: u32| move |s: &Sample| s.bbox_label_id.as_ref().unwrap().contains(&id);
    let background = |s: &Sample| s.bbox_label_id.as_ref().unwrap().is_empty();
    // Each group is cut 70/15/15 on its own.
    assert_eq!(count(&ds, Split::Test, has(1)), 3);
    assert_eq!(count(&ds, Split::Validation, has(1)), 3);
    assert_eq!(count(&ds, Split::Test, background), 3);
    assert_eq!(
        count(&ds, Split::Train, |s| !has(1)(s) && !background(s)),
        42
    );
}
