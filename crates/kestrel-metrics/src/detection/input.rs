//! Inputs of the COCO-style evaluation: images, categories, ground truth and detections.

use serde::{Deserialize, Serialize};

use kestrel_geom::{Rle, RotatedBox};

/// What the evaluation compares: boxes or masks (COCO's `iouType` `"bbox"` / `"segm"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum IouType {
    /// Axis-aligned boxes.
    Bbox,
    /// Instance masks.
    Segm,
    /// Rotated boxes (HALCON `rectangle2`), given as [`Mask::Rotated`]; not part of
    /// `pycocotools`, the matching and averaging are the same with [`rotated_iou`](super::rotated_iou).
    Rotated,
}

/// An image of the ground truth; its size is the size of its masks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalImage {
    /// Image id, referenced by ground truth and detections.
    pub id: u64,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}

/// A category of the ground truth.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvalCategory {
    /// Category id, referenced by ground truth and detections.
    pub id: u32,
    /// Name, for per-class results and plots.
    pub name: String,
}

/// An object mask: COCO polygons (`[[x0, y0, x1, y1, ...], ...]` in image pixels, one
/// object in one or more parts, rasterised exactly as `pycocotools` does at the image's
/// size) or a run-length encoding of the image's size (build one from a bitmap with
/// [`Rle::encode`], from a COCO string with [`Rle::from_compressed`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Mask {
    /// Run-length encoded mask.
    Rle(Rle),
    /// Polygons in image pixels.
    Polygons(Vec<Vec<f64>>),
    /// A rotated rectangle (for [`IouType::Rotated`]).
    Rotated(RotatedBox),
}

/// A ground-truth object (one COCO annotation).
#[derive(Debug, Clone, PartialEq)]
pub struct GroundTruth {
    /// The image it is in.
    pub image_id: u64,
    /// Its category.
    pub category_id: u32,
    /// Box `[x, y, width, height]` in pixels, `(0, 0)` the top-left image corner.
    pub bbox: [f64; 4],
    /// Area in pixels, deciding the small / medium / large range (COCO's annotation
    /// `area`, the mask area there; [`GroundTruth::new`] uses the box area).
    pub area: f64,
    /// A crowd region: never counted as missed, and detections on it are ignored.
    pub iscrowd: bool,
    /// The mask (needed for [`IouType::Segm`]).
    pub mask: Option<Mask>,
}

impl GroundTruth {
    /// A non-crowd object without mask whose area is the box's.
    pub fn new(image_id: u64, category_id: u32, bbox: [f64; 4]) -> Self {
        GroundTruth {
            image_id,
            category_id,
            bbox,
            area: bbox[2] * bbox[3],
            iscrowd: false,
            mask: None,
        }
    }
}

/// A detection (one entry of a COCO results file).
#[derive(Debug, Clone, PartialEq)]
pub struct Detection {
    /// The image it is in.
    pub image_id: u64,
    /// The predicted category.
    pub category_id: u32,
    /// Box `[x, y, width, height]` in pixels. Its area `width * height` decides the
    /// detection's area range in both box and mask evaluation, as in `pycocotools` when
    /// results carry a `bbox`.
    pub bbox: [f64; 4],
    /// Confidence, higher = surer.
    pub score: f64,
    /// The predicted mask (needed for [`IouType::Segm`]).
    pub mask: Option<Mask>,
}

/// The ground truth of an evaluation: images, categories and objects.
///
/// Every category counts, also one without objects (it gets no AP and is left out of the
/// means, as in `pycocotools`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroundTruthSet {
    /// The evaluated images (also those without objects: detections there are false
    /// positives).
    pub images: Vec<EvalImage>,
    /// The categories.
    pub categories: Vec<EvalCategory>,
    /// The objects, in any order; within an image and category their order breaks ties
    /// as in `pycocotools` (file order).
    pub annotations: Vec<GroundTruth>,
}
