//! Object detection and instance segmentation metrics, COCO style.
//!
//! [`evaluate_detection`] reproduces `pycocotools`' `COCOeval` (boxes or masks): AP over
//! IoU 0.50:0.95, AP50, AP75, AP by object size, AR with 1, 10 and 100 detections per
//! image, per-class AP and precision-recall curves. Masks use COCO run-length encoding
//! ([`Rle`] of `kestrel-geom`: encode, decode, area, bounding box, union, compressed
//! strings, and polygon rasterisation identical to `pycocotools`' `frPyObjects`);
//! [`mask_iou`] and [`box_iou`] are `pycocotools`' IoU with the crowd rule.
//! [`rotated_iou`] compares rotated rectangles (HALCON `rectangle2`).
//!
//! Boxes are `[x, y, width, height]` in pixels with `(0, 0)` the top-left corner of the
//! image, as in COCO.

mod accumulate;
mod evaluation;
mod input;
mod iou;
mod matching;
mod numpy;

pub use evaluation::{
    AREA_LABELS, AREA_RANGES, ClassDetectionMetrics, DetectionEvaluation, MAX_DETECTIONS,
    PrecisionRecallCurve, evaluate_detection, iou_thresholds, recall_thresholds,
};
pub use input::{Detection, EvalCategory, EvalImage, GroundTruth, GroundTruthSet, IouType, Mask};
pub use iou::{box_iou, mask_iou};
pub use kestrel_geom::{Rle, RotatedBox, rotated_iou};
