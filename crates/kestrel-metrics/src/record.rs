//! Per epoch training records.

use serde::{Deserialize, Serialize};

/// One record per epoch of training.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    /// Epoch number (conventionally starting at 1).
    pub epoch: usize,
    /// Mean training loss over the epoch.
    pub train_loss: f64,
    /// Validation error (top-1 error, 0–1) after the epoch, if it was evaluated.
    pub validation_error: Option<f64>,
    /// Learning rate used in the epoch (its last value, for schedules within an epoch).
    pub learning_rate: f64,
}
