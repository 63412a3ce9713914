//! The rectangle operations of the word box extraction: growing a text kernel back to its
//! word, moving a rectangle through an anisotropic scaling, choosing the reading axis,
//! and reading order.

use std::f64::consts::{FRAC_PI_2, FRAC_PI_4};

use kestrel_geom::{RotatedBox, min_area_rect};

use super::WordBox;

/// `rect` with every side moved out by `area * ratio / perimeter` (DB's unclip; for a
/// rectangle the offset polygon's minimum-area rectangle is exactly this).
pub(crate) fn unclip(rect: RotatedBox, ratio: f64) -> RotatedBox {
    let (l1, l2) = (rect.length1, rect.length2);
    let perimeter = 4.0 * (l1 + l2);
    let d = if perimeter > 0.0 {
        4.0 * l1 * l2 * ratio / perimeter
    } else {
        0.0
    };
    RotatedBox {
        length1: l1 + d,
        length2: l2 + d,
        ..rect
    }
}

/// The minimum-area rectangle around `rect`'s corners after `x` is multiplied by `sx` and
/// `y` by `sy` (an anisotropic scaling turns a rotated rectangle into a parallelogram;
/// exact for axis-parallel rectangles and for `sx == sy`).
pub(crate) fn scale_rect(rect: RotatedBox, sx: f64, sy: f64) -> RotatedBox {
    let corners = rect.corners().map(|(x, y)| (x * sx, y * sy));
    min_area_rect(&corners).unwrap_or(RotatedBox {
        row: rect.row * sy,
        col: rect.col * sx,
        phi: rect.phi,
        length1: rect.length1 * sx,
        length2: rect.length2 * sy,
    })
}

/// The same rectangle described along the axis nearer to the column axis: `phi` in
/// `(-pi/4, pi/4]`, so `length1` runs left to right and may be the shorter half side.
pub(crate) fn along_reading_axis(rect: RotatedBox) -> RotatedBox {
    let mut phi = rect.phi % std::f64::consts::PI;
    let mut swap = false;
    while phi > FRAC_PI_4 {
        phi -= FRAC_PI_2;
        swap = !swap;
    }
    while phi <= -FRAC_PI_4 {
        phi += FRAC_PI_2;
        swap = !swap;
    }
    let (length1, length2) = if swap {
        (rect.length2, rect.length1)
    } else {
        (rect.length1, rect.length2)
    };
    RotatedBox {
        phi: phi + 0.0,
        length1,
        length2,
        ..rect
    }
}

/// Sorts `words` into reading order: lines top to bottom, words in a line left to right.
/// Words sorted by their centre's row form lines greedily: a word joins the current line
/// when its centre is less than half a height (the smaller of its own and the line's first
/// word's axis-aligned height) below the first word's centre.
pub(crate) fn sort_reading_order(words: &mut Vec<WordBox>) {
    words.sort_by(|a, b| {
        a.rect
            .row
            .total_cmp(&b.rect.row)
            .then(a.rect.col.total_cmp(&b.rect.col))
    });
    let height = |w: &WordBox| {
        let b = w.rect.bounding_box();
        b.y2 - b.y1
    };
    let mut sorted = Vec::with_capacity(words.len());
    let mut line: Vec<WordBox> = Vec::new();
    for w in words.drain(..) {
        if let Some(first) = line.first() {
            let reach = 0.5 * height(first).min(height(&w));
            if w.rect.row - first.rect.row >= reach {
                line.sort_by(|a, b| a.rect.col.total_cmp(&b.rect.col));
                sorted.append(&mut line);
            }
        }
        line.push(w);
    }
    line.sort_by(|a, b| a.rect.col.total_cmp(&b.rect.col));
    sorted.append(&mut line);
    *words = sorted;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(col: f64, row: f64, phi_deg: f64, l1: f64, l2: f64) -> RotatedBox {
        RotatedBox {
            row,
            col,
            phi: phi_deg.to_radians(),
            length1: l1,
            length2: l2,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn unclip_grows_every_side_by_area_ratio_over_perimeter() {
        // 20 x 6: area 120, perimeter 52, d = 120 * 1.5 / 52.
        let r = unclip(rect(5.0, 7.0, 30.0, 10.0, 3.0), 1.5);
        let d = 120.0 * 1.5 / 52.0;
        assert!(
            close(r.length1, 10.0 + d) && close(r.length2, 3.0 + d),
            "{r:?}"
        );
        assert!(close(r.phi, 30f64.to_radians()) && r.col == 5.0 && r.row == 7.0);
        assert_eq!(unclip(rect(0.0, 0.0, 0.0, 4.0, 2.0), 0.0).length1, 4.0);
        assert_eq!(unclip(rect(0.0, 0.0, 0.0, 0.0, 0.0), 1.5).length1, 0.0);
    }

    #[test]
    fn scaling_is_exact_for_axis_parallel_and_uniform() {
        let r = scale_rect(rect(10.0, 20.0, 0.0, 5.0, 2.0), 2.0, 0.5);
        assert!(close(r.col, 20.0) && close(r.row, 10.0), "{r:?}");
        assert!(close(r.length1, 10.0) && close(r.length2, 1.0), "{r:?}");
        let r = scale_rect(rect(10.0, 20.0, 30.0, 5.0, 2.0), 3.0, 3.0);
        assert!(close(r.col, 30.0) && close(r.row, 60.0), "{r:?}");
        assert!(close(r.length1, 15.0) && close(r.length2, 6.0), "{r:?}");
        assert!(close(r.phi, 30f64.to_radians()), "{r:?}");
    }

    #[test]
    fn anisotropic_scaling_encloses_the_parallelogram() {
        let src = rect(50.0, 40.0, 30.0, 20.0, 5.0);
        let (sx, sy) = (2.0, 0.75);
        let r = scale_rect(src, sx, sy);
        let poly: Vec<(f64, f64)> = src
            .corners()
            .iter()
            .map(|&(x, y)| (x * sx, y * sy))
            .collect();
        // Every corner of the parallelogram lies in the rectangle, and the rectangle is no
        // larger than the parallelogram's axis-aligned box.
        let (sin, cos) = r.phi.sin_cos();
        for (x, y) in &poly {
            let (dx, dy) = (x - r.col, y - r.row);
            let u = dx * cos - dy * sin;
            let v = dx * sin + dy * cos;
            assert!(
                u.abs() <= r.length1 + 1e-9 && v.abs() <= r.length2 + 1e-9,
                "{r:?}"
            );
        }
        let bb = kestrel_geom::AxisBox::around(poly.iter().copied());
        assert!(r.area() <= (bb.x2 - bb.x1) * (bb.y2 - bb.y1) + 1e-9);
        assert!(close(r.col, 100.0) && close(r.row, 30.0), "{r:?}");
    }

    #[test]
    fn reading_axis_is_the_one_nearer_the_columns() {
        let r = along_reading_axis(rect(0.0, 0.0, 80.0, 10.0, 3.0));
        assert!(close(r.phi, (-10f64).to_radians()) && r.length1 == 3.0 && r.length2 == 10.0);
        let r = along_reading_axis(rect(0.0, 0.0, -60.0, 10.0, 3.0));
        assert!(close(r.phi, 30f64.to_radians()) && r.length1 == 3.0);
        let r = along_reading_axis(rect(0.0, 0.0, 20.0, 10.0, 3.0));
        assert!(close(r.phi, 20f64.to_radians()) && r.length1 == 10.0);
        let r = along_reading_axis(rect(0.0, 0.0, 90.0, 10.0, 3.0));
        assert!(close(r.phi, 0.0) && r.length1 == 3.0 && r.length2 == 10.0);
        // The corners are the same four points.
        let a = rect(3.0, 4.0, 70.0, 10.0, 3.0);
        let mut ca = a.corners().to_vec();
        let mut cb = along_reading_axis(a).corners().to_vec();
        for c in [&mut ca, &mut cb] {
            c.sort_by(|p, q| p.0.total_cmp(&q.0).then(p.1.total_cmp(&q.1)));
        }
        for (p, q) in ca.iter().zip(&cb) {
            assert!((p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 1e-9);
        }
    }
}
