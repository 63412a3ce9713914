//! Cornell grasp rectangle files (`pcdXXXXcpos.txt`, `pcdXXXXcneg.txt`): four corner
//! lines `x y` per rectangle, read into HALCON `rectangle2` grasps.
//!
//! # The Cornell conventions
//!
//! Corners are pixel coordinates `x` (column) and `y` (row) with integer values at pixel
//! centres, so each becomes `(x + 0.5, y + 0.5)` in Kestrel's coordinates. The first two
//! corners span the **opening direction** (from one jaw to the other; GG-CNN's `angle` and
//! `length`), the second and third one **jaw** (its `width`): the edge `p0 → p1` (averaged
//! with `p3 → p2`) gives `phi` and `length1`, the edge `p1 → p2` (with `p0 → p3`) gives
//! `length2`. The corners run clockwise on screen in some rectangles and
//! counter-clockwise in others, so the order around the rectangle carries no meaning;
//! `phi` is folded into `(-π/2, π/2]` ([`grasp_angle`]).

use std::path::Path;

use super::text_file::{line_error, read_text};
use crate::error::DataError;
use crate::gripping::grasp_angle;
use crate::instances::RotatedBox;

/// What to do with a rectangle that has a non-finite (`NaN`) corner. The Cornell set has
/// such rectangles (`pcd0132cpos.txt` lines 9-16: two rectangles with two `NaN NaN`
/// corners each); GG-CNN and its successors drop them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NanRectangles {
    /// Drop the rectangle and list it in [`CornellImport::skipped`](super::CornellImport).
    #[default]
    Skip,
    /// Report it as a problem naming the file and its lines.
    Error,
}

/// The rectangles of one file, with the rectangles dropped for `NaN` corners (as messages
/// naming file and lines) and the problems found.
#[derive(Debug, Default)]
pub(crate) struct RectFile {
    /// The rectangles read, in file order.
    pub(crate) rects: Vec<RotatedBox>,
    /// One message per rectangle dropped under [`NanRectangles::Skip`].
    pub(crate) skipped: Vec<String>,
    /// Every problem, each naming the file and line.
    pub(crate) problems: Vec<DataError>,
}

/// Reads a rectangle file. Blank lines are ignored; every other line must hold two
/// numbers, the number of corner lines must be a multiple of 4, and no rectangle may have
/// a side of zero length. All problems are collected.
pub(crate) fn read_rect_file(path: &Path, nan: NanRectangles) -> RectFile {
    let mut out = RectFile::default();
    let text = match read_text(path) {
        Ok(text) => text,
        Err(e) => {
            out.problems.push(e);
            return out;
        }
    };
    let mut corners: Vec<(usize, [f64; 2])> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let parsed: Vec<Option<f64>> = fields.iter().map(|f| f.parse().ok()).collect();
        match parsed.as_slice() {
            [Some(x), Some(y)] => corners.push((i + 1, [*x, *y])),
            _ => out.problems.push(line_error(
                path,
                i + 1,
                format!("expected two numbers `x y`, found '{}'", line.trim()),
            )),
        }
    }
    let rest = corners.len() % 4;
    if rest != 0 {
        let first = corners[corners.len() - rest].0;
        out.problems.push(line_error(
            path,
            first,
            format!(
                "{} corner lines, not a multiple of 4: the rectangle from this line has {rest} \
                 corner(s)",
                corners.len()
            ),
        ));
    }
    for (k, rect) in corners.chunks_exact(4).enumerate() {
        let lines = format!("lines {}-{}", rect[0].0, rect[3].0);
        let nan_lines: Vec<String> = rect
            .iter()
            .filter(|(_, p)| !p.iter().all(|v| v.is_finite()))
            .map(|(line, _)| line.to_string())
            .collect();
        if !nan_lines.is_empty() {
            let message = format!(
                "rectangle {} ({lines}) has non-finite corners on line(s) {}",
                k + 1,
                nan_lines.join(", ")
            );
            match nan {
                NanRectangles::Skip => out
                    .skipped
                    .push(format!("{}: {message}, skipped", path.display())),
                NanRectangles::Error => out.problems.push(DataError::format(path, message)),
            }
            continue;
        }
        let points = [rect[0].1, rect[1].1, rect[2].1, rect[3].1];
        match rect_from_corners(points) {
            Some(r) => out.rects.push(r),
            None => out.problems.push(DataError::format(
                path,
                format!("rectangle {} ({lines}) has a side of zero length", k + 1),
            )),
        }
    }
    out
}

/// The grasp rectangle of four Cornell corners `[x, y]` (see the [module](self)), `None`
/// when a side has zero length.
pub(crate) fn rect_from_corners(p: [[f64; 2]; 4]) -> Option<RotatedBox> {
    let mean = |a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]| {
        [
            (a[0] - b[0] + c[0] - d[0]) / 2.0,
            (a[1] - b[1] + c[1] - d[1]) / 2.0,
        ]
    };
    // Opening axis p0 -> p1 (and p3 -> p2), jaw axis p1 -> p2 (and p0 -> p3).
    let open = mean(p[1], p[0], p[2], p[3]);
    let jaw = mean(p[2], p[1], p[3], p[0]);
    let (open_len, jaw_len) = (open[0].hypot(open[1]), jaw[0].hypot(jaw[1]));
    if !(open_len > 0.0 && jaw_len > 0.0) {
        return None;
    }
    let centre = |k: usize| p.iter().map(|c| c[k]).sum::<f64>() / 4.0 + 0.5;
    Some(RotatedBox {
        row: centre(1),
        col: centre(0),
        // Rows point down: counter-clockwise on screen is -y.
        phi: grasp_angle((-open[1]).atan2(open[0])),
        length1: open_len / 2.0,
        length2: jaw_len / 2.0,
    })
}

#[cfg(test)]
mod tests {
    use std::f64::consts::FRAC_PI_4;

    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn corners_become_a_rectangle2_along_the_first_edge() {
        // Opening from (10, 20) to (50, 20) (40 px), jaws 10 px tall; corner order either way.
        let cw = rect_from_corners([[10.0, 20.0], [50.0, 20.0], [50.0, 30.0], [10.0, 30.0]]);
        let ccw = rect_from_corners([[10.0, 30.0], [50.0, 30.0], [50.0, 20.0], [10.0, 20.0]]);
        for r in [cw.unwrap(), ccw.unwrap()] {
            assert_eq!((r.row, r.col), (25.5, 30.5));
            assert_eq!((r.length1, r.length2), (20.0, 5.0));
            assert_eq!(r.phi, 0.0);
        }
        // Opening towards the upper right on screen (x up, y down): +45°, either direction.
        let up = [[0.0, 10.0], [10.0, 0.0], [12.0, 2.0], [2.0, 12.0]];
        let r = rect_from_corners(up).unwrap();
        assert!((r.phi - FRAC_PI_4).abs() < 1e-12, "{r:?}");
        let down = [up[1], up[0], up[3], up[2]];
        let r = rect_from_corners(down).unwrap();
        assert!((r.phi - FRAC_PI_4).abs() < 1e-12, "{r:?}");
        assert!((r.length1 - 50f64.sqrt()).abs() < 1e-12);
        assert!((r.length2 - 2f64.sqrt()).abs() < 1e-12);
        assert!(rect_from_corners([[1.0, 1.0]; 4]).is_none());
    }

    #[test]
    fn every_problem_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let text = "10 20\n50 20 \n50 30\n10 30\n\n1 2\nx 3\n4 5 6\n7 8\n";
        let path = write(dir.path(), "pcd0001cpos.txt", text);
        let read = read_rect_file(&path, NanRectangles::Skip);
        assert_eq!(read.rects.len(), 1);
        let messages: Vec<String> = read.problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0]
                .ends_with("pcd0001cpos.txt: line 7: expected two numbers `x y`, found 'x 3'")
        );
        assert!(messages[1].ends_with("line 8: expected two numbers `x y`, found '4 5 6'"));
        assert!(
            messages[2].ends_with(
                "line 6: 6 corner lines, not a multiple of 4: the rectangle from this line has 2 \
                 corner(s)"
            ),
            "{}",
            messages[2]
        );
    }

    #[test]
    fn nan_rectangles_are_skipped_or_errors() {
        let dir = tempfile::tempdir().unwrap();
        let text = "NaN NaN\n256 313\n277 313\nNaN NaN\n0 0\n4 0\n4 2\n0 2\n";
        let path = write(dir.path(), "pcd0132cpos.txt", text);
        let skip = read_rect_file(&path, NanRectangles::Skip);
        assert_eq!(skip.rects.len(), 1);
        assert!(skip.problems.is_empty());
        assert_eq!(skip.skipped.len(), 1);
        assert!(
            skip.skipped[0].ends_with(
                "pcd0132cpos.txt: rectangle 1 (lines 1-4) has non-finite corners on line(s) 1, 4, \
                 skipped"
            ),
            "{}",
            skip.skipped[0]
        );
        let strict = read_rect_file(&path, NanRectangles::Error);
        assert_eq!(strict.rects.len(), 1);
        assert!(strict.skipped.is_empty());
        let e = strict.problems[0].to_string();
        assert!(
            e.contains("pcd0132cpos.txt: rectangle 1 (lines 1-4) has non-finite"),
            "{e}"
        );
    }

    #[test]
    fn an_empty_file_has_no_rectangles_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let empty = read_rect_file(&write(dir.path(), "a.txt", ""), NanRectangles::Skip);
        assert!(empty.rects.is_empty() && empty.problems.is_empty());
        let missing = read_rect_file(&dir.path().join("b.txt"), NanRectangles::Skip);
        assert!(missing.problems[0].to_string().contains("b.txt"));
    }
}
