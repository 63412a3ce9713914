//! GG-CNN-style target maps of good grasp rectangles.

use std::f32::consts::PI;

use crate::RotatedRect;

/// The opening width, in pixels, that the width map scales to 1 (GG-CNN's 150 px at
/// 300 x 300; the widest Cornell rectangle is about 97 px at 640 x 480).
pub const GRASP_MAX_WIDTH: f32 = 150.0;

/// Which part of a grasp rectangle is marked as a place to grip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QualityRegion {
    /// The middle third of the rectangle along its opening direction, the full jaw size
    /// across it (GG-CNN's `compact_polygon_coords`): the points where the gripper's
    /// centre can be, not where its jaws land.
    #[default]
    CentreThird,
    /// The whole rectangle.
    Whole,
}

/// How [`grasp_targets`] draws the maps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GraspTargetParams {
    /// The region of each rectangle marked (default: its centre third).
    pub region: QualityRegion,
    /// The opening width that maps to 1 in the width map (default [`GRASP_MAX_WIDTH`]).
    pub max_width: f32,
}

impl Default for GraspTargetParams {
    fn default() -> Self {
        Self {
            region: QualityRegion::CentreThird,
            max_width: GRASP_MAX_WIDTH,
        }
    }
}

/// The target maps of an image, each `width * height` values row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct GraspTargets {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// 1 where a good grasp may be centred, else 0.
    pub quality: Vec<f32>,
    /// `cos 2θ` of the grasp angle θ (`phi`) where `quality` is 1, else 0.
    pub cos2: Vec<f32>,
    /// `sin 2θ` where `quality` is 1, else 0.
    pub sin2: Vec<f32>,
    /// The opening width (`2 * length1`) divided by `max_width`, clamped to `[0, 1]`, where
    /// `quality` is 1, else 0.
    pub opening: Vec<f32>,
}

impl GraspTargets {
    /// The grasp angle θ in `(-π/2, π/2]` at pixel `(x, y)` from the angle maps (`None`
    /// outside the image or where the quality is 0): `atan2(sin 2θ, cos 2θ) / 2`.
    pub fn angle_at(&self, x: u32, y: u32) -> Option<f32> {
        let i = self.index(x, y)?;
        (self.quality[i] > 0.0).then(|| {
            let a = self.sin2[i].atan2(self.cos2[i]) / 2.0;
            if a <= -PI / 2.0 { a + PI } else { a }
        })
    }

    /// The position of pixel `(x, y)` in the maps, `None` outside.
    fn index(&self, x: u32, y: u32) -> Option<usize> {
        (x < self.width && y < self.height).then(|| y as usize * self.width as usize + x as usize)
    }
}

/// The target maps of the good grasp rectangles `rects` on a `width x height` image:
/// every pixel whose centre `(x + 0.5, y + 0.5)` lies in a rectangle's region (see
/// [`QualityRegion`]) gets quality 1, the rectangle's `cos 2phi`, `sin 2phi` (a grasp and
/// its half turn give the same values) and its opening width over `max_width`. Where
/// rectangles overlap, the later one wins (as in GG-CNN). Rectangles with a non-finite
/// value or without area are skipped.
pub fn grasp_targets(
    rects: &[RotatedRect],
    width: u32,
    height: u32,
    params: &GraspTargetParams,
) -> GraspTargets {
    let n = width as usize * height as usize;
    let mut t = GraspTargets {
        width,
        height,
        quality: vec![0.0; n],
        cos2: vec![0.0; n],
        sin2: vec![0.0; n],
        opening: vec![0.0; n],
    };
    for r in rects {
        if !r.is_finite() || r.length1 <= 0.0 || r.length2 <= 0.0 {
            continue;
        }
        let region = RotatedRect {
            length1: match params.region {
                QualityRegion::CentreThird => r.length1 / 3.0,
                QualityRegion::Whole => r.length1,
            },
            ..*r
        };
        let (sin2, cos2) = (2.0 * r.phi).sin_cos();
        let opening = (2.0 * r.length1 / params.max_width).clamp(0.0, 1.0);
        for_each_pixel_inside(&region, width, height, |i| {
            t.quality[i] = 1.0;
            t.cos2[i] = cos2;
            t.sin2[i] = sin2;
            t.opening[i] = opening;
        });
    }
    t
}

/// Calls `f` with the index of every pixel of a `width x height` image whose centre lies
/// inside `r` (edges included).
fn for_each_pixel_inside(r: &RotatedRect, width: u32, height: u32, mut f: impl FnMut(usize)) {
    let b = r.bounding_box();
    let range = |lo: f32, hi: f32, size: u32| {
        let lo = (lo - 0.5).floor().max(0.0) as u32;
        let hi = ((hi - 0.5).ceil().max(-1.0) + 1.0).min(size as f32) as u32;
        lo..hi
    };
    let (sin, cos) = r.phi.sin_cos();
    for y in range(b.y1, b.y2, height) {
        for x in range(b.x1, b.x2, width) {
            let (dx, dy) = (x as f32 + 0.5 - r.col, y as f32 + 0.5 - r.row);
            // The length1 axis is (cos, -sin) in (x, y), the length2 axis (sin, cos).
            let along = dx * cos - dy * sin;
            let across = dx * sin + dy * cos;
            if along.abs() <= r.length1 && across.abs() <= r.length2 {
                f(y as usize * width as usize + x as usize);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(row: f32, col: f32, phi: f32, length1: f32, length2: f32) -> RotatedRect {
        RotatedRect {
            row,
            col,
            phi,
            length1,
            length2,
        }
    }

    fn count(v: &[f32]) -> usize {
        v.iter().filter(|&&q| q > 0.0).count()
    }

    #[test]
    fn centre_third_and_whole_rectangle_areas() {
        // Opening 30 px along x, jaws 10 px: the centre third is 10 x 10 pixels.
        let r = rect(20.0, 30.0, 0.0, 15.0, 5.0);
        let third = grasp_targets(&[r], 64, 48, &GraspTargetParams::default());
        assert_eq!(count(&third.quality), 100);
        let whole = GraspTargetParams {
            region: QualityRegion::Whole,
            ..Default::default()
        };
        let all = grasp_targets(&[r], 64, 48, &whole);
        assert_eq!(count(&all.quality), 300);
        // Pixel (x 25..35, y 15..25) are the centre third.
        let at = |x: usize, y: usize| third.quality[y * 64 + x];
        assert_eq!(
            (at(25, 15), at(34, 24), at(24, 20), at(35, 20)),
            (1.0, 1.0, 0.0, 0.0)
        );
        assert!((third.opening[20 * 64 + 30] - 30.0 / GRASP_MAX_WIDTH).abs() < 1e-6);
        assert_eq!(third.cos2[20 * 64 + 30], 1.0);
        assert_eq!(third.cos2[0], 0.0);
    }

    #[test]
    fn angle_maps_hold_twice_the_angle_and_read_back() {
        for deg in [-80.0f32, -45.0, 0.0, 30.0, 89.0] {
            let phi = deg.to_radians();
            let t = grasp_targets(
                &[rect(24.0, 32.0, phi, 12.0, 6.0)],
                64,
                48,
                &GraspTargetParams::default(),
            );
            let i = 24 * 64 + 32;
            assert!((t.cos2[i] - (2.0 * phi).cos()).abs() < 1e-6);
            assert!((t.sin2[i] - (2.0 * phi).sin()).abs() < 1e-6);
            assert!((t.angle_at(32, 24).unwrap() - phi).abs() < 1e-5, "{deg}");
            // The same grasp turned by a half turn gives the same maps.
            let turned = grasp_targets(
                &[rect(24.0, 32.0, phi + PI, 12.0, 6.0)],
                64,
                48,
                &GraspTargetParams::default(),
            );
            assert!((turned.sin2[i] - t.sin2[i]).abs() < 1e-5);
        }
    }

    #[test]
    fn outside_the_image_and_degenerate_rectangles_draw_nothing_and_widths_clamp() {
        let t = grasp_targets(
            &[
                rect(-50.0, -50.0, 0.3, 10.0, 5.0),
                rect(10.0, 10.0, 0.0, 0.0, 5.0),
                rect(f32::NAN, 10.0, 0.0, 4.0, 5.0),
            ],
            32,
            32,
            &GraspTargetParams::default(),
        );
        assert_eq!(count(&t.quality), 0);
        // Cut by the edge: only the part inside; an opening wider than the maximum is 1.
        let t = grasp_targets(
            &[rect(0.0, 0.0, 0.0, 120.0, 3.0)],
            64,
            8,
            &GraspTargetParams::default(),
        );
        assert_eq!(count(&t.quality), 40 * 3);
        assert_eq!(t.opening[0], 1.0);
        assert_eq!(t.angle_at(64, 0), None);
    }
}
