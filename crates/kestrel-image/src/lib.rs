//! Image input and output for Kestrel: decoding (PNG, JPEG, BMP, TIFF; 8 and 16 bit),
//! channel conversion, resizing, normalization to a network's input range, an on-disk cache
//! of resized samples, HALCON-style data augmentation (also of image + label image pairs
//! and of images with their object boxes), label images and masks, boxes and their
//! non-maximum suppression, text detection post-processing for deep OCR (word boxes from
//! a probability map, upright word crops), grasp targets for gripping-point detection
//! (quality, angle and width maps; rectangles moved with the image), and pictures of results (heat maps, label
//! colours, boxes).
//!
//! Pixel data moves through the crate as [`ImageF32`]: interleaved HWC samples in `[0, 1]`.
//! [`normalize_chw`] turns that into the planar CHW layout a network consumes.

#![warn(missing_docs)]

mod augment;
mod blur;
mod boxes;
mod buffer;
mod cache;
mod decode;
mod draw;
mod encode;
mod error;
mod glyphs;
mod grasp;
mod labels;
mod nms;
mod normalize;
mod params;
mod resize;
mod rng;
mod samples;
mod text;

pub use augment::{
    AugmentParams, AugmentPlan, MIN_BOX_AREA, MIN_VISIBLE_FRACTION, Mirror, augment, augment_pair,
    augment_with_boxes, augment_with_rotated_boxes,
};
pub use blur::{blur_image, gaussian_blur};
pub use boxes::{AxisBox, RotatedRect, scale_boxes, scale_rotated_rects};
pub use buffer::ImageF32;
pub use cache::SampleCache;
pub use decode::{image_size, read_image};
pub use draw::{
    HEAT_ALPHA, JAW_COLOUR, OPENING_COLOUR, OUTLINE_COLOUR, SIDE_BY_SIDE_GAP, default_palette,
    draw_box, draw_grasps, draw_polygon_outline, draw_rotated_box, grasp_picture, heat_overlay,
    image_to_rgb, label_overlay, region_outline, save_png, side_by_side, turbo,
};
pub use error::ImageError;
pub use glyphs::{TextStyle, text_coverage};
pub use grasp::{
    GRASP_MAX_WIDTH, GraspTargetParams, GraspTargets, ImageTransform, QualityRegion, grasp_targets,
};
pub use labels::{LabelImage, read_label_image, read_mask, write_label_png};
pub use nms::{
    ScoredBox, ScoredRotatedRect, non_max_suppression, non_max_suppression_by, rotated_nms,
};
pub use normalize::normalize_chw;
pub use params::{Normalization, PreprocessParams};
pub use resize::{load_resized, load_resized_image, resize_dynamic};
pub use rng::{SeededRng, seeded_rng};
pub use samples::{ResizedImage, SampleData, Samples};
pub use text::{MAX_CROP_SIDE, MIN_WORD_SIDE, WordBox, WordBoxParams, rectified_crop, word_boxes};
