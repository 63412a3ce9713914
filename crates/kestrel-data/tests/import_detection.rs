//! Detection importers: COCO, Pascal VOC and plain text boxes; rotated boxes from masks.

mod common;

use common::{write_bytes, write_png};
use kestrel_data::{
    BoxAnnotation, Dataset, InstanceMask, import_coco_detection, import_txt_boxes, import_voc,
    rotated_from_polygons, validate,
};

const COCO: &str = r#"{
  "images": [
    {"id": 7, "file_name": "a.png", "width": 20, "height": 10},
    {"id": 3, "file_name": "b.png", "width": 20, "height": 10}
  ],
  "categories": [
    {"id": 0, "name": "parent"}, {"id": 2, "name": "dent"}, {"id": 5, "name": "scratch"}
  ],
  "annotations": [
    {"id": 1, "image_id": 7, "category_id": 5, "bbox": [1, 2, 3, 4], "area": 12,
     "segmentation": [[1, 2, 4, 2, 4, 6, 1, 6]], "iscrowd": 0},
    {"id": 2, "image_id": 7, "category_id": 2, "bbox": [0.5, 0, 10, 10], "area": 100,
     "segmentation": {"counts": [0, 200], "size": [10, 20]}, "iscrowd": 0},
    {"id": 3, "image_id": 7, "category_id": 0, "bbox": [0, 0, 20, 10], "area": 200,
     "segmentation": {"counts": [0, 200], "size": [10, 20]}, "iscrowd": 1}
  ]
}"#;

#[test]
fn coco_detection_boxes_masks_and_classes() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("coco.json");
    write_bytes(&json, COCO.as_bytes());
    write_png(&dir.path().join("a.png"), 20, 10);
    write_png(&dir.path().join("b.png"), 20, 10);
    let ds = import_coco_detection(&json, dir.path()).unwrap();
    // The crowd annotation is skipped, so its category 0 is not a class.
    assert_eq!(ds.class_ids, [2, 5]);
    assert_eq!(ds.class_names, ["dent", "scratch"]);
    assert_eq!(ds.samples[0].image_id, 7);
    let boxes = ds.samples[0].boxes().unwrap();
    assert_eq!(
        boxes,
        [
            BoxAnnotation {
                label_id: 5,
                row1: 2.0,
                col1: 1.0,
                row2: 6.0,
                col2: 4.0
            },
            BoxAnnotation::from_xywh(2, [0.5, 0.0, 10.0, 10.0]),
        ]
    );
    let masks = ds.samples[0].mask_polygons.as_ref().unwrap();
    assert!(matches!(&masks[0], InstanceMask::Polygons(p) if p[0].len() == 8));
    assert!(matches!(&masks[1], InstanceMask::Rle(_)));
    assert_eq!(ds.samples[1].bbox_label_id, Some(vec![]));
    assert_eq!(ds.samples[1].mask_polygons, Some(vec![]));
    let report = validate(&ds);
    assert!(!report.has_errors(), "{report}");
    assert_eq!(report.problems.len(), 1, "{report}");
    assert!(report.problems[0].is_warning());
    assert_eq!(report.problems[0].image_id, Some(3));

    // The JSON file round-trips, and other tasks' files are unchanged by the new fields.
    let out = dir.path().join("ds.json");
    ds.save(&out, false).unwrap();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("\"bbox_row1\"") && text.contains("\"mask_polygons\""));
    let back = Dataset::load(&out).unwrap();
    assert_eq!(back.samples, ds.samples);
    let plain = kestrel_data::Sample {
        image_id: 1,
        image_file_name: "x.png".into(),
        image_label_id: Some(0),
        ..Default::default()
    };
    let text = serde_json::to_string(&plain).unwrap();
    assert_eq!(
        text,
        r#"{"image_id":1,"image_file_name":"x.png","image_label_id":0}"#
    );

    // Rotated boxes from the masks: the polygon is a 3 x 4 rectangle.
    let mut ds = ds;
    assert_eq!(rotated_from_polygons(&mut ds).unwrap(), 2);
    let r = ds.samples[0].rotated_boxes().unwrap();
    assert_eq!((r[0].rect.col, r[0].rect.row), (2.5, 4.0));
    assert_eq!((r[0].rect.length1, r[0].rect.length2), (2.0, 1.5));
    assert!((r[0].rect.phi.abs() - std::f64::consts::FRAC_PI_2).abs() < 1e-12);
    assert_eq!((r[1].rect.length1, r[1].rect.length2), (10.0, 5.0));
    assert!(validate(&ds).problems.iter().all(|p| p.is_warning()));
}

#[test]
fn coco_detection_lists_annotations_without_bbox() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("coco.json");
    write_bytes(
        &json,
        br#"{"images": [{"id": 1, "file_name": "a.png"}], "categories": [{"id": 1, "name": "x"}],
            "annotations": [{"id": 4, "image_id": 1, "category_id": 1},
                            {"id": 5, "image_id": 1, "category_id": 1}]}"#,
    );
    let e = import_coco_detection(&json, dir.path())
        .unwrap_err()
        .to_string();
    assert!(e.contains("annotation 0 (id 4): no bbox"), "{e}");
    assert!(e.contains("annotation 1 (id 5): no bbox"), "{e}");
}

/// A VOC file naming `filename` with the given objects `(name, xmin, ymin, xmax, ymax)`.
fn voc(filename: &str, objects: &[(&str, i32, i32, i32, i32)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\"?>\n<annotation>\n\t<folder>x</folder>\n\
         \t<filename>{filename}</filename>\n\
         \t<size><width>20</width><height>10</height><depth>1</depth></size>\n"
    );
    for (name, x1, y1, x2, y2) in objects {
        s.push_str(&format!(
            "\t<object><name>{name}</name><difficult>1</difficult><bndbox><xmin>{x1}</xmin>\
             <ymin>{y1}</ymin><xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>\n"
        ));
    }
    s.push_str("</annotation>\n");
    s
}

#[test]
fn voc_converts_one_based_boxes_and_finds_images_without_extension() {
    let dir = tempfile::tempdir().unwrap();
    let (ann, img) = (dir.path().join("ann"), dir.path().join("img"));
    write_png(&img.join("b.png"), 20, 10);
    write_png(&img.join("c_1.png"), 20, 10);
    write_png(&img.join("plain.png"), 20, 10);
    write_bytes(
        &ann.join("b.xml"),
        voc("b.png", &[("zebra", 1, 1, 20, 10), ("ant", 3, 4, 3, 4)]).as_bytes(),
    );
    // The file name lacks its extension, as in NEU-DET.
    write_bytes(
        &ann.join("c.xml"),
        voc("c_1", &[("ant", 2, 2, 5, 6)]).as_bytes(),
    );
    write_bytes(&ann.join("d.XML"), voc("plain", &[]).as_bytes());
    let ds = import_voc(&ann, &img).unwrap();
    assert_eq!(ds.class_names, ["ant", "zebra"]);
    assert_eq!(ds.class_ids, [0, 1]);
    let names: Vec<&str> = ds
        .samples
        .iter()
        .map(|s| s.image_file_name.as_str())
        .collect();
    assert_eq!(names, ["b.png", "c_1.png", "plain.png"]);
    let b = ds.samples[0].boxes().unwrap();
    // The whole 20 x 10 image, and a single pixel at (row 3, col 2).
    assert_eq!(b[0], BoxAnnotation::from_xywh(1, [0.0, 0.0, 20.0, 10.0]));
    assert_eq!(b[1], BoxAnnotation::from_xywh(0, [2.0, 3.0, 1.0, 1.0]));
    assert_eq!(ds.samples[2].bbox_label_id, Some(vec![]));
    let report = validate(&ds);
    assert!(!report.has_errors(), "{report}");
}

#[test]
fn voc_reports_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let (ann, img) = (dir.path().join("ann"), dir.path().join("img"));
    write_png(&img.join("a.png"), 20, 10);
    write_bytes(&ann.join("1.xml"), voc("missing.png", &[]).as_bytes());
    write_bytes(
        &ann.join("2.xml"),
        b"<annotation><filename>a.png</filename>",
    );
    write_bytes(
        &ann.join("3.xml"),
        b"<annotation><filename>a.png</filename><object><name>x</name>\
          <bndbox><xmin>1</xmin><ymin>a</ymin><xmax>2</xmax></bndbox></object></annotation>",
    );
    write_bytes(&ann.join("4.xml"), voc("a.png", &[]).as_bytes());
    write_bytes(&ann.join("5.xml"), voc("a.png", &[]).as_bytes());
    let e = import_voc(&ann, &img).unwrap_err().to_string();
    assert!(e.contains("4 problem(s)"), "{e}");
    assert!(e.contains("1.xml: image \"missing.png\" not found"), "{e}");
    assert!(
        e.contains("2.xml: invalid XML: line 1: element <annotation> is not closed"),
        "{e}"
    );
    assert!(
        e.contains("3.xml: object 0: <ymin> \"a\" is not a number"),
        "{e}"
    );
    assert!(
        e.contains("5.xml: image \"a.png\" is also annotated by 4.xml"),
        "{e}"
    );
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(import_voc(&empty, &img).is_err());
}

#[test]
fn txt_boxes_by_name_or_id() {
    let dir = tempfile::tempdir().unwrap();
    let (img, lab) = (dir.path().join("img"), dir.path().join("lab"));
    write_png(&img.join("a.png"), 20, 10);
    write_png(&img.join("sub/b.png"), 20, 10);
    write_bytes(
        &lab.join("a.txt"),
        b"# x1 y1 x2 y2 class\n0 0 20 10 cat\n\n1.5 2 3 4 1\n",
    );
    write_bytes(&lab.join("sub/b.txt"), b"");
    let classes = vec!["cat".to_string(), "dog".to_string()];
    let ds = import_txt_boxes(&img, &lab, &classes).unwrap();
    assert_eq!(ds.class_ids, [0, 1]);
    let b = ds.samples[0].boxes().unwrap();
    assert_eq!(b[0], BoxAnnotation::from_xywh(0, [0.0, 0.0, 20.0, 10.0]));
    assert_eq!(
        b[1],
        BoxAnnotation {
            label_id: 1,
            row1: 2.0,
            col1: 1.5,
            row2: 4.0,
            col2: 3.0
        }
    );
    assert_eq!(ds.samples[1].image_file_name, "sub/b.png");
    assert_eq!(ds.samples[1].bbox_label_id, Some(vec![]));

    write_bytes(
        &lab.join("a.txt"),
        b"0 0 1 1 bird\n0 0 1\n0 0 x 1 cat\n0 0 1 1 2\n",
    );
    write_bytes(&lab.join("orphan.txt"), b"");
    write_png(&img.join("c.png"), 2, 2);
    let e = import_txt_boxes(&img, &lab, &classes)
        .unwrap_err()
        .to_string();
    for expected in [
        "a.txt: line 1: class \"bird\" is neither a class name nor a class id below 2",
        "a.txt: line 2: expected 5 fields",
        "a.txt: line 3: \"x\" is not a finite number",
        "a.txt: line 4: class \"2\"",
        "c.png: no label file c.txt",
        "orphan.txt: no image for this label file",
    ] {
        assert!(e.contains(expected), "{expected}: {e}");
    }
    assert!(import_txt_boxes(&img, &lab, &[]).is_err());
}
