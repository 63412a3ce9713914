//! Curves in the unit square (ROC, precision-recall): both axes 0–1, one coloured line and
//! legend entry per curve.

use std::path::Path;

use plotters::prelude::*;

use super::font::FAMILY;
use super::png::{Canvas, render_png};
use crate::MetricsError;

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

/// One curve to draw: its legend entry and its `(x, y)` points.
pub struct UnitCurve {
    /// The legend entry.
    pub label: String,
    /// The points, in drawing order.
    pub points: Vec<(f64, f64)>,
}

/// How a unit-square plot is labelled.
pub struct UnitAxes {
    /// The x axis' name.
    pub x: &'static str,
    /// The y axis' name.
    pub y: &'static str,
    /// Where the legend goes.
    pub legend: SeriesLabelPosition,
    /// Draw the dashed `y = x` diagonal (chance level of a ROC curve).
    pub diagonal: bool,
}

/// Writes a PNG of `curves` titled `title` to `path`, atomically.
pub fn plot_unit_curves(
    curves: &[UnitCurve],
    axes: UnitAxes,
    title: &str,
    path: &Path,
) -> Result<(), MetricsError> {
    render_png(path, (WIDTH, HEIGHT), |root| {
        draw(root, curves, &axes, title)
    })
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn draw(
    root: &Canvas<'_>,
    curves: &[UnitCurve],
    axes: &UnitAxes,
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
        .x_desc(axes.x)
        .y_desc(axes.y)
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(err)?;
    if axes.diagonal {
        chart
            .draw_series(DashedLineSeries::new(
                [(0.0, 0.0), (1.0, 1.0)],
                8,
                6,
                RGBColor(150, 150, 150).stroke_width(1),
            ))
            .map_err(err)?;
    }
    for (i, curve) in curves.iter().enumerate() {
        let colour = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(
                curve.points.iter().copied(),
                colour.stroke_width(2),
            ))
            .map_err(err)?
            .label(curve.label.as_str())
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(axes.legend.clone())
        .margin(12)
        .label_font((FAMILY, 14))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(err)?;
    Ok(())
}
