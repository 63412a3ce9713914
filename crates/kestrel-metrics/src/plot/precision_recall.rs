//! Precision-recall curves, e.g. per class of a detection evaluation.

use std::path::Path;

use plotters::prelude::*;

use super::font::FAMILY;
use super::png::{Canvas, render_png};
use crate::{MetricsError, PrecisionRecallCurve};

const WIDTH: u32 = 760;
const HEIGHT: u32 = 720;
/// Curve colours, reused cyclically (matplotlib's "tab10").
const PALETTE: [RGBColor; 10] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
];

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
    let labelled: Vec<(String, &PrecisionRecallCurve)> = curves
        .iter()
        .map(|&(label, curve, ap)| (format!("{label} (AP {ap:.3})"), curve))
        .collect();
    render_png(path, (WIDTH, HEIGHT), |root| draw(root, &labelled, title))
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn draw(
    root: &Canvas<'_>,
    curves: &[(String, &PrecisionRecallCurve)],
    title: &str,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let mut chart = ChartBuilder::on(root)
        .margin(20)
        .caption(title, (FAMILY, 20))
        .x_label_area_size(48)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.01f64..1.01, -0.01f64..1.01)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(11)
        .y_labels(11)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .max_light_lines(1)
        .label_style((FAMILY, 13))
        .axis_desc_style((FAMILY, 15))
        .x_desc("recall")
        .y_desc("precision")
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(err)?;
    for (i, (label, curve)) in curves.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        let points: Vec<(f64, f64)> = curve
            .recall
            .iter()
            .copied()
            .zip(curve.precision.iter().copied())
            .filter(|(r, p)| r.is_finite() && p.is_finite())
            .collect();
        chart
            .draw_series(LineSeries::new(points, colour.stroke_width(2)))
            .map_err(err)?
            .label(label.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .margin(12)
        .label_font((FAMILY, 14))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(err)?;
    Ok(())
}
