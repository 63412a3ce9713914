//! The rotated box of a word given as a quadrilateral, oriented along its reading
//! direction.

use std::f64::consts::PI;

use kestrel_geom::min_area_rect;

use crate::instances::RotatedBox;

/// The minimum-area rectangle enclosing the quadrilateral `quad` (points `(x, y)` =
/// `(col, row)`, in the order ICDAR gives them: the word's top-left, top-right,
/// bottom-right and bottom-left corner as read), as a rotated box whose `length1` axis
/// points along the reading direction.
///
/// The reading direction is the sum of the top edge (first to second point) and the bottom
/// edge (fourth to third point); of the rectangle's two axes the one closer to it, pointed
/// the same way, becomes the `length1` axis. So `phi` is in `(-pi, pi]`: 0 for text read
/// left to right, `pi` for upside-down text, `-pi/2` for text read downwards; and
/// `length1` (half the word's length) may be shorter than `length2` (a single tall
/// character). When the two edges cancel out, the rectangle keeps
/// [`min_area_rect`]'s orientation (`length1 >= length2`, `phi` in `(-pi/2, pi/2]`).
///
/// `None` when a coordinate is not finite or the points are all on one line (no area).
pub fn word_rect_from_quad(quad: &[(f64, f64); 4]) -> Option<RotatedBox> {
    if quad.iter().any(|p| !p.0.is_finite() || !p.1.is_finite()) {
        return None;
    }
    let rect = min_area_rect(quad)?;
    let [p1, p2, p3, p4] = *quad;
    let d = ((p2.0 - p1.0) + (p3.0 - p4.0), (p2.1 - p1.1) + (p3.1 - p4.1));
    let (sin, cos) = rect.phi.sin_cos();
    // The length1 and length2 axes as (x, y) (see `RotatedBox::corners`).
    let axis1 = (cos, -sin);
    let axis2 = (sin, cos);
    let along1 = d.0 * axis1.0 + d.1 * axis1.1;
    let along2 = d.0 * axis2.0 + d.1 * axis2.1;
    if along1 == 0.0 && along2 == 0.0 {
        return Some(rect);
    }
    let (axis, along, length1, length2) = if along1.abs() >= along2.abs() {
        (axis1, along1, rect.length1, rect.length2)
    } else {
        (axis2, along2, rect.length2, rect.length1)
    };
    let sign = along.signum();
    // Counter-clockwise on screen (y down): the angle of (x, -y).
    let mut phi = (-axis.1 * sign).atan2(axis.0 * sign);
    if phi <= -PI {
        phi += 2.0 * PI;
    }
    Some(RotatedBox {
        phi: phi + 0.0,
        length1,
        length2,
        ..rect
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::FRAC_PI_2;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn orientation_follows_the_reading_direction() {
        // Left to right, 10 wide and 4 high, centre (5, 2).
        let r = word_rect_from_quad(&[(0.0, 0.0), (10.0, 0.0), (10.0, 4.0), (0.0, 4.0)]).unwrap();
        assert!(close(r.col, 5.0) && close(r.row, 2.0), "{r:?}");
        assert!(close(r.phi, 0.0) && close(r.length1, 5.0) && close(r.length2, 2.0));
        // Upside down: the same rectangle, read from right to left.
        let r = word_rect_from_quad(&[(10.0, 4.0), (0.0, 4.0), (0.0, 0.0), (10.0, 0.0)]).unwrap();
        assert!(close(r.phi, PI) && close(r.length1, 5.0), "{r:?}");
        // Read downwards (turned 90 degrees clockwise on screen).
        let r = word_rect_from_quad(&[(4.0, 0.0), (4.0, 10.0), (0.0, 10.0), (0.0, 0.0)]).unwrap();
        assert!(close(r.phi, -FRAC_PI_2) && close(r.length1, 5.0), "{r:?}");
        // One tall character: length1 along the reading direction is the shorter side.
        let r = word_rect_from_quad(&[(0.0, 0.0), (2.0, 0.0), (2.0, 6.0), (0.0, 6.0)]).unwrap();
        assert!(close(r.phi, 0.0), "{r:?}");
        assert!(close(r.length1, 1.0) && close(r.length2, 3.0), "{r:?}");
        // The corners are those of the quadrilateral whichever way it is read.
        let rot = RotatedBox {
            row: 20.0,
            col: 30.0,
            phi: 2.5,
            length1: 7.0,
            length2: 2.0,
        };
        let [a, b, c, d] = rot.corners();
        // corners() runs +a+b, -a+b, -a-b, +a-b: reading along +a, top edge on -b.
        let r = word_rect_from_quad(&[c, d, a, b]).unwrap();
        assert!(
            close(r.phi, 2.5) && close(r.length1, 7.0),
            "{r:?} vs {rot:?}"
        );
        assert!(close(r.iou(&rot), 1.0));
    }

    #[test]
    fn degenerate_quads_have_no_rectangle() {
        assert!(word_rect_from_quad(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 3.0)]).is_none());
        assert!(
            word_rect_from_quad(&[(0.0, 0.0), (f64::NAN, 0.0), (1.0, 1.0), (0.0, 1.0)]).is_none()
        );
    }
}
