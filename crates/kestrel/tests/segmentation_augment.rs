//! Training with augmentation moves a segmentation target exactly as the loader moves its
//! image.

use kestrel::Loader;
use kestrel::data::{Dataset, Sample};
use kestrel::image::{AugmentParams, LabelImage, Mirror, Normalization, PreprocessParams};
use kestrel::method::GradientMethod;
use kestrel::segmentation::Segmentation;
use std::sync::Arc;

#[test]
fn augmented_labels_follow_the_augmented_image() {
    let tmp = tempfile::tempdir().unwrap();
    // A 32x32 image: an off-centre bright rectangle; its label image marks it as class 1.
    let inside = |x: u32, y: u32| (4..14).contains(&x) && (6..24).contains(&y);
    let grey = |value: u8| LabelImage {
        width: 32,
        height: 32,
        data: (0..32 * 32)
            .map(|i| if inside(i % 32, i / 32) { value } else { 0 })
            .collect(),
    };
    kestrel::image::write_label_png(&tmp.path().join("part.png"), &grey(255)).unwrap();
    let labels = grey(1);
    kestrel::image::write_label_png(&tmp.path().join("part_labels.png"), &labels).unwrap();
    let dataset = Dataset {
        class_names: vec!["background".into(), "part".into()],
        class_ids: vec![0, 1],
        image_dir: tmp.path().to_string_lossy().into_owned(),
        samples: vec![Sample {
            image_id: 0,
            image_file_name: "part.png".into(),
            segmentation_file_name: Some("part_labels.png".into()),
            ..Default::default()
        }],
        ..Default::default()
    };
    let method = Segmentation {
        class_ids: vec![0, 1],
        class_names: dataset.class_names.clone(),
        ignore_class_ids: Vec::new(),
        class_weights: vec![1.0, 1.0],
        width: 32,
        height: 32,
    };
    let augment = AugmentParams {
        percentage: 100.0,
        mirror: Mirror::Both,
        rotation_range_deg: 20.0,
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
        augment: Some((augment, 5)),
    };
    let paths = Arc::new(vec![dataset.image_path(&dataset.samples[0])]);
    let target = method.encode_target(&dataset, &dataset.samples[0]).unwrap();
    let mut moved_somewhere = false;
    for epoch in 0..6u64 {
        let batch = loader
            .batches(paths.clone(), vec![0], 1, epoch)
            .recv()
            .unwrap()
            .unwrap();
        let moved = method.place_target(&target, &batch.images[0]).unwrap();
        moved_somewhere |= moved != target;
        // Where the image is clearly bright or dark, the label agrees (bilinear blurs edges).
        let disagree = batch
            .values
            .iter()
            .zip(&moved)
            .filter(|(v, l)| (**v > 0.9 && **l != 1) || (**v < 0.1 && **l == 1))
            .count();
        assert_eq!(disagree, 0, "epoch {epoch}");
    }
    assert!(moved_somewhere, "augmentation changed nothing");
}
