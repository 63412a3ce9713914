//! The confusion matrix.

use serde::{Deserialize, Serialize};

use crate::MetricsError;

/// Counts of (ground truth, prediction) pairs.
///
/// **Orientation: rows = ground truth class, columns = predicted class**, so
/// `counts[g][p]` is the number of images of class `g` predicted as class `p`; row sums
/// are the classes' supports, the diagonal holds the correct predictions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfusionMatrix {
    /// Number of classes (rows and columns).
    pub num_classes: usize,
    /// `num_classes x num_classes` counts, rows = ground truth, columns = predicted.
    pub counts: Vec<Vec<u64>>,
}

impl ConfusionMatrix {
    /// The textual orientation stored alongside serialized matrices.
    pub const ORIENTATION: &'static str = "rows = ground truth, columns = predicted";

    /// An all-zero matrix for `num_classes` classes.
    pub fn new(num_classes: usize) -> Self {
        Self {
            num_classes,
            counts: vec![vec![0; num_classes]; num_classes],
        }
    }

    /// Wraps existing counts, checking that they are square.
    pub fn from_counts(counts: Vec<Vec<u64>>) -> Result<Self, MetricsError> {
        let n = counts.len();
        for (i, row) in counts.iter().enumerate() {
            if row.len() != n {
                return Err(MetricsError::LengthMismatch {
                    what: format!("confusion matrix row {i}"),
                    expected: n,
                    got: row.len(),
                });
            }
        }
        Ok(Self {
            num_classes: n,
            counts,
        })
    }

    /// Counts one image of class `gt` predicted as `pred`.
    pub fn add(&mut self, gt: usize, pred: usize) -> Result<(), MetricsError> {
        for (what, index) in [("ground truth", gt), ("prediction", pred)] {
            if index >= self.num_classes {
                return Err(MetricsError::ClassOutOfRange {
                    what: what.to_string(),
                    index,
                    num_classes: self.num_classes,
                });
            }
        }
        // `counts` is public, so it may disagree with `num_classes`: never index blindly.
        let rows = self.counts.len();
        let cell = self
            .counts
            .get_mut(gt)
            .and_then(|row| row.get_mut(pred))
            .ok_or_else(|| MetricsError::LengthMismatch {
                what: "confusion matrix counts".into(),
                expected: self.num_classes,
                got: rows,
            })?;
        *cell += 1;
        Ok(())
    }

    /// Number of images counted.
    pub fn total(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// Number of correctly classified images (the diagonal's sum).
    pub fn correct(&self) -> u64 {
        self.counts
            .iter()
            .enumerate()
            .map(|(i, row)| row.get(i).copied().unwrap_or(0))
            .sum()
    }

    /// Share of correctly classified images; 0 when nothing was counted.
    pub fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// Images of class `class` (its row sum).
    pub fn support(&self, class: usize) -> u64 {
        self.counts.get(class).map_or(0, |row| row.iter().sum())
    }

    /// Images predicted as `class` (its column sum).
    pub fn predicted(&self, class: usize) -> u64 {
        self.counts
            .iter()
            .map(|row| row.get(class).copied().unwrap_or(0))
            .sum()
    }

    /// Correct predictions of `class`.
    pub fn true_positives(&self, class: usize) -> u64 {
        self.counts
            .get(class)
            .and_then(|row| row.get(class))
            .copied()
            .unwrap_or(0)
    }
}

/// `num / den`, or 0 when `den` is 0.
pub(crate) fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}
