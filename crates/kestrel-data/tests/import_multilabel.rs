//! Multi-label importers: CSV (names or 0/1 columns) and COCO, and the COCO reader.

mod common;

use common::{write_bytes, write_png};
use kestrel_data::import::coco_format::{CocoRleCounts, CocoSegmentation};
use kestrel_data::{CocoFile, DataError, import_coco_multilabel, import_multilabel_csv, validate};

fn labels(ds: &kestrel_data::Dataset) -> Vec<(&str, Vec<u32>)> {
    ds.samples
        .iter()
        .map(|s| {
            (
                s.image_file_name.as_str(),
                s.image_label_ids.clone().unwrap(),
            )
        })
        .collect()
}

#[test]
fn csv_with_label_names() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("labels.csv");
    write_bytes(
        &csv,
        "\u{feff}file,Labels\r\na.png, scratch;dent \r\n\nb.png,\nc.png,dent;dent;;\n".as_bytes(),
    );
    let ds = import_multilabel_csv(&csv, dir.path()).unwrap();
    assert_eq!(ds.class_names, vec!["dent", "scratch"]);
    assert_eq!(ds.class_ids, vec![0, 1]);
    assert_eq!(
        labels(&ds),
        vec![("a.png", vec![0, 1]), ("b.png", vec![]), ("c.png", vec![0])]
    );
    assert!(ds.samples.iter().all(|s| s.image_label_id.is_none()));
    for f in ["a.png", "b.png", "c.png"] {
        write_png(&dir.path().join(f), 2, 2);
    }
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn csv_with_class_columns() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("labels.csv");
    write_bytes(
        &csv,
        b"image,zebra,apple,cat\nx/1.png,1,0,1\nx/2.png,0,0,0\n",
    );
    let ds = import_multilabel_csv(&csv, dir.path()).unwrap();
    // Header order is kept.
    assert_eq!(ds.class_names, vec!["zebra", "apple", "cat"]);
    assert_eq!(
        labels(&ds),
        vec![("x/1.png", vec![0, 2]), ("x/2.png", vec![])]
    );
    assert!(std::path::Path::new(&ds.image_dir).is_absolute());
}

#[test]
fn csv_errors_name_file_and_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("bad.csv");
    write_bytes(
        &csv,
        b"file,a,b\n1.png,1,0\n2.png,1\n\"3.png\",0,1\n1.png,0,0\n4.png,yes,0\n,0,1\n",
    );
    let err = import_multilabel_csv(&csv, dir.path()).unwrap_err();
    let DataError::Problems { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 5, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("bad.csv"), "{msg}");
    assert!(
        msg.contains("line 3: 2 fields, but the header has 3"),
        "{msg}"
    );
    assert!(
        msg.contains("line 4: quoted fields are not supported"),
        "{msg}"
    );
    assert!(
        msg.contains("line 5: 1.png is already listed on line 2"),
        "{msg}"
    );
    assert!(
        msg.contains("line 6: column \"a\": expected 0 or 1, found \"yes\""),
        "{msg}"
    );
    assert!(msg.contains("line 7: empty file name"), "{msg}");

    write_bytes(&csv, b"file,a,a\n1.png,1,0\n");
    let err = import_multilabel_csv(&csv, dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("line 1: class \"a\" appears twice"),
        "{err}"
    );
    write_bytes(&csv, b"file\n1.png\n");
    let err = import_multilabel_csv(&csv, dir.path()).unwrap_err();
    assert!(err.to_string().contains("line 1: header must be"), "{err}");
    write_bytes(&csv, b"file,labels\n\n");
    let err = import_multilabel_csv(&csv, dir.path()).unwrap_err();
    assert!(matches!(err, DataError::NoImages { .. }), "{err}");
    let err = import_multilabel_csv(&dir.path().join("none.csv"), dir.path()).unwrap_err();
    assert!(matches!(err, DataError::Io { .. }), "{err}");
}

const COCO: &str = r#"{
  "info": {"description": "test"},
  "categories": [
    {"id": 0, "name": "fault", "supercategory": "none"},
    {"id": 3, "name": "dust", "supercategory": "fault"},
    {"id": 7, "name": "crack", "supercategory": "fault"},
    {"id": 9, "name": "unused"}
  ],
  "images": [
    {"id": 10, "file_name": "a.jpg", "width": 4, "height": 3},
    {"id": 11, "file_name": "b.jpg", "width": 4, "height": 3},
    {"id": 12, "file_name": "c.jpg"}
  ],
  "annotations": [
    {"id": 1, "image_id": 10, "category_id": 7, "bbox": [0, 0, 2, 1.5], "area": 3.0,
     "segmentation": [[0, 0, 2, 0, 2, 1.5]], "iscrowd": 0},
    {"id": 2, "image_id": 10, "category_id": 3, "bbox": [1, 1, 1, 1],
     "segmentation": {"counts": [0, 2, 10], "size": [3, 4]}, "iscrowd": 1},
    {"id": 3, "image_id": 12, "category_id": 3,
     "segmentation": {"counts": "a1b2", "size": [3, 4]}},
    {"id": 4, "image_id": 10, "category_id": 7}
  ]
}"#;

#[test]
fn coco_reader_parses_polygons_and_rle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coco.json");
    write_bytes(&path, COCO.as_bytes());
    let coco = CocoFile::load(&path).unwrap();
    coco.check(&path).unwrap();
    assert_eq!(coco.images.len(), 3);
    assert_eq!(coco.images[2].width, None);
    assert_eq!(coco.categories[1].supercategory.as_deref(), Some("fault"));
    let a = &coco.annotations;
    assert_eq!(a[0].bbox, Some([0.0, 0.0, 2.0, 1.5]));
    assert_eq!(a[0].area, Some(3.0));
    assert!(matches!(&a[0].segmentation, Some(CocoSegmentation::Polygons(p)) if p[0].len() == 6));
    let Some(CocoSegmentation::Rle(rle)) = &a[1].segmentation else {
        panic!("{:?}", a[1].segmentation)
    };
    assert_eq!(rle.counts, CocoRleCounts::Runs(vec![0, 2, 10]));
    assert_eq!(rle.size, [3, 4]);
    assert_eq!(a[1].iscrowd, 1);
    let Some(CocoSegmentation::Rle(rle)) = &a[2].segmentation else {
        panic!()
    };
    assert_eq!(rle.counts, CocoRleCounts::Compressed("a1b2".into()));
    assert_eq!(a[3].segmentation, None);
    assert_eq!(a[2].iscrowd, 0);
    assert_eq!(coco.annotations_by_image()[&10].len(), 3);
}

#[test]
fn coco_multilabel_uses_annotated_categories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coco.json");
    write_bytes(&path, COCO.as_bytes());
    let ds = import_coco_multilabel(&path, dir.path()).unwrap();
    assert_eq!(ds.class_ids, vec![3, 7]);
    assert_eq!(ds.class_names, vec!["dust", "crack"]);
    assert_eq!(
        labels(&ds),
        vec![("a.jpg", vec![3, 7]), ("b.jpg", vec![]), ("c.jpg", vec![3])]
    );
    assert_eq!(
        ds.samples.iter().map(|s| s.image_id).collect::<Vec<_>>(),
        vec![10, 11, 12]
    );
}

#[test]
fn coco_errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("coco.json");
    write_bytes(
        &path,
        br#"{"images": [{"id": 1, "file_name": "a.jpg"}, {"id": 1, "file_name": "b.jpg"}],
            "categories": [{"id": 1, "name": "x"}],
            "annotations": [{"id": 5, "image_id": 2, "category_id": 4}]}"#,
    );
    let err = import_coco_multilabel(&path, dir.path()).unwrap_err();
    let DataError::Problems { problems, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(problems.len(), 3, "{err}");
    let msg = err.to_string();
    assert!(msg.contains("coco.json"), "{msg}");
    assert!(msg.contains("image id 1 is used twice"), "{msg}");
    assert!(msg.contains("image_id 2 is not an image"), "{msg}");
    assert!(msg.contains("category_id 4 is not a category"), "{msg}");

    write_bytes(&path, b"{\n  \"images\": [ {\"id\": \"x\"} ]\n}");
    let err = import_coco_multilabel(&path, dir.path()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("coco.json") && msg.contains("line 2"), "{msg}");
    write_bytes(&path, b"{\"images\": []}");
    let err = import_coco_multilabel(&path, dir.path()).unwrap_err();
    assert!(matches!(err, DataError::NoImages { .. }), "{err}");
}
