//! OCR importers: IIIT5K-style tag files, crop folders with `labels.tsv`, ICDAR 2015
//! annotation files, and their selection through `import`.

mod common;

use std::path::Path;

use common::{write_bytes, write_png};
use kestrel_data::{
    DataError, Dataset, DatasetKind, ImportFormat, ImportRequest, NO_ANNOTATIONS, Sample, import,
    import_icdar2015, import_ocr_tags, import_ocr_tsv, validate,
};

/// The messages of an import error, one per problem.
fn messages(e: DataError) -> Vec<String> {
    match e {
        DataError::Problems { problems, .. } => problems,
        other => vec![other.to_string()],
    }
}

/// Whether one of `messages` contains every part of `parts`.
fn has(messages: &[String], parts: &[&str]) -> bool {
    messages.iter().any(|m| parts.iter().all(|p| m.contains(p)))
}

fn words(ds: &Dataset) -> Vec<&str> {
    ds.samples
        .iter()
        .map(|s| s.word.as_deref().unwrap())
        .collect()
}

#[test]
fn tag_file_crops_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["train/1_1.png", "train/1_2.png", "train/2_1.png"] {
        write_png(&dir.path().join(name), 12, 5);
    }
    let tags = dir.path().join("train.tags");
    write_bytes(
        &tags,
        "\u{feff}train/2_1.png You\r\n\ntrain/1_1.png Rescue\n  train/1_2.png   Zoë  \n".as_bytes(),
    );
    let ds = import_ocr_tags(&tags).unwrap();
    assert_eq!(words(&ds), ["You", "Rescue", "Zoë"]);
    assert_eq!(ds.samples[0].image_file_name, "train/2_1.png");
    assert_eq!(
        ds.samples.iter().map(|s| s.image_id).collect::<Vec<_>>(),
        [0, 1, 2]
    );
    assert!(Path::new(&ds.image_dir).is_absolute());
    assert!(ds.image_path(&ds.samples[2]).is_file());
    assert!(ds.class_names.is_empty());
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
    let request = ImportRequest {
        kind: DatasetKind::Ocr,
        format: ImportFormat::Tags,
        src: tags,
        labels: None,
        images: None,
        split_file: None,
        class_names: None,
        images_out: None,
        out: dir.path().join("ocr.json"),
    };
    assert_eq!(import(&request).unwrap(), ds);
}

#[test]
fn tag_file_problems_are_all_reported_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 12, 5);
    let tags = dir.path().join("t.tags");
    write_bytes(
        &tags,
        b"a.png ok\na.png again\nb.png missing\nonly_a_path.png\na.png two words\n",
    );
    let m = messages(import_ocr_tags(&tags).unwrap_err());
    assert_eq!(m.len(), 4, "{m:#?}");
    assert!(has(
        &m,
        &["t.tags: line 2", "listed again (first on line 1)"]
    ));
    assert!(has(&m, &["line 3", "image b.png not found"]));
    assert!(has(&m, &["line 4", "found 1 fields"]));
    assert!(has(&m, &["line 5", "found 3 fields"]));

    write_bytes(&tags, b"\n\n");
    assert!(matches!(
        import_ocr_tags(&tags),
        Err(DataError::NoImages { .. })
    ));
    let e = import_ocr_tags(&dir.path().join("none.tags")).unwrap_err();
    assert!(matches!(e, DataError::Io { .. }), "{e}");
}

#[test]
fn labels_tsv_words_with_spaces() {
    let dir = tempfile::tempdir().unwrap();
    let crops = dir.path().join("crops");
    write_png(&crops.join("a.png"), 12, 5);
    write_png(&crops.join("sub/b.png"), 12, 5);
    write_bytes(
        &crops.join("labels.tsv"),
        "File\tWord\r\nsub/b.png\tNew York \r\n\na.png\tLOT 42/7, B\n".as_bytes(),
    );
    let ds = import_ocr_tsv(&crops, &crops.join("labels.tsv")).unwrap();
    assert_eq!(words(&ds), ["New York", "LOT 42/7, B"]);
    assert_eq!(ds.samples[0].image_file_name, "sub/b.png");
    assert!(validate(&ds).is_ok());

    // Through `import`, the label file defaults to `labels.tsv` in the crop folder.
    let request = ImportRequest {
        kind: "ocr".parse().unwrap(),
        format: "tsv".parse().unwrap(),
        src: crops.clone(),
        labels: None,
        images: None,
        split_file: None,
        class_names: None,
        images_out: None,
        out: dir.path().join("ocr.json"),
    };
    assert_eq!(import(&request).unwrap().samples, ds.samples);
}

#[test]
fn labels_tsv_problems_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.png", "b.png", "unlisted.png"] {
        write_png(&dir.path().join(name), 12, 5);
    }
    let labels = dir.path().join("labels.tsv");
    write_bytes(
        &labels,
        b"a.png word\nb.png\tone\ttwo\na.png\t \n\tword\nmissing.png\tx\nb.png\tfine\nb.png\tagain\n",
    );
    let m = messages(import_ocr_tsv(dir.path(), &labels).unwrap_err());
    assert_eq!(m.len(), 7, "{m:#?}");
    assert!(has(&m, &["labels.tsv: line 1", "found no tab"]));
    assert!(has(&m, &["line 2", "more than one tab"]));
    assert!(has(&m, &["line 3", "empty word for a.png"]));
    assert!(has(&m, &["line 4", "empty file name"]));
    assert!(has(&m, &["line 5", "image missing.png not found"]));
    assert!(has(&m, &["line 7", "listed again (first on line 6)"]));
    assert!(has(&m, &["unlisted.png", "no line of"]));
}

/// An ICDAR folder: two images, one with words (a don't-care among them), one without.
fn icdar_folder(dir: &Path) {
    write_png(&dir.join("img_1.png"), 100, 50);
    write_png(&dir.join("img_2.png"), 100, 50);
    write_bytes(
        &dir.join("gt/gt_img_1.txt"),
        "\u{feff}10,10,50,10,50,20,10,20,Hello, world\r\n\
         90,40,60,40,60,30,90,30,upside\n\
         0,30,8,30,8,38,0,38,###\n"
            .as_bytes(),
    );
    write_bytes(&dir.join("gt/gt_img_2.txt"), b"");
}

#[test]
fn icdar_words_become_oriented_rotated_boxes() {
    let dir = tempfile::tempdir().unwrap();
    icdar_folder(dir.path());
    let ds = import_icdar2015(dir.path(), &dir.path().join("gt")).unwrap();
    assert_eq!(ds.class_names, ["word"]);
    assert_eq!(ds.class_ids, [0]);
    assert_eq!(ds.samples.len(), 2);
    let w = ds.samples[0].word_boxes().unwrap();
    assert_eq!(
        w.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(),
        ["Hello, world", "upside", "###"]
    );
    assert_eq!(
        w.iter().map(|w| w.dont_care).collect::<Vec<_>>(),
        [false, false, true]
    );
    let r = w[0].rect;
    assert_eq!(
        (r.col, r.row, r.length1, r.length2),
        (30.0, 15.0, 20.0, 5.0)
    );
    assert_eq!(r.phi, 0.0);
    // Read right to left: the same kind of box, turned by pi.
    assert!(
        (w[1].rect.phi - std::f64::consts::PI).abs() < 1e-12,
        "{w:?}"
    );
    assert_eq!((w[1].rect.col, w[1].rect.row), (75.0, 35.0));
    assert_eq!(ds.samples[1].words, Some(vec![]));
    // Valid; the image without words is a warning.
    let report = validate(&ds);
    assert!(!report.has_errors(), "{report}");
    assert_eq!(report.problems.len(), 1, "{report}");
    assert_eq!(report.problems[0].field, NO_ANNOTATIONS);

    // The JSON file round-trips the OCR fields, and leaves them out where unset.
    let out = dir.path().join("ocr.json");
    ds.save(&out, false).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"words_dont_care\"") && text.contains("\"Hello, world\""));
    assert_eq!(Dataset::load(&out).unwrap().samples, ds.samples);
    let plain = Sample {
        image_id: 1,
        image_file_name: "x.png".into(),
        image_label_id: Some(0),
        ..Default::default()
    };
    let text = serde_json::to_string(&plain).unwrap();
    assert!(!text.contains("word"), "{text}");
    let crop = Sample {
        word: Some("Kestrel".into()),
        ..plain
    };
    let text = serde_json::to_string(&crop).unwrap();
    assert!(
        text.contains("\"word\":\"Kestrel\"") && !text.contains("words"),
        "{text}"
    );

    // Through `import`, the annotation files default to the image folder.
    std::fs::rename(
        dir.path().join("gt/gt_img_1.txt"),
        dir.path().join("gt_img_1.txt"),
    )
    .unwrap();
    std::fs::rename(
        dir.path().join("gt/gt_img_2.txt"),
        dir.path().join("gt_img_2.txt"),
    )
    .unwrap();
    let request = ImportRequest {
        kind: DatasetKind::Ocr,
        format: ImportFormat::Icdar,
        src: dir.path().to_path_buf(),
        labels: None,
        images: None,
        split_file: None,
        class_names: None,
        images_out: None,
        out: dir.path().join("o.json"),
    };
    let again = import(&request).unwrap();
    assert_eq!(again.samples[0].word_boxes().unwrap(), w);
}

#[test]
fn icdar_problems_are_all_reported_with_their_lines() {
    let dir = tempfile::tempdir().unwrap();
    icdar_folder(dir.path());
    write_png(&dir.path().join("img_3.png"), 10, 10);
    write_bytes(&dir.path().join("gt/gt_img_9.txt"), b"");
    write_bytes(
        &dir.path().join("gt/gt_img_2.txt"),
        b"1,1,5,1,5,5,1,5,fine\n1,1,5,1,5,5,1,5\n1,1,5,one,5,5,1,5,x\n1,1,5,1,5,5,1,5,\n1,1,2,2,3,3,4,4,line\n",
    );
    let gt = dir.path().join("gt");
    let m = messages(import_icdar2015(dir.path(), &gt).unwrap_err());
    assert_eq!(m.len(), 6, "{m:#?}");
    assert!(has(&m, &["gt_img_2.txt: line 2", "found 8 fields"]));
    assert!(has(
        &m,
        &["gt_img_2.txt: line 3", "\"one\" is not a finite number"]
    ));
    assert!(has(&m, &["gt_img_2.txt: line 4", "empty text"]));
    assert!(has(&m, &["gt_img_2.txt: line 5", "no area"]));
    assert!(has(&m, &["img_3.png", "no annotation file gt_img_3.txt"]));
    assert!(has(
        &m,
        &["gt_img_9.txt", "no image for this annotation file"]
    ));
}

#[test]
fn kinds_and_formats_by_name() {
    assert_eq!("ocr".parse::<DatasetKind>(), Ok(DatasetKind::Ocr));
    for (name, format) in [
        ("tags", ImportFormat::Tags),
        ("tsv", ImportFormat::Tsv),
        ("icdar", ImportFormat::Icdar),
    ] {
        assert_eq!(name.parse::<ImportFormat>(), Ok(format));
        assert_eq!(format.to_string(), name);
    }
    let request = ImportRequest {
        kind: DatasetKind::Ocr,
        format: ImportFormat::Voc,
        src: "x".into(),
        labels: None,
        images: None,
        split_file: None,
        class_names: None,
        images_out: None,
        out: "o.json".into(),
    };
    let e = import(&request).unwrap_err().to_string();
    assert!(e.contains("ocr: tags, tsv, icdar"), "{e}");
}
