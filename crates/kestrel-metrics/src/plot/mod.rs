//! PNG plots: confusion matrix heat maps, training curves, ROC curves and
//! precision-recall curves.

mod confusion;
mod curve;
pub(crate) mod font;
pub(crate) mod png;
mod precision_recall;
mod roc;
mod unit_square;

pub use confusion::plot_confusion_matrix;
pub use curve::plot_training_curve;
pub use precision_recall::plot_precision_recall;
pub use roc::plot_roc_curve;
