//! Training with augmentation moves a detection target (box and instance mask) exactly as
//! the loader moves its image.

use kestrel::Loader;
use kestrel::data::{BoxAnnotation, Dataset, InstanceMask, Sample};
use kestrel::detection::{DecodeSettings, Detection, InstanceType};
use kestrel::image::{AugmentParams, LabelImage, Mirror, Normalization, PreprocessParams};
use kestrel::method::GradientMethod;
use std::sync::Arc;

#[test]
fn augmented_boxes_and_masks_follow_the_augmented_image() {
    let tmp = tempfile::tempdir().unwrap();
    // A 32x32 image with an off-centre bright part at columns 4..14, rows 6..24.
    let inside = |x: u32, y: u32| (4..14).contains(&x) && (6..24).contains(&y);
    let image = LabelImage {
        width: 32,
        height: 32,
        data: (0..32 * 32)
            .map(|i| if inside(i % 32, i / 32) { 255 } else { 0 })
            .collect(),
    };
    kestrel::image::write_label_png(&tmp.path().join("part.png"), &image).unwrap();
    let mut sample = Sample {
        image_id: 0,
        image_file_name: "part.png".into(),
        mask_polygons: Some(vec![InstanceMask::Polygons(vec![vec![
            4.0, 6.0, 14.0, 6.0, 14.0, 24.0, 4.0, 24.0,
        ]])]),
        ..Default::default()
    };
    sample.set_boxes(&[BoxAnnotation {
        label_id: 1,
        row1: 6.0,
        col1: 4.0,
        row2: 24.0,
        col2: 14.0,
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
    let target = method.encode_target(&dataset, &dataset.samples[0]).unwrap();
    assert_eq!(target.rects.len(), 1);
    let mut moved_somewhere = false;
    for epoch in 0..8u64 {
        let batch = loader
            .batches(paths.clone(), vec![0], 1, epoch)
            .recv()
            .unwrap()
            .unwrap();
        let moved = method.augment_target(target.clone(), &batch.plans[0]);
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
