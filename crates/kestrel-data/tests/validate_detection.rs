//! `validate` on detection datasets: boxes, rotated boxes, masks and parallel vectors.

mod common;

use common::write_png;
use kestrel_data::import::coco_format::{CocoRle, CocoRleCounts};
use kestrel_data::{
    BoxAnnotation, Dataset, InstanceMask, NO_ANNOTATIONS, Problem, RotatedBox,
    RotatedBoxAnnotation, Sample, ValidationReport, validate,
};

fn sample(id: u64, file: &str) -> Sample {
    Sample {
        image_id: id,
        image_file_name: file.into(),
        ..Default::default()
    }
}

/// The problems of sample `index` with `field`.
fn of<'a>(r: &'a ValidationReport, index: usize, field: &str) -> Vec<&'a Problem> {
    r.problems
        .iter()
        .filter(|p| p.sample_index == Some(index) && p.field == field)
        .collect()
}

fn dataset(dir: &std::path::Path, samples: Vec<Sample>) -> Dataset {
    Dataset {
        class_names: vec!["a".into(), "b".into()],
        class_ids: vec![1, 2],
        image_dir: ".".into(),
        samples,
        base_dir: dir.to_path_buf(),
        ..Default::default()
    }
}

#[test]
fn box_problems_are_all_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("i.png"), 20, 10);
    let mut s0 = sample(0, "i.png");
    s0.set_boxes(&[
        // Fine: the whole image, and 1 pixel over the edge is tolerated.
        BoxAnnotation::from_xywh(1, [0.0, 0.0, 20.0, 10.0]),
        BoxAnnotation::from_xywh(2, [-1.0, -1.0, 22.0, 12.0]),
        // Outside, inverted, zero-area, unknown label, not finite.
        BoxAnnotation::from_xywh(1, [5.0, 0.0, 16.5, 5.0]),
        BoxAnnotation::from_xywh(1, [5.0, 6.0, 2.0, -3.0]),
        BoxAnnotation::from_xywh(2, [5.0, 6.0, 0.0, 3.0]),
        BoxAnnotation::from_xywh(9, [1.0, 1.0, 2.0, 2.0]),
        BoxAnnotation::from_xywh(1, [f64::NAN, 1.0, 2.0, 2.0]),
    ]);
    let mut s1 = sample(1, "i.png");
    s1.set_boxes(&[]);
    let mut s2 = sample(2, "i.png");
    s2.set_boxes(&[BoxAnnotation::from_xywh(1, [0.0, 0.0, 2.0, 2.0])]);
    s2.bbox_col2 = Some(vec![]);
    s2.bbox_row = Some(vec![1.0]);
    let mut s3 = sample(3, "i.png");
    s3.bbox_row1 = Some(vec![1.0]);
    let ds = dataset(dir.path(), vec![s0, s1, s2, s3]);
    let r = validate(&ds);
    let text = r.to_string();
    let col2 = of(&r, 0, "bbox_col2");
    assert_eq!(col2.len(), 2, "{text}");
    assert!(col2[0].message.contains("object 2: box"), "{text}");
    assert!(
        col2[0].message.contains("outside the 20 x 10 image"),
        "{text}"
    );
    assert!(
        col2[1].message.contains("object 4: zero-area box"),
        "{text}"
    );
    let row2 = of(&r, 0, "bbox_row2");
    assert_eq!(row2.len(), 1, "{text}");
    assert!(row2[0].message.contains("object 3: inverted box"), "{text}");
    let labels = of(&r, 0, "bbox_label_id");
    assert_eq!(labels.len(), 1, "{text}");
    assert!(labels[0].message.contains("object 5: label 9"), "{text}");
    assert!(
        of(&r, 0, "bbox_col1")[0].message.contains("object 6"),
        "{text}"
    );
    assert!(r.problems[0].file.as_ref().unwrap().ends_with("i.png"));
    // Image without objects: a warning of its own field.
    let empty = of(&r, 1, NO_ANNOTATIONS);
    assert_eq!(empty.len(), 1, "{text}");
    assert!(empty[0].is_warning());
    // Mismatched lengths, a partial rotated box.
    assert!(
        of(&r, 2, "bbox_col2")[0]
            .message
            .contains("0 entries but bbox_label_id has 1"),
        "{text}"
    );
    assert_eq!(of(&r, 2, "bbox_phi").len(), 1, "{text}");
    assert!(
        of(&r, 2, "bbox_length2")[0].message.contains("missing"),
        "{text}"
    );
    // Boxes without labels: bbox_label_id missing (once), and "missing label" as other
    // samples have bbox_label_id.
    let missing = of(&r, 3, "bbox_label_id");
    assert_eq!(missing.len(), 2, "{text}");
    assert!(r.has_errors());
}

#[test]
fn rotated_boxes_and_masks_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    write_png(&dir.path().join("i.png"), 20, 10);
    let rect = |row, col, phi, length1, length2| RotatedBoxAnnotation {
        label_id: 1,
        rect: RotatedBox {
            row,
            col,
            phi,
            length1,
            length2,
        },
    };
    let mut s = sample(0, "i.png");
    s.set_rotated_boxes(&[
        rect(5.0, 10.0, 0.3, 4.0, 2.0),
        rect(5.0, 10.0, 0.0, 0.0, 2.0),
        rect(5.0, 10.0, 0.0, 3.0, -1.0),
        // Corners outside are fine, a centre outside is not.
        rect(5.0, 10.0, std::f64::consts::FRAC_PI_2, 8.0, 1.0),
        rect(5.0, 21.5, 0.0, 3.0, 1.0),
    ]);
    let square = vec![vec![1.0, 1.0, 3.0, 1.0, 3.0, 3.0]];
    let rle = |counts: Vec<u32>, size: [u32; 2]| {
        InstanceMask::Rle(CocoRle {
            counts: CocoRleCounts::Runs(counts),
            size,
        })
    };
    s.mask_polygons = Some(vec![
        InstanceMask::Polygons(square),
        InstanceMask::Polygons(vec![vec![1.0, 1.0, 3.0, 1.0, 3.0]]),
        rle(vec![0, 200], [10, 20]),
        rle(vec![0, 200], [20, 10]),
        InstanceMask::Polygons(vec![vec![1.0, 1.0, 3.0, 1.0, 3.0, 3.0]]),
    ]);
    let ds = dataset(dir.path(), vec![s]);
    let r = validate(&ds);
    let text = r.to_string();
    assert!(
        of(&r, 0, "bbox_length1")[0].message.contains("object 1"),
        "{text}"
    );
    assert!(
        of(&r, 0, "bbox_length2")[0].message.contains("object 2"),
        "{text}"
    );
    let outside = of(&r, 0, "bbox_col");
    assert_eq!(outside.len(), 1, "{text}");
    assert!(
        outside[0].message.contains("object 4: rotated box centre"),
        "{text}"
    );
    let masks = of(&r, 0, "mask_polygons");
    assert_eq!(masks.len(), 2, "{text}");
    assert!(
        masks[0]
            .message
            .contains("object 1: polygon 0 has 5 values"),
        "{text}"
    );
    assert!(
        masks[1]
            .message
            .contains("object 3: RLE mask is 10 x 20 pixels but the image is 20 x 10"),
        "{text}"
    );
    assert_eq!(r.problems.len(), 5, "{text}");
}
