//! Stratified, deterministic splitting.

use std::path::PathBuf;

use kestrel_data::{DataError, Dataset, Sample, Split, SplitSpec, split};

/// A dataset with the given number of samples per class (class ids 10, 20, ...).
fn dataset(per_class: &[usize]) -> Dataset {
    let mut samples = Vec::new();
    for (c, &n) in per_class.iter().enumerate() {
        for _ in 0..n {
            let id = samples.len() as u64;
            samples.push(Sample {
                image_id: id,
                image_file_name: format!("{id}.png"),
                image_label_id: Some(10 * (c as u32 + 1)),
                split: None,
                ..Default::default()
            });
        }
    }
    Dataset {
        class_names: (0..per_class.len()).map(|c| format!("class{c}")).collect(),
        class_ids: (0..per_class.len() as u32).map(|c| 10 * (c + 1)).collect(),
        image_dir: ".".into(),
        samples,
        base_dir: PathBuf::new(),
        ..Default::default()
    }
}

fn spec(train: f64, validation: f64, test: f64, seed: u64) -> SplitSpec {
    SplitSpec {
        train,
        validation,
        test,
        seed,
    }
}

#[test]
fn stratified_counts_per_class() {
    let mut ds = dataset(&[100, 20, 3, 1]);
    let report = split(&mut ds, &spec(70.0, 20.0, 10.0, 1), false).unwrap();
    assert_eq!(
        report.per_class,
        vec![
            ("class0".to_string(), 70, 20, 10),
            ("class1".to_string(), 14, 4, 2),
            ("class2".to_string(), 1, 1, 1),
            ("class3".to_string(), 1, 0, 0),
        ]
    );
    assert!(ds.samples.iter().all(|s| s.split.is_some()));
    let table = report.to_string();
    assert!(
        table.contains("class0") && table.contains("total"),
        "{table}"
    );
    assert!(table.lines().last().unwrap().contains("86"), "{table}");
}

#[test]
fn deterministic_for_a_seed_and_different_across_seeds() {
    let run = |seed| {
        let mut ds = dataset(&[50, 50]);
        split(&mut ds, &spec(60.0, 20.0, 20.0, seed), false).unwrap();
        ds.samples.iter().map(|s| s.split).collect::<Vec<_>>()
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn keep_test_keeps_test_and_splits_the_rest_by_ratio() {
    let mut ds = dataset(&[40]);
    for s in ds.samples.iter_mut().take(10) {
        s.split = Some(Split::Test);
    }
    let report = split(&mut ds, &spec(60.0, 20.0, 20.0, 3), true).unwrap();
    // 30 remaining samples split 60:20 = 3:1 -> 22.5 / 7.5, rounded 23 / 7 (or 22 / 8).
    let (_, tr, va, te) = report.per_class[0].clone();
    assert_eq!(te, 10);
    assert_eq!(tr + va, 30);
    assert!((22..=23).contains(&tr), "{report}");
    assert!(
        ds.samples[..10]
            .iter()
            .all(|s| s.split == Some(Split::Test))
    );
    assert!(
        ds.samples[10..]
            .iter()
            .all(|s| s.split != Some(Split::Test))
    );
}

#[test]
fn invalid_specs_are_rejected() {
    let mut ds = dataset(&[5]);
    let before = ds.clone();
    for bad in [
        spec(50.0, 20.0, 20.0, 0),
        spec(-10.0, 60.0, 50.0, 0),
        spec(f64::NAN, 50.0, 50.0, 0),
    ] {
        let err = split(&mut ds, &bad, false).unwrap_err();
        assert!(matches!(err, DataError::InvalidSplit(_)), "{err}");
    }
    let err = split(&mut ds, &spec(0.0, 0.0, 100.0, 0), true).unwrap_err();
    assert!(matches!(err, DataError::InvalidSplit(_)), "{err}");
    assert_eq!(ds, before);
}

#[test]
fn unlabeled_samples_are_split_and_reported() {
    let mut ds = dataset(&[4]);
    ds.samples[0].image_label_id = None;
    ds.samples[1].image_label_id = Some(99);
    let report = split(&mut ds, &SplitSpec::default(), false).unwrap();
    let names: Vec<_> = report.per_class.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(names, vec!["class0", "<unknown id 99>", "<unlabeled>"]);
    assert!(ds.samples.iter().all(|s| s.split.is_some()));
}
