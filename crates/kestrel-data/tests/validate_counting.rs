//! Validation of counting samples: points, example boxes and the example rule.

mod common;

use std::path::Path;

use common::write_png;
use kestrel_data::{BoxAnnotation, Dataset, Sample, validate};

/// A one-class counting dataset of one 40 x 30 image with `sample`'s fields.
fn dataset(dir: &Path, sample: Sample) -> Dataset {
    write_png(&dir.join("a.png"), 40, 30);
    Dataset {
        class_names: vec!["object".into()],
        class_ids: vec![0],
        image_dir: dir.to_str().unwrap().into(),
        samples: vec![Sample {
            image_file_name: "a.png".into(),
            ..sample
        }],
        ..Default::default()
    }
}

#[test]
fn validation_reports_every_counting_problem() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Sample::default();
    s.set_count_points(&[(5.0, 5.0), (35.0, 5.0), (5.0, 45.0)]);
    s.set_exemplar_boxes(&[[0.0, 0.0, 2.0, 10.0], [20.0, 30.0, 33.0, 40.0]]);
    s.exemplar_col2.as_mut().unwrap().push(1.0);
    let report = validate(&dataset(dir.path(), s.clone()));
    let fields: Vec<&str> = report.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["exemplar_col2", "point_row", "point_col"],
        "{report}"
    );
    assert!(
        report.problems[0]
            .message
            .contains("3 entries but exemplar_row1 has 2")
    );

    s.exemplar_col2.as_mut().unwrap().pop();
    s.point_col = None;
    let report = validate(&dataset(dir.path(), s.clone()));
    let shown = report.to_string();
    let fields: Vec<&str> = report.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(
        fields,
        ["point_col", "exemplar_row2", "exemplar_row2"],
        "{shown}"
    );
    assert!(
        shown.contains("example box 0: (row1 0, col1 0, row2 2, col2 10) has height 2"),
        "{shown}"
    );
    assert!(
        shown.contains("example box 1") && shown.contains("outside the 40 x 30 image"),
        "{shown}"
    );

    // Objects but no example box; an image with no object needs none.
    let mut s = Sample::default();
    s.set_count_points(&[(5.0, 5.0)]);
    s.set_exemplar_boxes(&[]);
    let report = validate(&dataset(dir.path(), s.clone()));
    assert_eq!(report.problems.len(), 1, "{report}");
    assert!(report.problems[0].message.contains("no example box"));
    s.set_count_points(&[]);
    assert!(validate(&dataset(dir.path(), s)).is_ok());
    // Boxes as ground truth, with their example boxes; examples alone are valid too.
    let mut s = Sample::default();
    s.set_boxes(&[BoxAnnotation::from_xywh(0, [1.0, 1.0, 8.0, 8.0])]);
    s.set_exemplar_boxes(&[[1.0, 1.0, 9.0, 9.0]]);
    assert!(validate(&dataset(dir.path(), s.clone())).is_ok());
    let s = Sample {
        exemplar_row1: s.exemplar_row1,
        exemplar_col1: s.exemplar_col1,
        exemplar_row2: s.exemplar_row2,
        exemplar_col2: s.exemplar_col2,
        ..Default::default()
    };
    let report = validate(&dataset(dir.path(), s));
    assert!(report.is_ok(), "{report}");
}
