//! Multi-label classification's own parameters.

use crate::error::Result;
use crate::params::check_class_thresholds;
use serde::{Deserialize, Serialize};

/// The parameters only multi-label classification has.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MultiLabelParams {
    /// The confidence each class needs to be reported, one per class (chosen on validation
    /// data by training when `null`).
    pub min_confidence: Option<Vec<f32>>,
    /// Weight each class's positives by its negatives/positives ratio in the train split
    /// (at most 10), so rare classes count.
    pub weight_rare_classes: bool,
}

impl MultiLabelParams {
    /// Checks the thresholds against the number of classes.
    pub fn validate(&self, classes: usize) -> Result<()> {
        check_class_thresholds("min_confidence", self.min_confidence.as_deref(), classes)
    }
}
