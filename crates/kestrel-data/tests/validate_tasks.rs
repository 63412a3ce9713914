//! `validate` on multi-label, anomaly and segmentation datasets.

mod common;

use common::{write_bytes, write_grey, write_png};
use kestrel_data::{AnomalyLabel, Dataset, Problem, Sample, ValidationReport, validate};

fn sample(id: u64, file: &str) -> Sample {
    Sample {
        image_id: id,
        image_file_name: file.into(),
        ..Default::default()
    }
}

/// The problems of sample `index` (or the dataset, `None`) with `field`.
fn of<'a>(r: &'a ValidationReport, index: Option<usize>, field: &str) -> Vec<&'a Problem> {
    r.problems
        .iter()
        .filter(|p| p.sample_index == index && p.field == field)
        .collect()
}

#[test]
fn multilabel_ids_and_class_id_lists() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 2, 2);
    let mut samples: Vec<Sample> = (0..4).map(|i| sample(i, "a.png")).collect();
    samples[0].image_label_ids = Some(vec![1, 2]);
    samples[1].image_label_ids = Some(vec![]);
    samples[2].image_label_ids = Some(vec![5, 1, 1, 6]);
    let ds = Dataset {
        class_names: vec!["x".into(), "y".into()],
        class_ids: vec![1, 2],
        image_dir: ".".into(),
        samples,
        ignore_class_ids: vec![2, 8],
        class_ids_background: vec![9],
        base_dir: dir.path().to_path_buf(),
        ..Default::default()
    };
    let r = validate(&ds);
    let text = r.to_string();
    let ids = of(&r, Some(2), "image_label_ids");
    assert_eq!(ids.len(), 3, "{text}");
    assert!(
        ids[0]
            .message
            .contains("label 5 is not one of the class_ids")
    );
    assert!(ids[1].message.contains("label 1 is listed twice"));
    assert!(
        ids[2]
            .message
            .contains("label 6 is not one of the class_ids")
    );
    // Sample 3 has no labels while the others have image_label_ids.
    let missing = of(&r, Some(3), "image_label_ids");
    assert_eq!(missing.len(), 1, "{text}");
    assert!(missing[0].message.contains("missing label"), "{text}");
    let ignore = of(&r, None, "ignore_class_ids");
    assert_eq!(ignore.len(), 1, "{text}");
    assert!(ignore[0].message.contains("class id 8"), "{text}");
    assert!(
        of(&r, None, "class_ids_background")[0]
            .message
            .contains("class id 9")
    );
    assert_eq!(r.problems.len(), 6, "{text}");
}

#[test]
fn anomaly_masks_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in [
        "ok.png",
        "good_mask.png",
        "small_mask.png",
        "broken_mask.png",
        "none.png",
    ] {
        write_png(&root.join("img").join(f), 4, 3);
    }
    write_grey(&root.join("masks/good.png"), 4, 3, &[0; 12]);
    write_grey(&root.join("masks/small.png"), 3, 3, &[0; 9]);
    write_bytes(&root.join("masks/broken.png"), b"nope");
    let label = |s: &mut Sample, l, m: Option<&str>| {
        s.anomaly_label = Some(l);
        s.anomaly_file_name = m.map(String::from);
    };
    let mut samples = vec![
        sample(0, "ok.png"),
        sample(1, "good_mask.png"),
        sample(2, "small_mask.png"),
        sample(3, "broken_mask.png"),
        sample(4, "none.png"),
        sample(5, "none.png"),
        sample(6, "none.png"),
    ];
    label(&mut samples[0], AnomalyLabel::Ok, None);
    label(&mut samples[1], AnomalyLabel::Nok, Some("good.png"));
    label(&mut samples[2], AnomalyLabel::Nok, Some("small.png"));
    label(&mut samples[3], AnomalyLabel::Nok, Some("broken.png"));
    label(&mut samples[4], AnomalyLabel::Nok, Some("missing.png"));
    // A nok image without a mask is fine (image-level label only).
    label(&mut samples[5], AnomalyLabel::Nok, None);
    label(&mut samples[6], AnomalyLabel::Nok, Some(""));
    let ds = Dataset {
        class_names: vec![],
        class_ids: vec![],
        image_dir: "img".into(),
        anomaly_dir: Some("masks".into()),
        samples,
        base_dir: root.to_path_buf(),
        ..Default::default()
    };
    let r = validate(&ds);
    let text = r.to_string();
    let p = of(&r, Some(2), "anomaly_file_name");
    assert_eq!(p.len(), 1, "{text}");
    assert_eq!(p[0].file, Some(root.join("masks/small.png")));
    assert!(
        p[0].message
            .contains("anomaly mask is 3 x 3 pixels but the image is 4 x 3"),
        "{text}"
    );
    assert!(
        of(&r, Some(3), "anomaly_file_name")[0]
            .message
            .contains("cannot decode")
    );
    assert!(
        of(&r, Some(4), "anomaly_file_name")[0]
            .message
            .contains("not found")
    );
    assert!(
        of(&r, Some(6), "anomaly_file_name")[0]
            .message
            .contains("empty file name")
    );
    assert_eq!(r.problems.len(), 4, "{text}");

    // A mask without anomaly_label.
    let mut ds = ds;
    ds.samples.truncate(2);
    for s in &mut ds.samples {
        s.anomaly_label = None;
    }
    let r = validate(&ds);
    // No sample has a label of any kind: both lack one, and sample 1 has a stray mask.
    assert_eq!(r.problems.len(), 3, "{r}");
    assert!(
        of(&r, Some(1), "anomaly_label")[0]
            .message
            .contains("no anomaly_label")
    );
    assert!(
        of(&r, Some(0), "image_label_id")[0]
            .message
            .contains("missing label")
    );
    assert!(
        of(&r, Some(1), "image_label_id")[0]
            .message
            .contains("missing label")
    );
}

#[test]
fn segmentation_label_images_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    for f in ["a", "b", "c", "d", "e", "f"] {
        write_png(&root.join(format!("img/{f}.png")), 4, 2);
    }
    write_grey(&root.join("lab/a.png"), 4, 2, &[0, 1, 4, 4, 0, 0, 1, 4]);
    write_grey(&root.join("lab/b.png"), 4, 2, &[0, 2, 9, 7, 7, 255, 1, 0]);
    write_grey(&root.join("lab/c.png"), 2, 4, &[0; 8]);
    image::RgbImage::new(4, 2)
        .save(root.join("lab/d.png"))
        .unwrap();
    write_bytes(&root.join("lab/e.png"), b"broken");
    let mut samples: Vec<Sample> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut s = sample(i as u64, &format!("{f}.png"));
            s.segmentation_file_name = Some(format!("{f}.png"));
            s
        })
        .collect();
    samples.push(sample(6, "a.png"));
    let ds = Dataset {
        class_names: vec!["bg".into(), "x".into(), "y".into()],
        class_ids: vec![0, 1, 4],
        image_dir: "img".into(),
        segmentation_dir: Some(root.join("lab").to_str().unwrap().into()),
        samples,
        class_ids_background: vec![0],
        ignore_class_ids: vec![4],
        base_dir: root.to_path_buf(),
        ..Default::default()
    };
    let r = validate(&ds);
    let text = r.to_string();
    let field = "segmentation_file_name";
    assert!(of(&r, Some(0), field).is_empty(), "{text}");
    let b = of(&r, Some(1), field);
    assert_eq!(b[0].file, Some(root.join("lab/b.png")));
    assert!(
        b[0].message
            .contains("values that are not class ids: 2, 7, 9, 255 (5 pixels)"),
        "{text}"
    );
    assert!(
        of(&r, Some(2), field)[0]
            .message
            .contains("2 x 4 pixels but the image is 4 x 2")
    );
    assert!(
        of(&r, Some(3), field)[0].message.contains("8-bit grey"),
        "{text}"
    );
    assert!(of(&r, Some(4), field)[0].message.contains("cannot decode"));
    assert!(of(&r, Some(5), field)[0].message.contains("not found"));
    assert!(of(&r, Some(6), field)[0].message.contains("missing label"));
    assert_eq!(r.problems.len(), 6, "{text}");
    let line = b[0].to_string();
    assert!(line.starts_with("sample 1 (image_id 1, file "), "{line}");
    assert!(!line.contains('\n'));
}

#[test]
fn many_bad_label_values_are_summarised() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 16, 1);
    let values: Vec<u8> = (0..16).collect();
    write_grey(&dir.path().join("a_label.png"), 16, 1, &values);
    let mut s = sample(0, "a.png");
    s.segmentation_file_name = Some("a_label.png".into());
    let ds = Dataset {
        class_names: vec!["bg".into()],
        class_ids: vec![0],
        image_dir: dir.path().to_str().unwrap().into(),
        samples: vec![s],
        ..Default::default()
    };
    let r = validate(&ds);
    assert_eq!(r.problems.len(), 1, "{r}");
    assert!(
        r.problems[0]
            .message
            .contains("1, 2, 3, 4, 5, ... (15 distinct values) (15 pixels)"),
        "{r}"
    );
}
