//! Image input for Kestrel: decoding (PNG, JPEG, BMP, TIFF; 8 and 16 bit), channel
//! conversion, resizing, normalization to a network's input range, an on-disk cache of
//! resized samples, and HALCON-style data augmentation.
//!
//! Pixel data moves through the crate as [`ImageF32`]: interleaved HWC samples in `[0, 1]`.
//! [`normalize_chw`] turns that into the planar CHW layout a network consumes.

#![warn(missing_docs)]

mod augment;
mod buffer;
mod cache;
mod decode;
mod error;
mod normalize;
mod params;
mod resize;
mod rng;
mod samples;

pub use augment::{AugmentParams, Mirror, augment};
pub use buffer::ImageF32;
pub use cache::SampleCache;
pub use decode::read_image;
pub use error::ImageError;
pub use normalize::normalize_chw;
pub use params::{Normalization, PreprocessParams};
pub use resize::{load_resized, resize_dynamic};
pub use rng::{SeededRng, seeded_rng};
pub use samples::{SampleData, Samples};
