//! Plane geometry for Kestrel, free of any tensor library: axis-aligned boxes
//! ([`AxisBox`]) and rotated rectangles ([`RotatedBox`], HALCON `rectangle2`) with their
//! corners, areas and IoU; polygon area, convex clipping, convex hull and the
//! minimum-area enclosing rectangle; COCO run-length encoded masks ([`Rle`]: encode,
//! decode, merge, compressed strings, polygon rasterisation identical to `pycocotools`);
//! [`write_atomic`], the one atomic file write of the workspace; and [`read_regular`],
//! which reads a user's file whole but refuses pipes and devices.
//!
//! # Coordinates
//!
//! Continuous pixel coordinates with `(0, 0)` at the top-left corner of the top-left
//! pixel: pixel `(x, y)` covers `[x, x + 1) x [y, y + 1)`; x is the column (to the right),
//! y the row (downwards). This is COCO's convention; HALCON puts integer coordinates at
//! pixel centres, so a HALCON coordinate is ours minus 0.5. Points are `(x, y)`.

#![warn(missing_docs)]

mod aabb;
mod atomic;
mod coco;
mod compressed;
mod error;
mod hull;
mod limits;
mod polygon;
mod raster;
mod read;
mod rle;
mod rotated;
mod scalar;

pub use aabb::AxisBox;
pub use atomic::write_atomic;
pub use coco::{CocoRle, CocoRleCounts};
pub use error::RleError;
pub use hull::{convex_hull, min_area_rect};
pub use limits::{
    DEFAULT_MAX_IMAGE_PIXELS, MAX_IMAGE_PIXELS_ENV, image_size_problem, max_image_pixels,
};
pub use polygon::{Point, clip_convex, convex_intersection_area, polygon_area, signed_area};
pub use read::{read_regular, read_regular_to_string};
pub use rle::Rle;
pub use rotated::{RotatedBox, rotated_iou};
pub use scalar::Scalar;
