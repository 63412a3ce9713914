//! ROC curves: true positive rate against false positive rate.

use std::path::Path;

use plotters::prelude::SeriesLabelPosition;

use super::unit_square::{UnitAxes, UnitCurve, plot_unit_curves};
use crate::{MetricsError, RocCurve};

/// Points drawn per curve at most (curves are downsampled beyond that).
const MAX_POINTS: usize = 2000;

/// Writes a PNG of one or more ROC curves to `path`: false positive rate on x, true
/// positive rate on y, both 0–1, the chance diagonal dashed, and a legend of
/// `"label (AUC 0.953)"` entries from each `(label, curve, auc)`. Curves with more than
/// 2000 points are downsampled for drawing.
///
/// Fails when `curves` is empty, and when drawing or writing fails.
pub fn plot_roc_curve(
    curves: &[(&str, &RocCurve, f64)],
    title: &str,
    path: &Path,
) -> Result<(), MetricsError> {
    if curves.is_empty() {
        return Err(MetricsError::Empty("no ROC curve to plot".into()));
    }
    let drawn: Vec<UnitCurve> = curves
        .iter()
        .map(|&(label, curve, auc)| {
            let thinned = curve.downsample(MAX_POINTS);
            UnitCurve {
                label: format!("{label} (AUC {auc:.3})"),
                points: thinned.fpr.into_iter().zip(thinned.tpr).collect(),
            }
        })
        .collect();
    let axes = UnitAxes {
        x: "false positive rate",
        y: "true positive rate",
        legend: SeriesLabelPosition::LowerRight,
        diagonal: true,
    };
    plot_unit_curves(&drawn, axes, title, path)
}
