//! PNG plots: confusion matrix heat maps and training curves.

mod confusion;
mod curve;
mod font;
mod png;

pub use confusion::plot_confusion_matrix;
pub use curve::plot_training_curve;
