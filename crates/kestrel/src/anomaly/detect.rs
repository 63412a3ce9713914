//! Anomaly images and scores for image files, and [`Model::detect_anomalies`].

use crate::anomaly::map::AnomalyImage;
use crate::anomaly::net::AnomalyNet;
use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::model::{Model, Network};
use burn::tensor::{Tensor, TensorData};
use serde::Serialize;
use std::path::PathBuf;
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

/// For image `index` (of the list being scored), the bank rows it may not match; used to
/// score training images against a bank built from them.
pub(crate) type Exclusion<'a> = &'a (dyn Fn(usize) -> Vec<usize> + Sync);

/// Anomaly images of `paths`, in order. `exclude` (if any) names bank rows each image may
/// not use.
pub(crate) fn anomaly_images(
    net: &AnomalyNet,
    loader: &Loader,
    paths: Arc<Vec<PathBuf>>,
    batch_size: usize,
    sigma: f32,
    exclude: Option<Exclusion<'_>>,
) -> Result<Vec<AnomalyImage>> {
    let device = crate::device::devices_of(net);
    let bank_rows = net.memory_bank.val().dims()[0];
    let (width, height) = (
        loader.preprocess.width as usize,
        loader.preprocess.height as usize,
    );
    let order: Vec<usize> = (0..paths.len()).collect();
    let mut out = Vec::with_capacity(paths.len());
    for batch in loader.batches(paths, order, batch_size, 0) {
        let batch = batch?;
        let images = Tensor::<4>::from_data(TensorData::new(batch.values, batch.shape), &device);
        let embeddings = net.embed(images);
        let [b, _, gh, gw] = embeddings.dims();
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
            let values = distances
                .into_data()
                .convert::<f32>()
                .try_into_vec::<f32>()
                .map_err(|e| Error::Dataset(format!("reading anomaly scores: {e:?}")))?;
            out.extend(
                values
                    .chunks(gh * gw)
                    .map(|grid| AnomalyImage::from_patch_grid(grid, gw, gh, width, height, sigma)),
            );
        }
    }
    Ok(out)
}

impl Model {
    /// The anomaly-detection network, for an `anomaly_detection` model.
    pub fn anomaly_net(&self) -> Option<&AnomalyNet> {
        match &self.network {
            Network::AnomalyDetection(net) => Some(net),
            _ => None,
        }
    }

    /// Anomaly scores, decisions and anomaly images for image files, each preprocessed as
    /// the model's parameters say.
    pub fn detect_anomalies(
        &self,
        paths: &[PathBuf],
        batch_size: usize,
    ) -> Result<Vec<AnomalyResult>> {
        let net = self.anomaly_net().ok_or_else(|| {
            Error::Dataset(format!(
                "a {} model does not detect anomalies",
                self.params.model_type
            ))
        })?;
        let (classification, segmentation) = self.params.anomaly_thresholds()?;
        let loader = Loader {
            preprocess: self.params.preprocess(),
            cache: None,
            augment: None,
        };
        let images = anomaly_images(
            net,
            &loader,
            Arc::new(paths.to_vec()),
            batch_size,
            self.params.anomaly_smoothing_sigma,
            None,
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
