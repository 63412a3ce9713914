//! Anomaly detection's own parameters.

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};

/// The parameters only (global-context) anomaly detection has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnomalyParams {
    /// An image scoring at least this is `nok` (set by training when `null`).
    pub anomaly_classification_threshold: Option<f32>,
    /// A pixel scoring at least this belongs to the defect region (set by training when
    /// `null`).
    pub anomaly_segmentation_threshold: Option<f32>,
    /// The share of training patch features kept in the memory bank.
    pub coreset_fraction: f64,
    /// Standard deviation, in input pixels, of the Gaussian that smooths the anomaly image
    /// (0 = none).
    pub anomaly_smoothing_sigma: f32,
}

impl Default for AnomalyParams {
    fn default() -> Self {
        Self {
            anomaly_classification_threshold: None,
            anomaly_segmentation_threshold: None,
            coreset_fraction: 0.01,
            anomaly_smoothing_sigma: 4.0,
        }
    }
}

impl AnomalyParams {
    /// Checks the ranges; the first bad parameter is reported.
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::BadParam {
                name: name.into(),
                message,
            })
        };
        if !(self.coreset_fraction > 0.0 && self.coreset_fraction <= 1.0) {
            return bad(
                "coreset_fraction",
                format!("{} (must be in (0, 1])", self.coreset_fraction),
            );
        }
        if !(self.anomaly_smoothing_sigma >= 0.0 && self.anomaly_smoothing_sigma <= 64.0) {
            return bad(
                "anomaly_smoothing_sigma",
                format!("{} (must be in [0, 64])", self.anomaly_smoothing_sigma),
            );
        }
        Ok(())
    }

    /// The thresholds (classification, segmentation); an error names the one unset.
    pub fn thresholds(&self) -> Result<(f32, f32)> {
        let unset = |name: &str| Error::BadParam {
            name: name.into(),
            message: "not set: train the model, or set it".into(),
        };
        Ok((
            self.anomaly_classification_threshold
                .ok_or_else(|| unset("anomaly_classification_threshold"))?,
            self.anomaly_segmentation_threshold
                .ok_or_else(|| unset("anomaly_segmentation_threshold"))?,
        ))
    }
}
