//! Target assignment and decoding agree: outputs built from the assignment of known
//! boxes (what a perfectly trained network would say) decode to exactly those boxes,
//! classes kept, duplicates suppressed.

use kestrel::detection::{
    DecodeSettings, Detection, InstanceType, angle_factor, assign, canonical, decode, locations,
};
use kestrel::image::RotatedRect;
use kestrel::nn::DetectionOutput;
use kestrel::nn::burn::tensor::{Device, Tensor, TensorData};

const SIZE: u32 = 224;

fn method(instance_type: InstanceType, ignore_direction: bool) -> Detection {
    Detection {
        class_ids: vec![0, 1],
        class_names: vec!["a".into(), "b".into()],
        instance_type,
        ignore_direction,
        freeze_backbone_level: None,
        width: SIZE,
        height: SIZE,
        decode: DecodeSettings {
            min_confidence: vec![0.5, 0.5],
            max_overlap: 0.5,
            max_overlap_class_agnostic: 1.0,
            max_detections: 100,
        },
    }
}

/// The outputs a network would give when it had learned `objects` perfectly.
fn ideal_outputs(method: &Detection, objects: &[(RotatedRect, usize)]) -> DetectionOutput {
    let levels = vec![(3, 28, 28), (4, 14, 14), (5, 7, 7)];
    let locs = locations(&levels);
    let n = locs.len();
    let rects: Vec<RotatedRect> = objects
        .iter()
        .map(|(r, _)| canonical(*r, method.ignore_direction))
        .collect();
    let a = assign(&locs, &rects);
    let mut classes = vec![-12f32; 2 * n];
    let mut distances = vec![0f32; 4 * n];
    let mut centre = vec![-12f32; n];
    let mut angle = vec![0f32; 2 * n];
    let k = angle_factor(method.ignore_direction);
    for loc in 0..n {
        let Some(o) = a.object[loc] else {
            continue;
        };
        classes[objects[o].1 * n + loc] = 12.0;
        for j in 0..4 {
            distances[j * n + loc] = a.distances[loc][j].ln();
        }
        let c = a.centerness[loc].clamp(1e-4, 1.0 - 1e-4);
        centre[loc] = (c / (1.0 - c)).ln();
        angle[loc] = (k * rects[o].phi).sin();
        angle[n + loc] = (k * rects[o].phi).cos();
    }
    let device = Device::default();
    let t = |v: Vec<f32>, d: usize| Tensor::<3>::from_data(TensorData::new(v, [1, d, n]), &device);
    DetectionOutput {
        class_logits: t(classes, 2),
        box_regression: t(distances, 4),
        centerness: t(centre, 1),
        angle: (method.instance_type == InstanceType::Rectangle2).then(|| t(angle, 2)),
        mask_coefficients: None,
        prototypes: None,
        levels,
    }
}

fn axis(x1: f32, y1: f32, x2: f32, y2: f32) -> RotatedRect {
    RotatedRect {
        row: (y1 + y2) / 2.0,
        col: (x1 + x2) / 2.0,
        phi: 0.0,
        length1: (x2 - x1) / 2.0,
        length2: (y2 - y1) / 2.0,
    }
}

#[test]
fn ideal_outputs_decode_to_the_axis_aligned_boxes() {
    let m = method(InstanceType::Rectangle1, false);
    // A small box (level 3), a large one (level 5) and one in between, two classes.
    let objects = [
        (axis(20.0, 30.0, 60.0, 58.0), 0),
        (axis(10.0, 80.0, 210.0, 200.0), 1),
        (axis(120.0, 10.0, 200.0, 110.0), 0),
    ];
    let found = &decode(&m, ideal_outputs(&m, &objects), &m.decode)[0];
    assert_eq!(found.len(), objects.len(), "{found:#?}");
    for (rect, class) in &objects {
        let best = found
            .iter()
            .filter(|f| f.class == *class)
            .map(|f| f.rect.bounding_box().iou(&rect.bounding_box()))
            .fold(0.0, f32::max);
        assert!(best > 0.999, "box {rect:?} found with IoU {best}");
    }
}

#[test]
fn ideal_outputs_decode_to_the_rotated_boxes() {
    let m = method(InstanceType::Rectangle2, true);
    let objects = [
        (
            RotatedRect {
                row: 60.0,
                col: 70.0,
                phi: 0.6,
                length1: 40.0,
                length2: 12.0,
            },
            0,
        ),
        (
            RotatedRect {
                row: 150.0,
                col: 150.0,
                phi: -1.2,
                // Shorter along phi: canonical form turns it by 90°, the same box.
                length1: 15.0,
                length2: 50.0,
            },
            1,
        ),
    ];
    let found = &decode(&m, ideal_outputs(&m, &objects), &m.decode)[0];
    assert_eq!(found.len(), objects.len(), "{found:#?}");
    for (rect, class) in &objects {
        let best = found
            .iter()
            .filter(|f| f.class == *class)
            .map(|f| f.rect.iou(rect))
            .fold(0.0, f32::max);
        assert!(best > 0.999, "box {rect:?} found with rotated IoU {best}");
    }
}
