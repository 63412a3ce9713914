//! Non-maximum suppression, HALCON semantics, and box overlaps.

use std::f32::consts::{FRAC_PI_4, SQRT_2};

use kestrel_image::{
    AxisBox, RotatedRect, ScoredBox, ScoredRotatedRect, non_max_suppression,
    non_max_suppression_by, rotated_nms,
};

fn scored(x1: f32, x2: f32, score: f32, class: u32) -> ScoredBox {
    // All boxes span rows 0..10, so overlaps are 1-D along x.
    ScoredBox {
        x1,
        y1: 0.0,
        x2,
        y2: 10.0,
        score,
        class,
    }
}

fn square(col: f32, phi: f32, score: f32, class: u32) -> ScoredRotatedRect {
    ScoredRotatedRect {
        rect: RotatedRect {
            row: 5.0,
            col,
            phi,
            length1: 0.5,
            length2: 0.5,
        },
        score,
        class,
    }
}

#[test]
fn axis_box_iou() {
    let a = AxisBox {
        x1: 0.0,
        y1: 0.0,
        x2: 10.0,
        y2: 10.0,
    };
    let b = AxisBox {
        x1: 1.0,
        y1: 1.0,
        x2: 11.0,
        y2: 11.0,
    };
    // 9 x 9 = 81 shared, 100 + 100 - 81 = 119 in all.
    assert!((a.iou(&b) - 81.0 / 119.0).abs() < 1e-6);
    assert_eq!(a.iou(&a), 1.0);
    let empty = AxisBox { x2: 0.0, ..a };
    assert_eq!(a.iou(&empty), 0.0);
    assert_eq!(empty.iou(&empty), 0.0);
}

#[test]
fn rotated_iou_of_a_square_and_its_45_degree_turn() {
    // The octagon shared by a unit square and its 45° turn has area 2 (sqrt 2 - 1), the
    // union 4 - 2 sqrt 2, so IoU = 1 / sqrt 2.
    let a = square(5.0, 0.0, 1.0, 0).rect;
    let b = square(5.0, FRAC_PI_4, 1.0, 0).rect;
    assert!((a.iou(&b) - 1.0 / SQRT_2).abs() < 1e-6, "{}", a.iou(&b));
    assert!((a.iou(&a) - 1.0).abs() < 1e-6);
    // Shifted by half a side: 0.5 / 1.5.
    let c = square(5.5, 0.0, 1.0, 0).rect;
    assert!((a.iou(&c) - 1.0 / 3.0).abs() < 1e-6);
    assert_eq!(a.iou(&square(9.0, 0.0, 1.0, 0).rect), 0.0);
}

#[test]
fn same_class_overlap_keeps_the_higher_score() {
    // IoU 81 / 119 ~ 0.68 (see axis_box_iou).
    let mut boxes = [
        ScoredBox {
            x1: 1.0,
            y1: 1.0,
            x2: 11.0,
            y2: 11.0,
            score: 0.8,
            class: 0,
        },
        ScoredBox {
            x1: 0.0,
            y1: 0.0,
            x2: 10.0,
            y2: 10.0,
            score: 0.9,
            class: 0,
        },
    ];
    assert_eq!(non_max_suppression(&boxes, 0.5, 1.0, 100), [1]);
    // Below the threshold both stay, best first.
    assert_eq!(non_max_suppression(&boxes, 0.7, 1.0, 100), [1, 0]);
    // Different classes: both stay unless the class-agnostic overlap is set low.
    boxes[0].class = 1;
    assert_eq!(non_max_suppression(&boxes, 0.5, 1.0, 100), [1, 0]);
    assert_eq!(non_max_suppression(&boxes, 0.5, 0.5, 100), [1]);
    assert_eq!(non_max_suppression(&boxes, 0.5, 0.7, 100), [1, 0]);
}

#[test]
fn max_detections_keeps_the_best() {
    let boxes = [
        scored(0.0, 10.0, 0.5, 0),
        scored(20.0, 30.0, 0.9, 1),
        scored(40.0, 50.0, 0.7, 0),
    ];
    assert_eq!(non_max_suppression(&boxes, 0.5, 0.5, 100), [1, 2, 0]);
    assert_eq!(non_max_suppression(&boxes, 0.5, 0.5, 2), [1, 2]);
    assert_eq!(non_max_suppression(&boxes, 0.5, 1.0, 1), [1]);
    assert!(non_max_suppression(&boxes, 0.5, 0.5, 0).is_empty());
    assert!(non_max_suppression(&[], 0.5, 0.5, 10).is_empty());
}

#[test]
fn ties_keep_index_order_and_nan_scores_come_last() {
    let boxes = [
        scored(0.0, 10.0, f32::NAN, 0),
        scored(20.0, 30.0, 0.5, 0),
        scored(40.0, 50.0, 0.5, 0),
        scored(60.0, 70.0, 0.5, 0),
    ];
    assert_eq!(non_max_suppression(&boxes, 0.5, 1.0, 10), [1, 2, 3, 0]);
    // Equal scores, full overlap: the first index wins.
    let twins = [scored(0.0, 10.0, 0.5, 0), scored(0.0, 10.0, 0.5, 0)];
    assert_eq!(non_max_suppression(&twins, 0.5, 1.0, 10), [0]);
    // An overlap of exactly 1 never exceeds the threshold 1.0.
    assert_eq!(non_max_suppression(&twins, 1.0, 1.0, 10), [0, 1]);
}

#[test]
fn class_suppression_comes_before_class_agnostic_suppression() {
    // Class 0: a = [0, 10], b = [4, 14], c = [8, 18]; IoU a-b = b-c = 6 / 14 ~ 0.43,
    // a-c = 2 / 18 ~ 0.11. Class 1: d = [-1, 9], IoU with a 9 / 11 ~ 0.82, with b
    // 5 / 15 ~ 0.33, with c 1 / 19.
    let boxes = [
        scored(0.0, 10.0, 0.9, 0),  // a
        scored(4.0, 14.0, 0.8, 0),  // b
        scored(8.0, 18.0, 0.7, 0),  // c
        scored(-1.0, 9.0, 0.95, 1), // d
    ];
    // Per class (0.3): b falls to a; c stays (0.11 to a). Then across classes (0.5): a
    // falls to d, c stays. b is not revived by a's removal.
    assert_eq!(non_max_suppression(&boxes, 0.3, 0.5, 10), [3, 2]);
    assert_eq!(non_max_suppression(&boxes, 0.3, 1.0, 10), [3, 0, 2]);
}

#[test]
fn rotated_nms_uses_polygon_overlap() {
    // IoU of a square and its 45° turn is 1 / sqrt 2 ~ 0.707.
    let rects = [square(5.0, FRAC_PI_4, 0.6, 0), square(5.0, 0.0, 0.8, 0)];
    assert_eq!(rotated_nms(&rects, 0.7, 1.0, 10), [1]);
    assert_eq!(rotated_nms(&rects, 0.72, 1.0, 10), [1, 0]);
    let other = [square(5.0, FRAC_PI_4, 0.6, 1), square(5.0, 0.0, 0.8, 0)];
    assert_eq!(rotated_nms(&other, 0.7, 1.0, 10), [1, 0]);
    assert_eq!(rotated_nms(&other, 0.7, 0.7, 10), [1]);
    assert_eq!(rotated_nms(&other, 0.7, 1.0, 1), [1]);
}

#[test]
fn suppression_with_a_custom_overlap() {
    // Overlap 1 between 0 and 2 only.
    let iou = |i: usize, j: usize| if i + j == 2 && i != j { 1.0 } else { 0.0 };
    let scores = [0.3, 0.2, 0.9];
    assert_eq!(
        non_max_suppression_by(&scores, &[0, 0, 0], iou, 0.5, 1.0, 10),
        [2, 1]
    );
    assert_eq!(
        non_max_suppression_by(&scores, &[0, 0, 1], iou, 0.5, 1.0, 10),
        [2, 0, 1]
    );
    assert_eq!(
        non_max_suppression_by(&scores, &[0, 0, 1], iou, 0.5, 0.5, 10),
        [2, 1]
    );
}
