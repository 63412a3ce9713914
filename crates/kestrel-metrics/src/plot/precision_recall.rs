//! Precision-recall curves, e.g. per class of a detection evaluation.

use std::path::Path;

use plotters::prelude::SeriesLabelPosition;

use super::unit_square::{UnitAxes, UnitCurve, plot_unit_curves};
use crate::{MetricsError, PrecisionRecallCurve};

/// Writes a PNG of one or more precision-recall curves to `path`: recall on x, precision
/// on y, both 0–1, and a legend of `"label (AP 0.953)"` entries from each
/// `(label, curve, ap)` (for detection, [`ClassDetectionMetrics::curve50`] with
/// [`ClassDetectionMetrics::ap50`]).
///
/// Fails when `curves` is empty, a curve's recall and precision lengths differ, and when
/// drawing or writing fails.
///
/// [`ClassDetectionMetrics::curve50`]: crate::ClassDetectionMetrics::curve50
/// [`ClassDetectionMetrics::ap50`]: crate::ClassDetectionMetrics::ap50
pub fn plot_precision_recall(
    curves: &[(&str, &PrecisionRecallCurve, f64)],
    title: &str,
    path: &Path,
) -> Result<(), MetricsError> {
    if curves.is_empty() {
        return Err(MetricsError::Empty(
            "no precision-recall curve to plot".into(),
        ));
    }
    for (label, curve, _) in curves {
        if curve.recall.len() != curve.precision.len() {
            return Err(MetricsError::LengthMismatch {
                what: format!("precision of curve {label:?}"),
                expected: curve.recall.len(),
                got: curve.precision.len(),
            });
        }
    }
    let drawn: Vec<UnitCurve> = curves
        .iter()
        .map(|&(label, curve, ap)| UnitCurve {
            label: format!("{label} (AP {ap:.3})"),
            points: curve
                .recall
                .iter()
                .copied()
                .zip(curve.precision.iter().copied())
                .filter(|(r, p)| r.is_finite() && p.is_finite())
                .collect(),
        })
        .collect();
    let axes = UnitAxes {
        x: "recall",
        y: "precision",
        legend: SeriesLabelPosition::LowerLeft,
        diagonal: false,
    };
    plot_unit_curves(&drawn, axes, title, path)
}
