//! Counting importers (dot maps, VOC, COCO, JSON list) and the generic `import` for the
//! counting kind.

mod common;

use std::path::Path;

use common::{write_bytes, write_grey, write_png};
use kestrel_data::{
    DatasetKind, ImportFormat, ImportRequest, import, import_counting_coco, import_counting_dots,
    import_counting_json, import_counting_voc, validate,
};

/// A `w x h` grey dot map with a dot at each `(row, col)`.
fn write_dots(path: &Path, w: u32, h: u32, dots: &[(u32, u32)]) {
    let mut px = vec![0u8; (w * h) as usize];
    for &(r, c) in dots {
        px[(r * w + c) as usize] = 255;
    }
    write_grey(path, w, h, &px);
}

#[test]
fn dot_maps_give_points_and_rule_examples() {
    let dir = tempfile::tempdir().unwrap();
    let (img, dots) = (dir.path().join("img"), dir.path().join("dots"));
    write_png(&img.join("a.png"), 40, 30);
    write_png(&img.join("empty.png"), 40, 30);
    let grid: Vec<(u32, u32)> = (0..3)
        .flat_map(|r| (0..4).map(move |c| (5 + 10 * r, 5 + 10 * c)))
        .collect();
    write_dots(&dots.join("a_gt.png"), 40, 30, &grid);
    write_dots(&dots.join("empty_gt.png"), 40, 30, &[]);
    let ds = import_counting_dots(&img, &dots, Some("pill")).unwrap();
    assert_eq!(ds.class_names, ["pill"]);
    let a = &ds.samples[0];
    assert_eq!(a.true_count().unwrap(), 12);
    assert!(a.count_points().unwrap().contains(&(5.5, 15.5)));
    let boxes = a.exemplar_boxes().unwrap();
    assert_eq!(boxes.len(), 3);
    for b in &boxes {
        assert!((b[2] - b[0] - 7.0).abs() < 1e-12, "{b:?}");
    }
    assert_eq!(ds.samples[1].true_count().unwrap(), 0);
    assert!(ds.samples[1].exemplar_boxes().unwrap().is_empty());
    let report = validate(&ds);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn dot_map_problems_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    let (img, dots) = (dir.path().join("img"), dir.path().join("dots"));
    write_png(&img.join("no_map.png"), 10, 10);
    write_png(&img.join("small.png"), 10, 10);
    write_png(&img.join("one.png"), 10, 10);
    write_dots(&dots.join("small_gt.png"), 8, 10, &[]);
    write_dots(&dots.join("one_gt.png"), 10, 10, &[(2, 2)]);
    write_dots(&dots.join("orphan_gt.png"), 10, 10, &[]);
    let e = import_counting_dots(&img, &dots, None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("4 problem(s)"), "{e}");
    assert!(e.contains("orphan_gt.png: dot map without an image"), "{e}");
    assert!(e.contains("no_map.png: no dot map"), "{e}");
    assert!(
        e.contains("small_gt.png: dot map is 8 x 10 pixels but its image is 10 x 10"),
        "{e}"
    );
    assert!(e.contains("one_gt.png: a single dot"), "{e}");
}

/// A VOC file naming `filename` with the given objects `(name, xmin, ymin, xmax, ymax)`.
fn voc(filename: &str, objects: &[(&str, i32, i32, i32, i32)]) -> String {
    let mut s = format!("<annotation><filename>{filename}</filename>");
    for (name, x1, y1, x2, y2) in objects {
        s.push_str(&format!(
            "<object><name>{name}</name><bndbox><xmin>{x1}</xmin><ymin>{y1}</ymin>\
             <xmax>{x2}</xmax><ymax>{y2}</ymax></bndbox></object>"
        ));
    }
    s + "</annotation>"
}

#[test]
fn voc_boxes_of_one_class() {
    let dir = tempfile::tempdir().unwrap();
    let (ann, img) = (dir.path().join("ann"), dir.path().join("img"));
    write_png(&img.join("a.png"), 100, 100);
    write_png(&img.join("b.png"), 100, 100);
    let cells = [
        ("cell", 11, 11, 20, 20),
        ("cell", 31, 31, 40, 40),
        ("dirt", 51, 51, 60, 60),
        ("cell", 1, 51, 10, 60),
    ];
    write_bytes(&ann.join("a.xml"), voc("a.png", &cells).as_bytes());
    write_bytes(
        &ann.join("b.xml"),
        voc("b.png", &[("dirt", 5, 5, 9, 9)]).as_bytes(),
    );
    let e = import_counting_voc(&ann, &img, None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("several classes (cell, dirt): name the one to count"),
        "{e}"
    );
    let e = import_counting_voc(&ann, &img, Some("dust"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("class \"dust\" is not in the annotations (classes: cell, dirt)"),
        "{e}"
    );
    let ds = import_counting_voc(&ann, &img, Some("cell")).unwrap();
    assert_eq!(
        (ds.class_names.clone(), ds.class_ids.clone()),
        (vec!["cell".to_string()], vec![0])
    );
    let a = &ds.samples[0];
    assert_eq!(a.true_count().unwrap(), 3);
    assert_eq!(a.count_points().unwrap()[0], (15.0, 15.0));
    let examples = a.exemplar_boxes().unwrap();
    assert_eq!(examples.len(), 3);
    // The box touching the left border comes last.
    assert_eq!(examples[2], [50.0, 0.0, 60.0, 10.0]);
    assert_eq!(ds.samples[1].true_count().unwrap(), 0);
    assert!(ds.samples[1].exemplar_boxes().unwrap().is_empty());
    assert!(!validate(&ds).has_errors(), "{}", validate(&ds));
}

#[test]
fn coco_boxes_of_one_category_through_import() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 50, 40);
    let json = dir.path().join("coco.json");
    write_bytes(
        &json,
        br#"{"images": [{"id": 4, "file_name": "a.png"}],
             "categories": [{"id": 1, "name": "log"}],
             "annotations": [
               {"id": 1, "image_id": 4, "category_id": 1, "bbox": [5, 5, 10, 10]},
               {"id": 2, "image_id": 4, "category_id": 1, "bbox": [20, 20, 10, 8]}]}"#,
    );
    let direct = import_counting_coco(&json, dir.path(), None).unwrap();
    let request = ImportRequest {
        kind: "counting".parse::<DatasetKind>().unwrap(),
        format: "coco".parse::<ImportFormat>().unwrap(),
        src: json.clone(),
        labels: None,
        images: None,
        split_file: None,
        class_names: Some(vec!["log".into()]),
        images_out: None,
        out: dir.path().join("out.json"),
    };
    let ds = import(&request).unwrap();
    assert_eq!(ds, direct);
    assert_eq!(ds.class_names, ["log"]);
    assert_eq!(ds.samples[0].image_id, 4);
    assert_eq!(
        ds.samples[0].count_points().unwrap(),
        [(10.0, 10.0), (24.0, 25.0)]
    );
    assert_eq!(ds.samples[0].exemplar_boxes().unwrap().len(), 2);
    let two = ImportRequest {
        class_names: Some(vec!["log".into(), "stone".into()]),
        ..request
    };
    let e = import(&two).unwrap_err().to_string();
    assert!(
        e.contains("counts one class, but --class-names gives 2"),
        "{e}"
    );
    let dots = ImportRequest {
        format: ImportFormat::Dots,
        class_names: None,
        ..two
    };
    let e = import(&dots).unwrap_err().to_string();
    assert!(e.contains("--format dots needs --labels"), "{e}");
}

#[test]
fn json_list_converts_xy_and_reports_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("a.png"), 50, 40);
    write_png(&dir.path().join("b.png"), 50, 40);
    let list = dir.path().join("list.json");
    write_bytes(
        &list,
        br#"[{"image": "a.png", "exemplars": [[1, 2, 11, 12]], "points": [[6, 7], [30.5, 20.5]]},
            {"image": "b.png", "exemplars": [[1, 2, 11, 12]]}]"#,
    );
    let ds = import_counting_json(&list, None).unwrap();
    assert_eq!(ds.class_names, ["object"]);
    let a = &ds.samples[0];
    assert_eq!(a.exemplar_boxes().unwrap(), [[2.0, 1.0, 12.0, 11.0]]);
    assert_eq!(a.count_points().unwrap(), [(7.0, 6.0), (20.5, 30.5)]);
    assert_eq!(ds.samples[1].point_row, None);
    // b has no ground truth while a has: a missing label.
    let report = validate(&ds);
    assert_eq!(report.problems.len(), 1, "{report}");
    assert_eq!(report.problems[0].field, "point_row");

    write_bytes(
        &list,
        br#"[{"image": "a.png", "exemplars": [[1, 2, 11]], "points": [[6, 7, 8]]},
            {"image": "missing.png"},
            {"image": "a.png", "exemplars": [[5, 5, 1, 9]]},
            {"image": "b.png", "exemplar": []},
            7]"#,
    );
    let e = import_counting_json(&list, None).unwrap_err().to_string();
    assert!(e.contains("7 problem(s)"), "{e}");
    for part in [
        "entry 0 (image \"a.png\"): exemplars[0]: [1.0, 2.0, 11.0] is not four numbers",
        "entry 0 (image \"a.png\"): points[0]: [6.0, 7.0, 8.0] is not two finite numbers",
        "entry 1 (image \"missing.png\"): image: file not found",
        "entry 2 (image \"a.png\"): image: also listed by entry 0",
        "entry 2 (image \"a.png\"): exemplars[0]: [5.0, 5.0, 1.0, 9.0] is empty or inverted",
        "entry 3: unknown field `exemplar`",
        "entry 4: invalid type: integer `7`",
    ] {
        assert!(e.contains(part), "{part} not in {e}");
    }
    write_bytes(&list, b"{\"image\": 1}");
    let e = import_counting_json(&list, None).unwrap_err().to_string();
    assert!(e.contains("expected a JSON list of images"), "{e}");
}
