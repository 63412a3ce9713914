//! Anomaly detection (HALCON's `anomaly_detection`), PatchCore-style: trained on defect-free
//! images only. Mid-level features of a pretrained backbone, averaged over 3x3 patches, form
//! a memory bank (greedily subsampled to a coreset); a pixel's anomaly score is the distance
//! of its patch to the nearest bank entry, upsampled and smoothed; an image's score is its
//! highest pixel score. There is no gradient training, so building the bank takes one pass
//! over the training images.
//!
//! `gc_anomaly_detection` adds a global-context branch ([`GlobalBranch`]) that compares the
//! whole image, position by position, with its nearest defect-free training images, for
//! logical anomalies (missing, extra or misplaced parts); its coarse map is added to the
//! local one after both are scaled by their typical maximum on the training images.
//!
//! Why PatchCore rather than PaDiM: it needs no per-position Gaussian (so no inverse
//! covariance per pixel, which is large and slow on a CPU), handles images whose good
//! appearance varies with position, and reached the higher AUROC on MVTec AD in the papers.

mod coreset;
mod detect;
mod entry;
mod evaluate;
mod fit;
mod global;
mod map;
mod net;
mod params;
mod thresholds;

pub use coreset::greedy_coreset;
pub use detect::AnomalyResult;
pub use entry::AnomalyMethod;

/// The `model_type` of anomaly detection.
pub const NAME: &str = "anomaly_detection";

/// The `model_type` of global-context anomaly detection.
pub const GLOBAL_NAME: &str = "gc_anomaly_detection";
pub use evaluate::{AnomalyEvaluation, EvaluatedAnomalyImage};
pub use fit::fit;
pub use global::{GLOBAL_GRID, GlobalBranch, NEIGHBOURS};
pub use map::AnomalyImage;
pub use net::{AnomalyNet, embedding_dim};
pub use params::AnomalyParams;
pub use thresholds::{Thresholds, estimate_thresholds};
