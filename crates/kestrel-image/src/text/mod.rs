//! Text detection post-processing for deep OCR: [`word_boxes`] turns a DB detector's text
//! probability map (PaddleOCR PP-OCR's detector) into word rectangles.
//!
//! Rectangles are HALCON `rectangle2`s in the crate's continuous pixel coordinates
//! ([`AxisBox`](crate::AxisBox)): `phi` counter-clockwise as seen on screen from the
//! column axis, `length1` along `phi`, the word's reading direction.

mod components;
mod geometry;
mod params;
mod word_boxes;

pub use params::{MIN_WORD_SIDE, WordBoxParams};
pub use word_boxes::{WordBox, word_boxes};
