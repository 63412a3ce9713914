//! Edge datasets derived from segmentation label images.

use kestrel_data::{Dataset, Sample, edges_from_segmentation};

#[test]
fn borders_between_classes_become_two_pixel_edges() {
    let tmp = tempfile::tempdir().unwrap();
    // A 6x4 label image: class 2 in columns 3..6, class 0 elsewhere.
    let labels = image::GrayImage::from_fn(6, 4, |x, _| image::Luma([if x >= 3 { 2 } else { 0 }]));
    labels.save(tmp.path().join("a.png")).unwrap();
    image::GrayImage::new(6, 4)
        .save(tmp.path().join("a_image.png"))
        .unwrap();
    let source = Dataset {
        class_names: vec!["bg".into(), "x".into(), "y".into()],
        class_ids: vec![0, 1, 2],
        image_dir: tmp.path().to_string_lossy().into_owned(),
        segmentation_dir: Some(tmp.path().to_string_lossy().into_owned()),
        samples: vec![Sample {
            image_id: 7,
            image_file_name: "a_image.png".into(),
            segmentation_file_name: Some("a.png".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let edges = edges_from_segmentation(&source, &tmp.path().join("edges")).unwrap();
    assert_eq!(edges.class_names, vec!["background", "edge"]);
    let sample = &edges.samples[0];
    assert_eq!(sample.image_id, 7);
    let written = image::open(edges.segmentation_path(sample).unwrap())
        .unwrap()
        .to_luma8();
    // Columns 2 and 3 touch the other class; nothing else does.
    for y in 0..4 {
        let row: Vec<u8> = (0..6).map(|x| written.get_pixel(x, y)[0]).collect();
        assert_eq!(row, vec![0, 0, 1, 1, 0, 0]);
    }
    assert!(edges.image_path(sample).is_file());
}

#[test]
fn a_dataset_without_label_images_is_an_error_not_an_empty_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    let dataset = Dataset {
        base_dir: tmp.path().to_path_buf(),
        samples: vec![Sample {
            image_id: 1,
            image_file_name: "a.png".into(),
            image_label_id: Some(0),
            ..Default::default()
        }],
        ..Default::default()
    };
    let err = edges_from_segmentation(&dataset, &tmp.path().join("edges"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("segmentation_file_name"), "{err}");
    assert!(!tmp.path().join("edges").exists(), "nothing written");
}
