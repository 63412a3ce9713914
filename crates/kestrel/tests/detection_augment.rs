//! Training with augmentation places a detection target (box and instance mask) exactly as
//! the loader resizes and moves its image.

use kestrel::data::{BoxAnnotation, Dataset, InstanceMask, Sample};
use kestrel::detection::{DecodeSettings, Detection, InstanceType};
use kestrel::image::{
    AugmentParams, AugmentPlan, LabelImage, Mirror, Normalization, PreprocessParams,
};
use kestrel::method::GradientMethod;
use kestrel::{LoadedImage, Loader};
use std::sync::Arc;

#[test]
fn augmented_boxes_and_masks_follow_the_augmented_image() {
    let tmp = tempfile::tempdir().unwrap();
    // A 64x48 image with an off-centre bright part at columns 8..28, rows 9..36: at the
    // model's 32x32, columns 4..14 and rows 6..24.
    let inside = |x: u32, y: u32| (8..28).contains(&x) && (9..36).contains(&y);
    let image = LabelImage {
        width: 64,
        height: 48,
        data: (0..64 * 48)
            .map(|i| if inside(i % 64, i / 64) { 255 } else { 0 })
            .collect(),
    };
    kestrel::image::write_label_png(&tmp.path().join("part.png"), &image).unwrap();
    let mut sample = Sample {
        image_id: 0,
        image_file_name: "part.png".into(),
        mask_polygons: Some(vec![InstanceMask::Polygons(vec![vec![
            8.0, 9.0, 28.0, 9.0, 28.0, 36.0, 8.0, 36.0,
        ]])]),
        ..Default::default()
    };
    sample.set_boxes(&[BoxAnnotation {
        label_id: 1,
        row1: 9.0,
        col1: 8.0,
        row2: 36.0,
        col2: 28.0,
    }]);
    let dataset = Dataset {
        class_names: vec!["part".into()],
        class_ids: vec![1],
        image_dir: tmp.path().to_string_lossy().into_owned(),
        samples: vec![sample],
        ..Default::default()
    };
    let method = Detection {
        class_ids: vec![1],
        class_names: vec!["part".into()],
        instance_type: InstanceType::Mask,
        ignore_direction: false,
        freeze_backbone_level: None,
        width: 32,
        height: 32,
        decode: DecodeSettings {
            min_confidence: vec![0.5],
            max_overlap: 0.5,
            max_overlap_class_agnostic: 1.0,
            max_detections: 10,
        },
    };
    let augment = AugmentParams {
        percentage: 100.0,
        mirror: Mirror::Both,
        rotate_90: true,
        rotation_range_deg: 15.0,
        ..AugmentParams::default()
    };
    let loader = Loader {
        preprocess: PreprocessParams {
            width: 32,
            height: 32,
            num_channels: 1,
            normalization: Normalization::Range { min: 0.0, max: 1.0 },
        },
        cache: None,
        augment: Some((augment, 11)),
    };
    let paths = Arc::new(vec![dataset.image_path(&dataset.samples[0])]);
    let annotation = method.encode_target(&dataset, &dataset.samples[0]).unwrap();
    assert_eq!(annotation.rects.len(), 1);
    let unmoved = LoadedImage {
        original_width: 64,
        original_height: 48,
        plan: AugmentPlan::identity(),
    };
    let target = method.place_target(&annotation, &unmoved).unwrap();
    let b = target.rects[0].bounding_box();
    for (got, want) in [(b.x1, 4.0), (b.y1, 6.0), (b.x2, 14.0), (b.y2, 24.0)] {
        assert!((got - want).abs() < 1e-4, "{b:?} at the model's size");
    }
    let mut moved_somewhere = false;
    for epoch in 0..8u64 {
        let batch = loader
            .batches(paths.clone(), vec![0], 1, epoch)
            .recv()
            .unwrap()
            .unwrap();
        let image = &batch.images[0];
        assert_eq!((image.original_width, image.original_height), (64, 48));
        let moved = method.place_target(&annotation, image).unwrap();
        moved_somewhere |= moved != target;
        assert_eq!(moved.classes, vec![0], "epoch {epoch}");
        let b = moved.rects[0].bounding_box();
        let instances = moved.instances.as_ref().unwrap();
        for (i, (&v, &label)) in batch.values.iter().zip(&instances.data).enumerate() {
            let (x, y) = ((i % 32) as f32 + 0.5, (i / 32) as f32 + 0.5);
            if v > 0.9 {
                // Bright pixels lie in the moved box and carry the instance's label.
                assert!(
                    x >= b.x1 - 1.0 && x <= b.x2 + 1.0 && y >= b.y1 - 1.0 && y <= b.y2 + 1.0,
                    "epoch {epoch}: bright pixel ({x}, {y}) outside {b:?}"
                );
                assert_eq!(label, 1, "epoch {epoch}: pixel ({x}, {y})");
            } else if v < 0.1 {
                assert_eq!(label, 0, "epoch {epoch}: pixel ({x}, {y})");
            }
        }
    }
    assert!(moved_somewhere, "augmentation changed nothing");
}
