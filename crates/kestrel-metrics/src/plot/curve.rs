//! Training curve: loss, validation error and learning rate against epoch.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::FAMILY;
use super::png::{Canvas, render_png};
use crate::{EpochRecord, MetricsError};

const WIDTH: u32 = 900;
const TITLE_H: u32 = 50;
const LOSS_H: u32 = 300;
const VALIDATION_H: u32 = 260;
const LR_H: u32 = 170;

const LOSS_COLOUR: RGBColor = RGBColor(31, 119, 180);
const VALIDATION_COLOUR: RGBColor = RGBColor(214, 39, 40);
const LR_COLOUR: RGBColor = RGBColor(90, 90, 90);

/// Writes a PNG of the training curve to `path`: training loss (top panel), validation
/// error in percent (middle panel, only when some epoch has one; the best epoch is marked)
/// and learning rate (bottom panel) against epoch. Non-finite values are left out.
pub fn plot_training_curve(records: &[EpochRecord], path: &Path) -> Result<(), MetricsError> {
    if records.is_empty() {
        return Err(MetricsError::Empty("no epoch records to plot".into()));
    }
    let mut records = records.to_vec();
    records.sort_by_key(|r| r.epoch);
    let has_validation = records
        .iter()
        .any(|r| r.validation_error.is_some_and(f64::is_finite));
    let height = TITLE_H + LOSS_H + if has_validation { VALIDATION_H } else { 0 } + LR_H;
    render_png(path, (WIDTH, height), |root| {
        draw(root, &records, has_validation)
    })
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

/// One panel's data and labels.
struct Panel<'a> {
    caption: String,
    y_desc: &'a str,
    colour: RGBColor,
    /// Panel height in pixels.
    height: u32,
    points: Vec<(i64, f64)>,
    /// Point to highlight (e.g. the best validation error).
    mark: Option<(i64, f64)>,
    /// Forces the y axis to include zero.
    from_zero: bool,
    /// Unit appended to the highlighted point's label.
    unit: &'a str,
}

fn draw(root: &Canvas<'_>, records: &[EpochRecord], has_validation: bool) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let first = records.first().map_or(0, |r| r.epoch) as i64;
    let last = records.last().map_or(0, |r| r.epoch) as i64;
    let loss = series(records, |r| Some(r.train_loss));
    let validation = series(records, |r| r.validation_error.map(|e| e * 100.0));
    let lr = series(records, |r| Some(r.learning_rate));
    let best = validation
        .iter()
        .copied()
        .min_by(|a, b| a.1.total_cmp(&b.1));

    let plural = if records.len() == 1 { "" } else { "s" };
    let mut title = format!("Training curve — {} epoch{plural}", records.len());
    if let Some(&(_, l)) = loss.last() {
        title.push_str(&format!(", final loss {}", short(l)));
    }
    if let Some((e, v)) = best {
        title.push_str(&format!(", best validation error {v:.2}% (epoch {e})"));
    }
    let (title_area, rest) = root.split_vertically(TITLE_H);
    title_area
        .draw(&Text::new(
            title,
            (WIDTH as i32 / 2, TITLE_H as i32 / 2 + 4),
            TextStyle::from((FAMILY, 19))
                .pos(Pos::new(HPos::Center, VPos::Center))
                .color(&BLACK),
        ))
        .map_err(err)?;

    let mut panels = vec![Panel {
        caption: "Training loss".into(),
        y_desc: "loss",
        colour: LOSS_COLOUR,
        height: LOSS_H,
        points: loss,
        mark: None,
        from_zero: true,
        unit: "",
    }];
    if has_validation {
        panels.push(Panel {
            caption:
                "Validation error (1 - the method's measure: top-1 accuracy, mean AP, mean IoU)"
                    .into(),
            y_desc: "error [%]",
            colour: VALIDATION_COLOUR,
            height: VALIDATION_H,
            points: validation,
            mark: best,
            from_zero: true,
            unit: "%",
        });
    }
    panels.push(Panel {
        caption: "Learning rate".into(),
        y_desc: "lr",
        colour: LR_COLOUR,
        height: LR_H,
        points: lr,
        mark: None,
        from_zero: true,
        unit: "",
    });

    let mut area = rest;
    let count = panels.len();
    for (i, panel) in panels.iter().enumerate() {
        let (this, next) = if i + 1 < count {
            area.split_vertically(panel.height)
        } else {
            (area.clone(), area.clone())
        };
        draw_panel(&this, panel, (first, last), i + 1 == count)?;
        area = next;
    }
    Ok(())
}

/// `(epoch, value)` pairs with finite values.
fn series(records: &[EpochRecord], value: impl Fn(&EpochRecord) -> Option<f64>) -> Vec<(i64, f64)> {
    records
        .iter()
        .filter_map(|r| {
            value(r)
                .filter(|v| v.is_finite())
                .map(|v| (r.epoch as i64, v))
        })
        .collect()
}

/// A compact number: 3 significant digits, scientific when very small or large.
fn short(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 {
        "0".into()
    } else if !(1e-3..1e4).contains(&a) {
        format!("{v:.2e}")
    } else {
        let digits = (2 - a.log10().floor() as i32).clamp(0, 5) as usize;
        format!("{v:.digits$}")
    }
}

/// Tick label formatter with as many decimals as the axis' tick spacing needs;
/// scientific notation for axes of very small or very large values.
fn axis_formatter(lo: f64, hi: f64) -> impl Fn(&f64) -> String {
    let magnitude = lo.abs().max(hi.abs());
    let step = (hi - lo) / 6.0;
    let scientific = magnitude >= 1e5 || (magnitude > 0.0 && magnitude < 1e-2);
    let decimals = if step > 0.0 {
        (-step.log10().floor()).clamp(0.0, 6.0) as usize
    } else {
        2
    };
    move |v: &f64| {
        if *v == 0.0 {
            "0".to_string()
        } else if scientific {
            format!("{v:.1e}")
        } else {
            format!("{v:.decimals$}")
        }
    }
}

/// y range covering the points, with 8% headroom; a flat series gets a unit-ish range.
fn y_range(points: &[(i64, f64)], from_zero: bool) -> (f64, f64) {
    let lo = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
    let hi = points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let lo = if from_zero { lo.min(0.0) } else { lo };
    let span = hi - lo;
    if span <= f64::EPSILON * hi.abs().max(1.0) {
        let pad = if hi.abs() > 0.0 { hi.abs() * 0.5 } else { 1.0 };
        return (
            lo - if from_zero && lo >= 0.0 { 0.0 } else { pad },
            hi + pad,
        );
    }
    (lo, hi + span * 0.08)
}

fn draw_panel(
    area: &Canvas<'_>,
    panel: &Panel<'_>,
    (first, last): (i64, i64),
    show_x_desc: bool,
) -> Result<(), String> {
    let (x_lo, x_hi) = if first == last {
        (first - 1, last + 1)
    } else {
        (first, last)
    };
    let (y_lo, y_hi) = y_range(&panel.points, panel.from_zero);
    let mut chart = ChartBuilder::on(area)
        .margin_left(16)
        .margin_right(28)
        .margin_top(6)
        .margin_bottom(6)
        .caption(&panel.caption, (FAMILY, 16))
        .x_label_area_size(if show_x_desc { 44 } else { 26 })
        .y_label_area_size(76)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
        .map_err(err)?;
    let span = (x_hi - x_lo) as usize;
    let y_format = axis_formatter(y_lo, y_hi);
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(span.clamp(2, 12) + 1)
        .y_labels(6)
        .x_label_formatter(&|e| e.to_string())
        .y_label_formatter(&y_format)
        .max_light_lines(1)
        .label_style((FAMILY, 13))
        .axis_desc_style((FAMILY, 14))
        .y_desc(panel.y_desc)
        .light_line_style(RGBColor(238, 238, 238))
        .bold_line_style(RGBColor(215, 215, 215));
    if show_x_desc {
        mesh.x_desc("epoch");
    }
    mesh.draw().map_err(err)?;
    let style = panel.colour.stroke_width(2);
    let point_size = if panel.points.len() <= 60 { 3 } else { 0 };
    chart
        .draw_series(LineSeries::new(panel.points.iter().copied(), style).point_size(point_size))
        .map_err(err)?;
    if let Some((e, v)) = panel.mark {
        // Label above the point, right of it unless the point is in the right part.
        let right = (e - x_lo) * 4 > (x_hi - x_lo) * 3;
        let (dx, h) = if right {
            (-10, HPos::Right)
        } else {
            (10, HPos::Left)
        };
        let label_style = TextStyle::from((FAMILY, 13))
            .pos(Pos::new(h, VPos::Bottom))
            .color(&panel.colour);
        let marker = EmptyElement::at((e, v))
            + Circle::new((0, 0), 7, panel.colour.stroke_width(2))
            + Text::new(
                format!("best {}{}", short(v), panel.unit),
                (dx, -10),
                label_style,
            );
        chart.draw_series(std::iter::once(marker)).map_err(err)?;
    }
    Ok(())
}
