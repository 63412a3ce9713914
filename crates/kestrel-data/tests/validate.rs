//! `validate` reports every problem at once, naming samples, files and fields.

mod common;

use std::path::PathBuf;

use common::{write_bytes, write_png};
use kestrel_data::{Dataset, Sample, validate};

fn sample(id: u64, file: &str, label: Option<u32>) -> Sample {
    Sample {
        image_id: id,
        image_file_name: file.into(),
        image_label_id: label,
        split: None,
        ..Default::default()
    }
}

#[test]
fn finds_every_problem_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("img/good.png"), 4, 4);
    write_png(&dir.path().join("img/also_good.png"), 4, 4);
    write_bytes(&dir.path().join("img/corrupt.png"), b"this is not a png");
    let ds = Dataset {
        class_names: vec!["a".into(), "b".into(), "a".into()],
        class_ids: vec![0, 1, 1, 2],
        image_dir: "img".into(),
        samples: vec![
            sample(0, "good.png", Some(0)),
            sample(1, "missing.png", Some(1)),
            sample(2, "corrupt.png", Some(0)),
            sample(3, "also_good.png", Some(9)),
            sample(0, "good.png", Some(1)),
            sample(5, "good.png", None),
        ],
        base_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let report = validate(&ds);
    assert_eq!(report.num_samples, 6);
    let text = report.to_string();
    let has = |idx: Option<usize>, field: &str, needle: &str| {
        report
            .problems
            .iter()
            .any(|p| p.sample_index == idx && p.field == field && p.to_string().contains(needle))
    };
    assert!(
        has(None, "class_names", "3 class names but 4 class ids"),
        "{text}"
    );
    assert!(has(None, "class_ids", "class id 1"), "{text}");
    assert!(has(None, "class_names", "\"a\""), "{text}");
    assert!(has(Some(1), "image_file_name", "missing.png"), "{text}");
    assert!(has(Some(1), "image_file_name", "not found"), "{text}");
    assert!(has(Some(2), "image_file_name", "corrupt.png"), "{text}");
    assert!(has(Some(2), "image_file_name", "header"), "{text}");
    assert!(has(Some(3), "image_label_id", "label 9"), "{text}");
    assert!(has(Some(3), "image_label_id", "also_good.png"), "{text}");
    assert!(has(Some(4), "image_id", "duplicate image_id 0"), "{text}");
    assert!(has(Some(5), "image_label_id", "missing label"), "{text}");
    assert_eq!(report.problems.len(), 8, "{text}");
    assert!(!report.is_ok());
    // Each problem is one line naming the sample, its file and the field.
    let p = report
        .problems
        .iter()
        .find(|p| p.sample_index == Some(2))
        .unwrap();
    assert_eq!(p.file, Some(dir.path().join("img").join("corrupt.png")));
    let line = p.to_string();
    assert!(!line.contains('\n'));
    assert!(line.starts_with("sample 2 (image_id 2, file "), "{line}");
    assert!(line.contains("field image_file_name: "), "{line}");
}

#[test]
fn empty_dataset_is_a_problem_and_clean_one_is_ok() {
    let ds = Dataset {
        class_names: vec![],
        class_ids: vec![],
        image_dir: String::new(),
        samples: vec![],
        base_dir: PathBuf::new(),
        ..Default::default()
    };
    let report = validate(&ds);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(report.problems[0].field, "samples");
    assert!(report.to_string().contains("no samples"));

    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("x.png"), 1, 1);
    let ds = Dataset {
        class_names: vec!["x".into()],
        class_ids: vec![4],
        image_dir: dir.path().to_str().unwrap().into(),
        samples: vec![sample(1, "x.png", Some(4))],
        base_dir: PathBuf::from("/ignored/because/image_dir/is/absolute"),
        ..Default::default()
    };
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
    assert!(report.to_string().contains("no problems"));
}

#[test]
fn a_missing_image_folder_is_reported_once_not_per_sample() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("elsewhere/abs.png"), 4, 4);
    let mut samples: Vec<Sample> = (0..800)
        .map(|i| sample(i, &format!("{i}.png"), Some(0)))
        .collect();
    samples[3].image_label_id = Some(7);
    // An absolute name does not lie in image_dir: it is checked on its own.
    let abs = dir.path().join("elsewhere/abs.png");
    samples.push(sample(800, abs.to_str().unwrap(), Some(0)));
    samples.push(sample(801, "/no/such/abs.png", Some(0)));
    let ds = Dataset {
        class_names: vec!["a".into()],
        class_ids: vec![0],
        image_dir: "imgs_typo".into(),
        samples,
        base_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let report = validate(&ds);
    let text = report.to_string();
    let folder: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.field == "image_dir")
        .collect();
    assert_eq!(folder.len(), 1, "{text}");
    assert_eq!(folder[0].sample_index, None);
    assert_eq!(folder[0].file, Some(dir.path().join("imgs_typo")));
    let line = folder[0].to_string();
    assert!(line.contains("folder not found"), "{line}");
    assert!(line.contains("800 sample(s)"), "{line}");
    assert!(line.contains("imgs_typo"), "{line}");
    // Other per-sample problems stay: the unknown label, and the missing absolute file.
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.sample_index == Some(3) && p.field == "image_label_id"),
        "{text}"
    );
    let not_found: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.field == "image_file_name")
        .collect();
    assert_eq!(not_found.len(), 1, "{text}");
    assert_eq!(not_found[0].sample_index, Some(801));
    assert_eq!(report.problems.len(), 3, "{text}");
}

#[test]
fn a_missing_segmentation_folder_is_reported_once() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..5 {
        write_png(&dir.path().join(format!("img/{i}.png")), 4, 4);
    }
    write_bytes(&dir.path().join("labels_file"), b"not a folder");
    let samples = (0..5)
        .map(|i| Sample {
            segmentation_file_name: Some(format!("{i}.png")),
            ..sample(i, &format!("{i}.png"), None)
        })
        .collect();
    let ds = Dataset {
        class_names: vec!["a".into()],
        class_ids: vec![0],
        image_dir: "img".into(),
        segmentation_dir: Some("labels_file".into()),
        samples,
        base_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let report = validate(&ds);
    let text = report.to_string();
    assert_eq!(report.problems.len(), 1, "{text}");
    let p = &report.problems[0];
    assert_eq!(p.field, "segmentation_dir");
    assert_eq!(p.file, Some(dir.path().join("labels_file")));
    assert!(p.message.contains("not a folder"), "{text}");
    assert!(p.message.contains("5 sample(s)"), "{text}");
}

#[test]
fn file_names_that_climb_out_of_their_folder_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("img/a.png"), 4, 4);
    write_png(&dir.path().join("outside.png"), 4, 4);
    write_png(&dir.path().join("labels/a.png"), 4, 4);
    write_png(&dir.path().join("img/sub/b.png"), 4, 4);
    let abs = dir.path().join("outside.png");
    let ds = Dataset {
        class_names: vec!["a".into()],
        class_ids: vec![0],
        image_dir: "img".into(),
        samples: vec![
            // Inside image_dir despite the "..": fine.
            sample(0, "sub/../a.png", Some(0)),
            sample(1, "../outside.png", Some(0)),
            // Absolute names are allowed as they are.
            sample(2, abs.to_str().unwrap(), Some(0)),
            Sample {
                segmentation_file_name: Some("../labels/a.png".into()),
                ..sample(3, "a.png", Some(0))
            },
        ],
        base_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let report = validate(&ds);
    let text = report.to_string();
    let climbing: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.message.contains("climbs out"))
        .collect();
    assert_eq!(climbing.len(), 2, "{text}");
    assert!(climbing.iter().all(|p| p.is_warning()), "{text}");
    assert_eq!(climbing[0].sample_index, Some(1));
    assert_eq!(climbing[0].field, "image_file_name");
    assert!(climbing[0].message.contains("image_dir"), "{text}");
    assert!(climbing[0].to_string().contains("image_id 1"), "{text}");
    assert_eq!(climbing[1].sample_index, Some(3));
    assert_eq!(climbing[1].field, "segmentation_file_name");
    assert_eq!(
        climbing[1].file,
        Some(dir.path().join("img/../labels/a.png"))
    );
    // The files are still read: the images outside image_dir are found and decoded.
    assert!(
        !report
            .problems
            .iter()
            .any(|p| p.field == "image_file_name" && !p.is_warning()),
        "{text}"
    );
}
