//! The floating point image buffer shared by the whole crate.

use serde::{Deserialize, Serialize};

/// Decoded/resized image: interleaved HWC samples as `f32` in `[0, 1]`
/// (8-bit sources divided by 255, 16-bit sources by 65535).
///
/// Sample `(x, y, c)` lives at `data[(y * width + x) * channels + c]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageF32 {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Samples per pixel (1 = grey, 3 = RGB).
    pub channels: u32,
    /// `width * height * channels` interleaved samples.
    pub data: Vec<f32>,
}

impl ImageF32 {
    /// A black image of the given size.
    pub fn zeros(width: u32, height: u32, channels: u32) -> Self {
        Self {
            width,
            height,
            channels,
            data: vec![0.0; width as usize * height as usize * channels as usize],
        }
    }

    /// Index of sample `(x, y, c)` in [`ImageF32::data`].
    #[inline]
    pub fn index(&self, x: u32, y: u32, c: u32) -> usize {
        (y as usize * self.width as usize + x as usize) * self.channels as usize + c as usize
    }

    /// Sample `(x, y, c)`; `None` outside the image.
    pub fn get(&self, x: u32, y: u32, c: u32) -> Option<f32> {
        if x < self.width && y < self.height && c < self.channels {
            self.data.get(self.index(x, y, c)).copied()
        } else {
            None
        }
    }

    /// An 8-bit RGB image as three channels in `[0, 1]`.
    pub fn from_rgb8(rgb: &image::RgbImage) -> Self {
        Self {
            width: rgb.width(),
            height: rgb.height(),
            channels: 3,
            data: rgb.as_raw().iter().map(|v| f32::from(*v) / 255.0).collect(),
        }
    }

    /// Whether `data` holds exactly `width * height * channels` samples.
    pub fn is_consistent(&self) -> bool {
        self.data.len() == self.width as usize * self.height as usize * self.channels as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rgb8_pixels_become_interleaved_unit_values() {
        let rgb = image::RgbImage::from_fn(2, 1, |x, _| image::Rgb([255 * x as u8, 0, 51]));
        let f = ImageF32::from_rgb8(&rgb);
        assert_eq!((f.width, f.height, f.channels), (2, 1, 3));
        assert_eq!(f.data, vec![0.0, 0.0, 0.2, 1.0, 0.0, 0.2]);
        assert_eq!(f.get(1, 0, 0), Some(1.0));
    }
}
