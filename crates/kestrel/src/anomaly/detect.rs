//! Anomaly images and scores for image files, and [`Model::detect_anomalies`].

use crate::anomaly::global::{GLOBAL_GRID, GlobalBranch, HostDescriptors};
use crate::anomaly::map::{AnomalyImage, upsample_bilinear};
use crate::anomaly::net::AnomalyNet;
use crate::anomaly::params::AnomalyParams;
use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::method::{ImageResult, picture_stem};
use crate::model::Model;
use burn::tensor::{Tensor, TensorData};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Query rows x bank rows per distance matrix, to bound memory (about 256 MB of f32).
const MAX_DISTANCE_ELEMENTS: usize = 64 << 20;

/// The anomaly result for one image.
#[derive(Debug, Clone, Serialize)]
pub struct AnomalyResult {
    /// The image file.
    pub image: PathBuf,
    /// The image's anomaly score (its highest pixel score).
    pub anomaly_score: f32,
    /// `nok` when the score reaches `anomaly_classification_threshold`, else `ok`.
    pub anomaly_class: String,
    /// Pixels at or above `anomaly_segmentation_threshold` (at the model's input size).
    pub anomalous_pixels: usize,
    /// The per-pixel scores at the model's input size.
    #[serde(skip)]
    pub anomaly_image: AnomalyImage,
}

/// How training images are scored against a model built from them: the bank rows each may
/// not use (by its index in the list being scored), and, for the global branch, that the
/// image with the same index is itself.
pub(crate) type Exclusion<'a> = &'a (dyn Fn(usize) -> Vec<usize> + Sync);

/// The raw scores of one image before upsampling: the local patch-distance grid and the
/// global-context grid (when the model has that branch).
pub(crate) struct RawScores {
    /// `grid_width * grid_height` local scores.
    pub local: Vec<f32>,
    /// `GLOBAL_GRID^2` global scores.
    pub global: Option<Vec<f32>>,
    /// Width of the local grid.
    pub grid_width: usize,
    /// Height of the local grid.
    pub grid_height: usize,
}

impl RawScores {
    /// The anomaly image at `width x height`: the local grid, plus (with a global branch)
    /// the upsampled global grid, each divided by its scale; then upsampled and smoothed.
    pub fn compose(
        &self,
        scales: [f32; 2],
        width: usize,
        height: usize,
        sigma: f32,
    ) -> AnomalyImage {
        let grid = match &self.global {
            None => self.local.clone(),
            Some(global) => {
                let up = upsample_bilinear(
                    global,
                    GLOBAL_GRID,
                    GLOBAL_GRID,
                    self.grid_width,
                    self.grid_height,
                );
                self.local
                    .iter()
                    .zip(up)
                    .map(|(l, g)| l / scales[0] + g / scales[1])
                    .collect()
            }
        };
        AnomalyImage::from_patch_grid(
            &grid,
            self.grid_width,
            self.grid_height,
            width,
            height,
            sigma,
        )
    }
}

/// Anomaly images of `paths`, in order, scaled and combined as the network says.
pub(crate) fn anomaly_images(
    net: &AnomalyNet,
    loader: &Loader,
    paths: Arc<Vec<PathBuf>>,
    batch_size: usize,
    sigma: f32,
) -> Result<Vec<AnomalyImage>> {
    let scales = branch_scales(net)?;
    let (width, height) = (
        loader.preprocess.width as usize,
        loader.preprocess.height as usize,
    );
    Ok(raw_scores(net, loader, paths, batch_size, None)?
        .iter()
        .map(|raw| raw.compose(scales, width, height, sigma))
        .collect())
}

/// The global branch's two scales (`[1, 1]` without one).
pub(crate) fn branch_scales(net: &AnomalyNet) -> Result<[f32; 2]> {
    let Some(global) = &net.global else {
        return Ok([1.0, 1.0]);
    };
    let values = to_host(global.scales.val().reshape([1, 2]))?;
    Ok([values[0], values[1]])
}

/// Reads a tensor's values to the host.
fn to_host(tensor: Tensor<2>) -> Result<Vec<f32>> {
    tensor
        .into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .map_err(|e| Error::Dataset(format!("reading anomaly scores: {e:?}")))
}

/// Raw scores of `paths`, in order. With `exclude`, each image leaves out the bank rows
/// it names and (global branch) the training image of the same index.
pub(crate) fn raw_scores(
    net: &AnomalyNet,
    loader: &Loader,
    paths: Arc<Vec<PathBuf>>,
    batch_size: usize,
    exclude: Option<Exclusion<'_>>,
) -> Result<Vec<RawScores>> {
    let device = crate::device::devices_of(net);
    let bank_rows = net.memory_bank.val().dims()[0];
    let host = match &net.global {
        Some(global) => {
            let descriptors = global.descriptors.val();
            let width = descriptors.dims()[1];
            Some((
                global,
                HostDescriptors {
                    values: to_host(descriptors)?,
                    width,
                },
            ))
        }
        None => None,
    };
    let order: Vec<usize> = (0..paths.len()).collect();
    let mut out = Vec::with_capacity(paths.len());
    for batch in loader.batches(paths, order, batch_size, 0) {
        let batch = batch?;
        let images = Tensor::<4>::from_data(TensorData::new(batch.values, batch.shape), &device);
        let embeddings = net.embed(images);
        let [b, _, gh, gw] = embeddings.dims();
        let globals: Vec<Option<Vec<f32>>> = match &host {
            Some((global, host)) => {
                let descriptors = GlobalBranch::describe(embeddings.clone());
                let stored = global.descriptors.val();
                let n = stored.dims()[0];
                let d2 = descriptors.clone().powi_scalar(2).sum_dim(1)
                    + stored.clone().powi_scalar(2).sum_dim(1).reshape([1, n])
                    - descriptors
                        .clone()
                        .matmul(stored.transpose())
                        .mul_scalar(2.0);
                let d2 = to_host(d2)?;
                let descriptors = to_host(descriptors)?;
                (0..b)
                    .map(|i| {
                        let skip = exclude.map(|_| batch.indices[i]);
                        Some(host.grid(
                            &descriptors[i * host.width..(i + 1) * host.width],
                            &d2[i * n..(i + 1) * n],
                            skip,
                        ))
                    })
                    .collect()
            }
            None => vec![None; b],
        };
        let per_chunk = (MAX_DISTANCE_ELEMENTS / (gh * gw * bank_rows).max(1)).clamp(1, b);
        for start in (0..b).step_by(per_chunk) {
            let end = (start + per_chunk).min(b);
            let penalty = exclude.map(|exclude| {
                let mut values = vec![0.0f32; (end - start) * bank_rows];
                for (row, &index) in batch.indices[start..end].iter().enumerate() {
                    for bank_row in exclude(index) {
                        values[row * bank_rows + bank_row] = 1e30;
                    }
                }
                Tensor::<3>::from_data(
                    TensorData::new(values, [end - start, 1, bank_rows]),
                    &device,
                )
            });
            let distances = net.nearest_distances(embeddings.clone().slice(start..end), penalty);
            let values = to_host(distances.reshape([end - start, gh * gw]))?;
            for (i, local) in values.chunks(gh * gw).enumerate() {
                out.push(RawScores {
                    local: local.to_vec(),
                    global: globals[start + i].clone(),
                    grid_width: gw,
                    grid_height: gh,
                });
            }
        }
    }
    Ok(out)
}

impl Model {
    /// The anomaly-detection network, for an `anomaly_detection` or `gc_anomaly_detection`
    /// model.
    pub fn anomaly_net(&self) -> Option<&AnomalyNet> {
        if self.params.model_type != super::NAME && self.params.model_type != super::GLOBAL_NAME {
            return None;
        }
        self.network.get::<AnomalyNet>()
    }

    /// Anomaly scores, decisions and anomaly images for image files, each preprocessed as
    /// the model's parameters say.
    pub fn detect_anomalies(
        &self,
        paths: &[PathBuf],
        batch_size: usize,
    ) -> Result<Vec<AnomalyResult>> {
        let net = self
            .anomaly_net()
            .ok_or_else(|| self.wrong_method("detect anomalies"))?;
        let section: AnomalyParams = self.params.section()?;
        let (classification, segmentation) = section.thresholds()?;
        let loader = Loader::plain(self.params.preprocess());
        let images = anomaly_images(
            net,
            &loader,
            Arc::new(paths.to_vec()),
            batch_size,
            section.anomaly_smoothing_sigma,
        )?;
        Ok(paths
            .iter()
            .zip(images)
            .map(|(path, anomaly_image)| {
                let score = anomaly_image.max_score();
                AnomalyResult {
                    image: path.clone(),
                    anomaly_score: score,
                    anomaly_class: if score >= classification { "nok" } else { "ok" }.into(),
                    anomalous_pixels: anomaly_image
                        .scores
                        .iter()
                        .filter(|&&s| s >= segmentation)
                        .count(),
                    anomaly_image,
                }
            })
            .collect())
    }
}

impl ImageResult for AnomalyResult {
    /// `image: ok|nok (score s)`.
    fn line(&self) -> String {
        format!(
            "{}: {} (score {:.4})",
            self.image.display(),
            self.anomaly_class,
            self.anomaly_score
        )
    }

    /// `<stem>.png`: the heat map over the image (scores from 0 to 1.5 times the
    /// segmentation threshold), the anomalous region outlined.
    fn draw(&self, model: &Model, folder: &Path) -> Result<Vec<PathBuf>> {
        let (_, segmentation) = model.params.section::<AnomalyParams>()?.thresholds()?;
        let image = kestrel_image::load_resized(&self.image, &model.params.preprocess())?;
        let scores = &self.anomaly_image.scores;
        let region: Vec<bool> = scores.iter().map(|&s| s >= segmentation).collect();
        let picture =
            kestrel_image::heat_overlay(&image, scores, 0.0, 1.5 * segmentation, Some(&region));
        let path = folder.join(format!("{}.png", picture_stem(&self.image)));
        kestrel_image::save_png(&path, &picture)?;
        Ok(vec![path])
    }
}
