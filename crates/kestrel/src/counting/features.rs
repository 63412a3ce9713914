//! The counting feature map of a whole image: the image scaled so the examples reach
//! `example_size`, run through the backbone tile by tile, centred per channel.

use crate::counting::net::CountingNet;
use crate::counting::params::CountingParams;
use crate::device::devices_of;
use crate::error::{Error, Result};
use burn::tensor::{Tensor, TensorData};
use image::DynamicImage;
use kestrel_image::{PreprocessParams, normalize_chw, resize_dynamic};
use std::path::Path;

/// Scaled image sides are multiples of this (so every tile's features align).
const SIDE_MULTIPLE: u32 = 32;

/// How an image is scaled before its features are computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    /// The scaled width (a multiple of 32).
    pub width: u32,
    /// The scaled height (a multiple of 32).
    pub height: u32,
    /// Scaled pixels per image pixel along x.
    pub sx: f64,
    /// Scaled pixels per image pixel along y.
    pub sy: f64,
}

impl Scaling {
    /// The scaling that brings examples of mean side `example_side` (image pixels) to
    /// `params.example_size`, limited to `params.image_size_max` on the longer side.
    pub fn for_examples(width: u32, height: u32, example_side: f64, params: &CountingParams) -> Self {
        let wanted = f64::from(params.example_size) / example_side.max(1e-6);
        let limit = f64::from(params.image_size_max) / f64::from(width.max(height));
        let scale = wanted.min(limit);
        let side = |s: u32| {
            let scaled = (f64::from(s) * scale / f64::from(SIDE_MULTIPLE)).round() as u32;
            scaled.max(1) * SIDE_MULTIPLE
        };
        let (w, h) = (side(width), side(height));
        Self {
            width: w,
            height: h,
            sx: f64::from(w) / f64::from(width),
            sy: f64::from(h) / f64::from(height),
        }
    }
}

/// A feature map on the host: `height x width` cells of `channels` values each (channels
/// innermost), one cell per `stride` scaled pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureMap {
    /// Values per cell.
    pub channels: usize,
    /// Rows of cells.
    pub height: usize,
    /// Columns of cells.
    pub width: usize,
    /// Scaled pixels per cell.
    pub stride: usize,
    /// `height * width * channels` values.
    pub data: Vec<f32>,
}

impl FeatureMap {
    /// The values of cell `(row, col)`.
    pub fn cell(&self, row: usize, col: usize) -> &[f32] {
        let start = (row * self.width + col) * self.channels;
        &self.data[start..start + self.channels]
    }

    /// Subtracts each channel's mean over all cells, so that what every cell shares (the
    /// background's texture) does not make cells alike.
    pub fn centre(&mut self) {
        let cells = (self.width * self.height).max(1);
        let mut mean = vec![0.0f64; self.channels];
        for cell in self.data.chunks_exact(self.channels) {
            for (m, v) in mean.iter_mut().zip(cell) {
                *m += f64::from(*v);
            }
        }
        let mean: Vec<f32> = mean.iter().map(|m| (m / cells as f64) as f32).collect();
        for cell in self.data.chunks_exact_mut(self.channels) {
            for (v, m) in cell.iter_mut().zip(&mean) {
                *v -= m;
            }
        }
    }
}

impl CountingNet {
    /// The centred feature map of `img` scaled by `scaling`, computed in tiles of
    /// `params.tiling` scaled pixels with a margin of a quarter tile (rounded up to 32) on
    /// each side, so memory stays bounded; `path` only names the image in errors.
    pub fn feature_map(
        &self,
        img: &DynamicImage,
        path: &Path,
        scaling: Scaling,
        input: &PreprocessParams,
        params: &CountingParams,
    ) -> Result<FeatureMap> {
        let prepared = PreprocessParams {
            width: scaling.width,
            height: scaling.height,
            ..input.clone()
        };
        let resized = resize_dynamic(img, &prepared).map_err(|e| match e {
            kestrel_image::ImageError::EmptyImage { width, height, .. } => {
                Error::Image(kestrel_image::ImageError::EmptyImage {
                    path: path.into(),
                    width,
                    height,
                })
            }
            other => Error::Image(other),
        })?;
        let chw = normalize_chw(&resized, &input.normalization);
        let channels = input.num_channels as usize;
        let (w, h) = (scaling.width as usize, scaling.height as usize);
        let tile = params.tiling as usize;
        let margin = (tile / 4).div_ceil(SIDE_MULTIPLE as usize) * SIDE_MULTIPLE as usize;
        let device = devices_of(self);
        let mut map: Option<FeatureMap> = None;
        for y0 in (0..h).step_by(tile) {
            for x0 in (0..w).step_by(tile) {
                let (cy0, cx0) = (y0.saturating_sub(margin), x0.saturating_sub(margin));
                let (cy1, cx1) = ((y0 + tile + margin).min(h), (x0 + tile + margin).min(w));
                let crop = crop_chw(&chw, channels, w, h, (cx0, cy0, cx1, cy1));
                let x = Tensor::<4>::from_data(
                    TensorData::new(crop, [1, channels, cy1 - cy0, cx1 - cx0]),
                    &device,
                );
                let features = self.features(x);
                let [_, c, fh, fw] = features.dims();
                let stride = (cy1 - cy0) / fh;
                let values = features
                    .permute([0, 2, 3, 1])
                    .into_data()
                    .convert::<f32>()
                    .try_into_vec::<f32>()
                    .map_err(|e| Error::Dataset(format!("reading features: {e:?}")))?;
                let full = map.get_or_insert_with(|| FeatureMap {
                    channels: c,
                    height: h / stride,
                    width: w / stride,
                    stride,
                    data: vec![0.0; (h / stride) * (w / stride) * c],
                });
                // The tile's own cells, without its margin.
                let rows = (y0 / stride)..((y0 + tile).min(h) / stride);
                let cols = (x0 / stride)..((x0 + tile).min(w) / stride);
                for row in rows {
                    let from = ((row - cy0 / stride) * fw + (cols.start - cx0 / stride)) * c;
                    let to = (row * full.width + cols.start) * c;
                    let len = cols.len() * c;
                    full.data[to..to + len].copy_from_slice(&values[from..from + len]);
                }
            }
        }
        let mut map = map.expect("a scaled image has at least one tile");
        map.centre();
        Ok(map)
    }
}

/// The region `(x0, y0, x1, y1)` of a `channels x height x width` planar image.
fn crop_chw(
    chw: &[f32],
    channels: usize,
    width: usize,
    height: usize,
    (x0, y0, x1, y1): (usize, usize, usize, usize),
) -> Vec<f32> {
    let mut out = Vec::with_capacity(channels * (y1 - y0) * (x1 - x0));
    for plane in chw.chunks_exact(width * height) {
        for row in y0..y1 {
            out.extend_from_slice(&plane[row * width + x0..row * width + x1]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_brings_examples_to_the_wanted_size_within_the_limit() {
        let params = CountingParams::default();
        let s = Scaling::for_examples(600, 400, 12.0, &params);
        assert_eq!((s.width, s.height), (1216, 800));
        assert!((s.sx - 1216.0 / 600.0).abs() < 1e-12);
        let limited = Scaling::for_examples(3000, 1000, 4.0, &params);
        assert_eq!(limited.width, 4096);
    }

    #[test]
    fn centring_removes_each_channels_mean() {
        let mut map = FeatureMap {
            channels: 2,
            height: 1,
            width: 2,
            stride: 8,
            data: vec![1.0, 5.0, 3.0, 7.0],
        };
        map.centre();
        assert_eq!(map.data, vec![-1.0, -1.0, 1.0, 1.0]);
    }

    #[test]
    fn crops_every_plane() {
        let chw: Vec<f32> = (0..3 * 4 * 2).map(|v| v as f32).collect();
        assert_eq!(crop_chw(&chw, 3, 4, 2, (1, 1, 3, 2)), vec![5.0, 6.0, 13.0, 14.0, 21.0, 22.0]);
    }
}
