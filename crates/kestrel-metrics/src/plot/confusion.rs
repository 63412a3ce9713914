//! Confusion matrix heat map.

use std::path::Path;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::font::{FAMILY, text_width};
use super::png::{Canvas, render_png};
use crate::{ConfusionMatrix, MetricsError};

/// Longest class name drawn in full; longer ones are shortened with an ellipsis.
const MAX_LABEL_CHARS: usize = 28;
const MARGIN: i32 = 20;
const TITLE_H: i32 = 56;
const AXIS_TITLE: i32 = 28;
const BAR_W: i32 = 16;

/// Writes a PNG heat map of a confusion matrix (rows = ground truth, columns = predicted)
/// to `path`: class names on both axes, the count in every cell (with its row share when
/// cells are large enough), colour = share of the ground truth row, and the accuracy in
/// the title. Sized to stay readable from 2 to about 20 classes.
pub fn plot_confusion_matrix(
    eval_cm: &[Vec<u64>],
    class_names: &[String],
    path: &Path,
) -> Result<(), MetricsError> {
    let cm = ConfusionMatrix::from_counts(eval_cm.to_vec())?;
    if cm.num_classes == 0 {
        return Err(MetricsError::Empty(
            "confusion matrix without classes".into(),
        ));
    }
    if class_names.len() != cm.num_classes {
        return Err(MetricsError::LengthMismatch {
            what: "class_names".into(),
            expected: cm.num_classes,
            got: class_names.len(),
        });
    }
    let labels: Vec<String> = class_names.iter().map(|s| shorten(s)).collect();
    let layout = Layout::new(&labels, cm.num_classes);
    render_png(path, (layout.width, layout.height), |root| {
        draw(root, &cm, &labels, &layout)
    })
}

/// Pixel geometry of the figure.
struct Layout {
    width: u32,
    height: u32,
    cell: i32,
    /// Top-left corner of the matrix.
    x0: i32,
    y0: i32,
    label_font: f64,
    /// Width of the longest row label.
    label_w: i32,
    rotate_columns: bool,
}

impl Layout {
    fn new(labels: &[String], n: usize) -> Self {
        let cell = (640 / n as i32).clamp(34, 140);
        let label_font = (f64::from(cell) * 0.42).clamp(12.0, 16.0);
        let label_w = labels
            .iter()
            .map(|l| text_width(l, label_font))
            .max()
            .unwrap_or(0);
        let rotate_columns = label_w > cell - 14;
        let column_h = if rotate_columns {
            label_w
        } else {
            label_font as i32
        };
        let y0 = MARGIN + TITLE_H;
        let side = cell * n as i32;
        let needed = MARGIN + AXIS_TITLE + label_w + 10 + side + 24 + BAR_W + 48 + MARGIN;
        // Wide enough for the title; extra room is split evenly so the figure is centred.
        let width = needed.max(620);
        let x0 = MARGIN + AXIS_TITLE + label_w + 10 + (width - needed) / 2;
        let height = y0 + side + 10 + column_h + 10 + AXIS_TITLE + MARGIN;
        Self {
            width: width as u32,
            height: height as u32,
            cell,
            x0,
            y0,
            label_font,
            label_w,
            rotate_columns,
        }
    }
}

fn shorten(name: &str) -> String {
    if name.chars().count() <= MAX_LABEL_CHARS {
        name.to_string()
    } else {
        let head: String = name.chars().take(MAX_LABEL_CHARS - 1).collect();
        format!("{head}…")
    }
}

/// The "Blues" colour ramp: `t` = 0 white, 1 dark blue.
fn blues(t: f64) -> RGBColor {
    const STOPS: [(f64, [f64; 3]); 3] = [
        (0.0, [247.0, 251.0, 255.0]),
        (0.5, [107.0, 174.0, 214.0]),
        (1.0, [8.0, 48.0, 107.0]),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (lo, hi) = if t <= 0.5 {
        (STOPS[0], STOPS[1])
    } else {
        (STOPS[1], STOPS[2])
    };
    let f = (t - lo.0) / (hi.0 - lo.0);
    let c = |i: usize| (lo.1[i] + (hi.1[i] - lo.1[i]) * f).round() as u8;
    RGBColor(c(0), c(1), c(2))
}

fn err<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn draw(
    root: &Canvas<'_>,
    cm: &ConfusionMatrix,
    labels: &[String],
    l: &Layout,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(err)?;
    let n = cm.num_classes as i32;
    let side = l.cell * n;
    let centered = Pos::new(HPos::Center, VPos::Center);

    // Title and subtitle.
    let mid_x = l.width as i32 / 2;
    let title = format!(
        "Confusion matrix — accuracy {:.2}% ({} images)",
        cm.accuracy() * 100.0,
        cm.total()
    );
    let title_style = TextStyle::from((FAMILY, 20)).pos(centered).color(&BLACK);
    root.draw(&Text::new(title, (mid_x, MARGIN + 10), title_style))
        .map_err(err)?;
    let sub_style = TextStyle::from((FAMILY, 13))
        .pos(centered)
        .color(&RGBColor(90, 90, 90));
    root.draw(&Text::new(
        "rows = ground truth, columns = predicted; colour = share of the row",
        (mid_x, MARGIN + 34),
        sub_style,
    ))
    .map_err(err)?;

    // Cells.
    let count_font = (f64::from(l.cell) * 0.3).clamp(10.0, 22.0);
    let show_share = l.cell >= 60;
    for (g, row) in cm.counts.iter().enumerate() {
        let support: u64 = row.iter().sum();
        for (p, &count) in row.iter().enumerate() {
            let share = if support == 0 {
                0.0
            } else {
                count as f64 / support as f64
            };
            let x = l.x0 + p as i32 * l.cell;
            let y = l.y0 + g as i32 * l.cell;
            root.draw(&Rectangle::new(
                [(x, y), (x + l.cell, y + l.cell)],
                blues(share).filled(),
            ))
            .map_err(err)?;
            let ink = match (share > 0.55, count) {
                (true, _) => WHITE,
                (false, 0) => RGBColor(150, 150, 150),
                (false, _) => BLACK,
            };
            let text = count.to_string();
            let mut size = count_font;
            while size > 7.0 && text_width(&text, size) > l.cell - 4 {
                size -= 1.0;
            }
            let (cx, cy) = (x + l.cell / 2, y + l.cell / 2);
            let count_y = if show_share {
                cy - (size * 0.35) as i32
            } else {
                cy
            };
            let style = TextStyle::from((FAMILY, size)).pos(centered).color(&ink);
            root.draw(&Text::new(text, (cx, count_y), style))
                .map_err(err)?;
            if show_share && support > 0 {
                let small = (size * 0.6).max(9.0);
                let style = TextStyle::from((FAMILY, small)).pos(centered).color(&ink);
                let pct = format!("{:.0}%", share * 100.0);
                root.draw(&Text::new(pct, (cx, cy + (size * 0.6) as i32), style))
                    .map_err(err)?;
            }
        }
    }
    // Grid.
    let grid = RGBColor(255, 255, 255).stroke_width(1);
    for i in 1..n {
        let o = i * l.cell;
        root.draw(&PathElement::new(
            vec![(l.x0 + o, l.y0), (l.x0 + o, l.y0 + side)],
            grid,
        ))
        .map_err(err)?;
        root.draw(&PathElement::new(
            vec![(l.x0, l.y0 + o), (l.x0 + side, l.y0 + o)],
            grid,
        ))
        .map_err(err)?;
    }
    let frame = RGBColor(60, 60, 60).stroke_width(1);
    root.draw(&Rectangle::new(
        [(l.x0, l.y0), (l.x0 + side, l.y0 + side)],
        frame,
    ))
    .map_err(err)?;

    // Class names.
    let label_color = RGBColor(30, 30, 30);
    let row_style = TextStyle::from((FAMILY, l.label_font))
        .pos(Pos::new(HPos::Right, VPos::Center))
        .color(&label_color);
    for (i, name) in labels.iter().enumerate() {
        let y = l.y0 + i as i32 * l.cell + l.cell / 2;
        root.draw(&Text::new(name.as_str(), (l.x0 - 8, y), row_style.clone()))
            .map_err(err)?;
    }
    let below = l.y0 + side + 8;
    for (i, name) in labels.iter().enumerate() {
        let x = l.x0 + i as i32 * l.cell + l.cell / 2;
        let style = if l.rotate_columns {
            TextStyle::from((FAMILY, l.label_font))
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Right, VPos::Center))
                .color(&label_color)
        } else {
            TextStyle::from((FAMILY, l.label_font))
                .pos(Pos::new(HPos::Center, VPos::Top))
                .color(&label_color)
        };
        root.draw(&Text::new(name.as_str(), (x, below), style))
            .map_err(err)?;
    }

    // Axis titles.
    let axis_style = TextStyle::from((FAMILY, 15)).pos(centered).color(&BLACK);
    let bottom = l.height as i32 - MARGIN - AXIS_TITLE / 2;
    root.draw(&Text::new(
        "Predicted class",
        (l.x0 + side / 2, bottom),
        axis_style.clone(),
    ))
    .map_err(err)?;
    let left_style = axis_style.transform(FontTransform::Rotate270);
    root.draw(&Text::new(
        "Ground truth class",
        (l.x0 - l.label_w - 10 - AXIS_TITLE / 2, l.y0 + side / 2),
        left_style,
    ))
    .map_err(err)?;

    draw_colour_bar(root, l, side)
}

/// Vertical colour bar right of the matrix, labelled 0% to 100%.
fn draw_colour_bar(root: &Canvas<'_>, l: &Layout, side: i32) -> Result<(), String> {
    let bx = l.x0 + side + 24;
    let steps = side.max(1);
    for i in 0..steps {
        let t = 1.0 - f64::from(i) / f64::from(steps);
        let y = l.y0 + i;
        root.draw(&Rectangle::new(
            [(bx, y), (bx + BAR_W, y + 1)],
            blues(t).filled(),
        ))
        .map_err(err)?;
    }
    let frame = RGBColor(60, 60, 60).stroke_width(1);
    root.draw(&Rectangle::new(
        [(bx, l.y0), (bx + BAR_W, l.y0 + side)],
        frame,
    ))
    .map_err(err)?;
    let style = TextStyle::from((FAMILY, 12))
        .pos(Pos::new(HPos::Left, VPos::Center))
        .color(&RGBColor(30, 30, 30));
    for (t, text) in [(1.0, "100%"), (0.5, "50%"), (0.0, "0%")] {
        let y = l.y0 + ((1.0 - t) * f64::from(side)) as i32;
        root.draw(&Text::new(text, (bx + BAR_W + 5, y), style.clone()))
            .map_err(err)?;
    }
    Ok(())
}
