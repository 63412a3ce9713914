//! The global-context branch of `gc_anomaly_detection`: each image is compared as a whole,
//! position by position, with the most similar defect-free training images, so a part that
//! is missing, extra or in the wrong place raises the score even when every local patch
//! looks normal somewhere in the training set (the local branch's blind spot).
//!
//! An image is described by its patch embedding averaged to a coarse `7 x 7` grid. Its
//! [`NEIGHBOURS`] nearest training images (by the distance of the whole descriptor) are
//! found, and each grid cell scores its mean distance to the same cell of those images
//! (image-level nearest neighbours, then aligned comparison, as in SPADE by Cohen & Hoshen,
//! 2020, but position-aware).

use burn::module::{Module, Param};
use burn::tensor::module::adaptive_avg_pool2d;
use burn::tensor::{Device, Tensor};

/// Side of the coarse grid an image is described on.
pub const GLOBAL_GRID: usize = 7;

/// Training images each image is compared with.
pub const NEIGHBOURS: usize = 3;

/// Descriptors of the defect-free training images and the branch scales.
#[derive(Module, Debug)]
pub struct GlobalBranch {
    /// One row per training image: its embedding on the coarse grid, channel-major.
    pub descriptors: Param<Tensor<2>>,
    /// The typical highest score of the local and of the global branch on training images,
    /// used to put both on one scale before they are added.
    pub scales: Param<Tensor<1>>,
}

impl GlobalBranch {
    /// An empty branch for `images` training images of embedding width `dim`.
    pub fn new(images: usize, dim: usize, device: &Device) -> Self {
        let descriptors =
            Tensor::<2>::zeros([images.max(1), dim * GLOBAL_GRID * GLOBAL_GRID], device);
        Self {
            descriptors: Param::from_tensor(descriptors).set_require_grad(false),
            scales: Param::from_tensor(Tensor::<1>::ones([2], device)).set_require_grad(false),
        }
    }

    /// The descriptors `[B, D * 7 * 7]` of patch embeddings `[B, D, h, w]`.
    pub fn describe(embeddings: Tensor<4>) -> Tensor<2> {
        let [b, d, _, _] = embeddings.dims();
        adaptive_avg_pool2d(embeddings, [GLOBAL_GRID, GLOBAL_GRID])
            .reshape([b, d * GLOBAL_GRID * GLOBAL_GRID])
    }
}

/// The training descriptors on the host, for the aligned comparison.
pub(crate) struct HostDescriptors {
    /// Row-major `[images, width]`.
    pub values: Vec<f32>,
    /// Values per descriptor.
    pub width: usize,
}

impl HostDescriptors {
    /// The global grid (`7 x 7`, row-major) of one image descriptor, given its squared
    /// distances to every training descriptor; `skip` is a training image it may not use.
    pub fn grid(&self, descriptor: &[f32], distances: &[f32], skip: Option<usize>) -> Vec<f32> {
        let mut order: Vec<usize> = (0..distances.len()).filter(|&i| Some(i) != skip).collect();
        let k = NEIGHBOURS.min(order.len());
        if k == 0 {
            return vec![0.0; GLOBAL_GRID * GLOBAL_GRID];
        }
        order.select_nth_unstable_by(k - 1, |&a, &b| distances[a].total_cmp(&distances[b]));
        let cells = GLOBAL_GRID * GLOBAL_GRID;
        let channels = self.width / cells;
        let mut grid = vec![0.0f32; cells];
        for &n in &order[..k] {
            let other = &self.values[n * self.width..(n + 1) * self.width];
            for (cell, value) in grid.iter_mut().enumerate() {
                let squared: f32 = (0..channels)
                    .map(|c| {
                        let i = c * cells + cell;
                        (descriptor[i] - other[i]) * (descriptor[i] - other[i])
                    })
                    .sum();
                *value += squared.sqrt() / k as f32;
            }
        }
        grid
    }
}
