//! Counting measures: count errors (MAE, RMSE, relative MAE) and position precision,
//! recall and F1 from a one-to-one maximum matching of found positions to true points
//! within a radius.
//!
//! Points are `(row, col)` in image pixels (any consistent coordinates: only distances
//! are used).

mod evaluation;
mod matching;

pub use evaluation::{CountingEvaluation, CountingImage, CountingImageResult, evaluate_counting};
pub use matching::match_points;
