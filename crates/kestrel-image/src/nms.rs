//! Non-maximum suppression of detections, HALCON style: per class, then across classes,
//! then the best `max_detections`.

use serde::{Deserialize, Serialize};

use crate::{AxisBox, RotatedRect};

/// A detected axis-aligned box with its confidence and class (coordinates as
/// [`AxisBox`]: `(x1, y1)` top-left, `(x2, y2)` bottom-right, exclusive).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoredBox {
    /// Left edge (column).
    pub x1: f32,
    /// Top edge (row).
    pub y1: f32,
    /// Right edge (column).
    pub x2: f32,
    /// Bottom edge (row).
    pub y2: f32,
    /// Confidence; higher is better.
    pub score: f32,
    /// Class id.
    pub class: u32,
}

impl ScoredBox {
    /// The box without score and class.
    pub fn axis_box(&self) -> AxisBox {
        AxisBox {
            x1: self.x1,
            y1: self.y1,
            x2: self.x2,
            y2: self.y2,
        }
    }
}

/// A detected rotated rectangle with its confidence and class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScoredRotatedRect {
    /// The rectangle.
    pub rect: RotatedRect,
    /// Confidence; higher is better.
    pub score: f32,
    /// Class id.
    pub class: u32,
}

/// Non-maximum suppression of axis-aligned boxes (IoU of [`AxisBox::iou`]); returns the
/// indices of the kept boxes, best score first. See [`non_max_suppression_by`] for the
/// rules.
pub fn non_max_suppression(
    boxes: &[ScoredBox],
    max_overlap: f32,
    max_overlap_class_agnostic: f32,
    max_detections: usize,
) -> Vec<usize> {
    let rects: Vec<AxisBox> = boxes.iter().map(ScoredBox::axis_box).collect();
    suppress(
        boxes.len(),
        |i| boxes[i].score,
        |i| boxes[i].class,
        |i, j| rects[i].iou(&rects[j]),
        max_overlap,
        max_overlap_class_agnostic,
        max_detections,
    )
}

/// Non-maximum suppression of rotated rectangles (IoU of [`RotatedRect::iou`], exact
/// polygon intersection); returns the indices of the kept rectangles, best score first.
/// See [`non_max_suppression_by`] for the rules.
pub fn rotated_nms(
    rects: &[ScoredRotatedRect],
    max_overlap: f32,
    max_overlap_class_agnostic: f32,
    max_detections: usize,
) -> Vec<usize> {
    suppress(
        rects.len(),
        |i| rects[i].score,
        |i| rects[i].class,
        |i, j| rects[i].rect.iou(&rects[j].rect),
        max_overlap,
        max_overlap_class_agnostic,
        max_detections,
    )
}

/// Non-maximum suppression with any overlap measure, HALCON's semantics:
///
/// 1. Detections are visited by descending score (ties in index order: the sort is
///    stable; a NaN score counts as the lowest). Greedily, a detection is suppressed
///    when its `iou` with an already kept detection *of the same class* exceeds
///    `max_overlap`.
/// 2. The survivors of step 1 are visited again in the same order, and one is
///    suppressed when its `iou` with an already kept survivor *of any class* exceeds
///    `max_overlap_class_agnostic`.
/// 3. The best `max_detections` remain (0 keeps none).
///
/// Suppression needs an overlap strictly above the threshold; a threshold of 1.0 (or
/// more, or NaN) switches its step off (`iou` is then not called for it). `iou(i, j)` gets indices into `scores` and
/// should be symmetric. Returns the kept indices, best score first.
///
/// # Panics
///
/// When `scores` and `classes` have different lengths.
pub fn non_max_suppression_by(
    scores: &[f32],
    classes: &[u32],
    iou: impl Fn(usize, usize) -> f32,
    max_overlap: f32,
    max_overlap_class_agnostic: f32,
    max_detections: usize,
) -> Vec<usize> {
    assert_eq!(scores.len(), classes.len(), "one class per score is needed");
    suppress(
        scores.len(),
        |i| scores[i],
        |i| classes[i],
        iou,
        max_overlap,
        max_overlap_class_agnostic,
        max_detections,
    )
}

/// The three steps of [`non_max_suppression_by`] for `n` detections.
fn suppress(
    n: usize,
    score: impl Fn(usize) -> f32,
    class: impl Fn(usize) -> u32,
    iou: impl Fn(usize, usize) -> f32,
    max_overlap: f32,
    max_overlap_class_agnostic: f32,
    max_detections: usize,
) -> Vec<usize> {
    let key = |i: usize| {
        let s = score(i);
        // NaN last; -0.0 + 0.0 is 0.0, so signed zeros tie.
        if s.is_nan() {
            f32::NEG_INFINITY
        } else {
            s + 0.0
        }
    };
    let mut order: Vec<usize> = (0..n).collect();
    // Stable: equal scores keep index order.
    order.sort_by(|&a, &b| key(b).total_cmp(&key(a)));
    let per_class = if on(max_overlap) {
        greedy(&order, usize::MAX, |kept, i| {
            class(kept) == class(i) && iou(kept, i) > max_overlap
        })
    } else {
        order
    };
    if on(max_overlap_class_agnostic) {
        greedy(&per_class, max_detections, |kept, i| {
            iou(kept, i) > max_overlap_class_agnostic
        })
    } else {
        per_class.into_iter().take(max_detections).collect()
    }
}

/// Whether a threshold can suppress anything (overlaps are at most 1).
fn on(threshold: f32) -> bool {
    threshold < 1.0
}

/// Greedy suppression over `order`: each index is kept unless `suppresses(kept, index)`
/// holds for an index kept before it; stops once `limit` are kept.
fn greedy(order: &[usize], limit: usize, suppresses: impl Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::new();
    for &i in order {
        if kept.len() >= limit {
            break;
        }
        if !kept.iter().any(|&k| suppresses(k, i)) {
            kept.push(i);
        }
    }
    kept
}
