//! Text detection post-processing for deep OCR: [`word_boxes`] turns a DB detector's text
//! probability map (PaddleOCR PP-OCR's detector) into word rectangles, and
//! [`rectified_crop`] cuts such a rectangle out of the image as an upright word image for
//! the recogniser.
//!
//! Rectangles are HALCON `rectangle2`s in the crate's continuous pixel coordinates
//! ([`AxisBox`](crate::AxisBox)): `phi` counter-clockwise as seen on screen from the
//! column axis, `length1` along `phi`, the word's reading direction.

mod components;
mod crop;
mod geometry;
mod params;
mod word_boxes;

pub use crop::{MAX_CROP_SIDE, rectified_crop};
pub use params::{MIN_WORD_SIDE, WordBoxParams};
pub use word_boxes::{WordBox, word_boxes};
