//! 8-connected component labelling of binary masks.

use serde::{Deserialize, Serialize};

use crate::MetricsError;
use crate::ranking::check_len;

/// The connected regions of a mask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regions {
    /// One label per pixel, row-major: 0 = background, `k + 1` = region `k`.
    pub labels: Vec<u32>,
    /// Pixel count of each region; regions are numbered in raster order of their first
    /// (top-most, then left-most) pixel, like `scipy.ndimage.label`.
    pub sizes: Vec<u64>,
}

impl Regions {
    /// Number of regions.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }
}

/// Labels the 8-connected regions (pixels touching by an edge or a corner) of a row-major
/// `width x height` mask whose `true` pixels are foreground.
///
/// Fails when `mask.len() != width * height`.
pub fn connected_regions(
    mask: &[bool],
    width: usize,
    height: usize,
) -> Result<Regions, MetricsError> {
    check_len("mask", width.saturating_mul(height), mask.len())?;
    let mut labels = vec![0u32; mask.len()];
    let mut sizes = Vec::new();
    let mut stack = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || labels[start] != 0 {
            continue;
        }
        sizes.push(0u64);
        let label = sizes.len() as u32;
        labels[start] = label;
        stack.push(start);
        let mut size = 0u64;
        while let Some(i) = stack.pop() {
            size += 1;
            let (x, y) = (i % width, i / width);
            for ny in y.saturating_sub(1)..=(y + 1).min(height - 1) {
                for nx in x.saturating_sub(1)..=(x + 1).min(width - 1) {
                    let j = ny * width + nx;
                    if mask[j] && labels[j] == 0 {
                        labels[j] = label;
                        stack.push(j);
                    }
                }
            }
        }
        *sizes.last_mut().expect("pushed above") = size;
    }
    Ok(Regions { labels, sizes })
}
