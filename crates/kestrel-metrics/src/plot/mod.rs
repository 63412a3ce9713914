//! PNG plots: confusion matrix heat maps, training curves and ROC curves.

mod confusion;
mod curve;
mod font;
mod png;
mod roc;

pub use confusion::plot_confusion_matrix;
pub use curve::plot_training_curve;
pub use roc::plot_roc_curve;
