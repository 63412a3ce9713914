//! Integer sample buffers that keep the source's bit depth until the last moment.

use crate::ImageF32;

/// Interleaved samples at the source's precision.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleData {
    /// Samples of an 8-bit source (`0..=255`).
    U8(Vec<u8>),
    /// Samples of a 16-bit (or floating point) source (`0..=65535`).
    U16(Vec<u16>),
}

/// An image prepared for a model (resized, channels converted) with the size of the file it
/// came from, which targets given in the file's pixels need.
#[derive(Debug, Clone, PartialEq)]
pub struct ResizedImage {
    /// The image at the model's size, in `[0, 1]`.
    pub image: ImageF32,
    /// The width of the image file.
    pub original_width: u32,
    /// The height of the image file.
    pub original_height: u32,
}

/// An interleaved HWC image at 8 or 16 bit precision: what the cache stores.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Samples per pixel.
    pub channels: u32,
    /// `width * height * channels` samples.
    pub data: SampleData,
    /// The width of the image file the samples were resized from.
    pub original_width: u32,
    /// The height of the image file the samples were resized from.
    pub original_height: u32,
}

impl Samples {
    /// Number of samples `data` must hold.
    pub fn expected_len(&self) -> usize {
        self.width as usize * self.height as usize * self.channels as usize
    }

    /// Whether `data` holds exactly [`Samples::expected_len`] samples.
    pub fn is_consistent(&self) -> bool {
        let len = match &self.data {
            SampleData::U8(v) => v.len(),
            SampleData::U16(v) => v.len(),
        };
        len == self.expected_len()
    }

    /// Converts to `[0, 1]` floats (8-bit / 255, 16-bit / 65535), with the original size.
    pub fn to_resized_image(&self) -> ResizedImage {
        ResizedImage {
            image: self.to_f32(),
            original_width: self.original_width,
            original_height: self.original_height,
        }
    }

    /// Converts to `[0, 1]` floats (8-bit / 255, 16-bit / 65535).
    pub fn to_f32(&self) -> ImageF32 {
        let data = match &self.data {
            SampleData::U8(v) => v.iter().map(|&s| f32::from(s) / 255.0).collect(),
            SampleData::U16(v) => v.iter().map(|&s| f32::from(s) / 65535.0).collect(),
        };
        ImageF32 {
            width: self.width,
            height: self.height,
            channels: self.channels,
            data,
        }
    }
}
