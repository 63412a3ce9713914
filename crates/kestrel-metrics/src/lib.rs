//! Evaluation for Kestrel: confusion matrices, per class and top-k classification
//! metrics, and PNG plots of confusion matrices and training curves.
//!
//! Plots are drawn with `plotters` into memory and written atomically as PNG; text uses the
//! DejaVu Sans font embedded in the crate (see `assets/DejaVuSans-LICENSE.txt`), so no
//! system font library is needed.

#![warn(missing_docs)]

mod classification;
mod confusion;
mod error;
mod plot;
mod record;

pub use classification::{ClassMetrics, ClassificationEvaluation, evaluate_classification};
pub use confusion::ConfusionMatrix;
pub use error::MetricsError;
pub use plot::{plot_confusion_matrix, plot_training_curve};
pub use record::EpochRecord;
