//! Label images (one class id per pixel) and binary masks.

mod read;
mod write;

pub use read::{read_label_image, read_mask};
pub use write::write_label_png;

/// A label image: one class id (`0..=255`) per pixel, row by row.
///
/// Pixel `(x, y)` lives at `data[y * width + x]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width * height` class ids.
    pub data: Vec<u8>,
}

impl LabelImage {
    /// A label image of the given size with every pixel in class 0.
    pub fn zeros(width: u32, height: u32) -> Self {
        Self {
            width,
            height,
            data: vec![0; width as usize * height as usize],
        }
    }

    /// Index of pixel `(x, y)` in [`LabelImage::data`].
    #[inline]
    pub fn index(&self, x: u32, y: u32) -> usize {
        y as usize * self.width as usize + x as usize
    }

    /// Class id of pixel `(x, y)`; `None` outside the image.
    pub fn get(&self, x: u32, y: u32) -> Option<u8> {
        if x < self.width && y < self.height {
            self.data.get(self.index(x, y)).copied()
        } else {
            None
        }
    }

    /// Whether `data` holds exactly `width * height` class ids.
    pub fn is_consistent(&self) -> bool {
        self.data.len() == self.width as usize * self.height as usize
    }

    /// Resizes to `width x height` by pixel-centre nearest neighbour: output pixel `x` takes
    /// source pixel `floor((x + 0.5) * source_width / width)` (likewise for rows).
    ///
    /// This is the geometry [`crate::load_resized`] uses for images (pixel centres mapped
    /// onto pixel centres), so a label image resized with it stays aligned with its image.
    /// Class ids are never blended. Pixels missing from an inconsistent `data`, and every
    /// pixel when the source is empty, read as class 0.
    pub fn resize_nearest(&self, width: u32, height: u32) -> LabelImage {
        if (width, height) == (self.width, self.height) && self.is_consistent() {
            return self.clone();
        }
        let mut out = LabelImage::zeros(width, height);
        if self.width == 0 || self.height == 0 {
            return out;
        }
        let cols: Vec<u32> = (0..width)
            .map(|x| nearest_source(x, self.width, width))
            .collect();
        for y in 0..height {
            let sy = nearest_source(y, self.height, height);
            for (x, &sx) in cols.iter().enumerate() {
                let v = self.data.get(self.index(sx, sy)).copied().unwrap_or(0);
                out.data[y as usize * width as usize + x] = v;
            }
        }
        out
    }
}

/// Source index of destination index `dst` when `src_len` samples are resized to
/// `dst_len`: the source pixel containing the destination pixel's centre.
fn nearest_source(dst: u32, src_len: u32, dst_len: u32) -> u32 {
    let s = (2 * u64::from(dst) + 1) * u64::from(src_len) / (2 * u64::from(dst_len));
    (s as u32).min(src_len - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_source_maps_pixel_centres() {
        // Downscale by 2: centres 0.5, 1.5 of the target land in source pixels 1 and 3.
        assert_eq!(nearest_source(0, 4, 2), 1);
        assert_eq!(nearest_source(1, 4, 2), 3);
        // Upscale by 2: each source pixel is repeated.
        let up: Vec<u32> = (0..6).map(|d| nearest_source(d, 3, 6)).collect();
        assert_eq!(up, [0, 0, 1, 1, 2, 2]);
        // Identity.
        assert!((0..7).all(|d| nearest_source(d, 7, 7) == d));
    }
}
