//! Anomaly detection metrics: image and pixel ROC AUC, the MVTec AD per-region overlap
//! (PRO) curve, and binary decisions at a threshold.

mod components;
mod map;
mod pro;
mod roc;
mod threshold;

pub use components::{Regions, connected_regions};
pub use map::AnomalyMap;
pub use pro::pro_auc;
pub use roc::{RocCurve, pixel_roc_auc, pixel_roc_curve, roc_auc, roc_curve};
pub use threshold::{BinaryCounts, best_f1_threshold, binary_at_threshold};
