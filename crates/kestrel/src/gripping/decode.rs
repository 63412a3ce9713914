//! From the network's maps to gripping points: the smoothed gripping map, its regions
//! above `min_score`, and a point per region with the grasp's angle and opening width.

use super::params::GrippingParams;
use kestrel_data::grasp_angle;
use kestrel_image::{RotatedRect, gaussian_blur};
use serde::Serialize;

/// The smallest opening width a point gets, in pixels of the model's input.
const MIN_OPENING: f32 = 2.0;

/// The decoded maps of one image at the model's input size, row by row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GripMaps {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The gripping map: how suitable each pixel is as a grasp centre, in `[0, 1]`.
    pub quality: Vec<f32>,
    /// `cos 2θ` of the grasp angle θ.
    pub cos2: Vec<f32>,
    /// `sin 2θ` of the grasp angle θ.
    pub sin2: Vec<f32>,
    /// The opening width over `max_opening_width`.
    pub opening: Vec<f32>,
}

/// A gripping point in the model's input pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapPoint {
    /// The region's best pixel's centre and the grasp there: `phi` the opening direction,
    /// `length1` half the opening width, `length2` half the jaw size.
    pub rect: RotatedRect,
    /// Its smoothed gripping-map score.
    pub score: f32,
    /// The region's size in pixels.
    pub area: u32,
}

/// The gripping points of `maps`, best first: the regions of the gripping map (smoothed
/// by a Gaussian of `smoothing_sigma`) at or above `min_score` with at least
/// `min_area_size` pixels (8-connected), a point at each region's best pixel with the
/// angle and width averaged over its 3x3 neighbourhood; at most `max_num_points`.
pub fn find_points(maps: &GripMaps, params: &GrippingParams) -> Vec<MapPoint> {
    let (w, h) = (maps.width as usize, maps.height as usize);
    if w == 0 || h == 0 || maps.quality.len() != w * h {
        return Vec::new();
    }
    let smoothed = gaussian_blur(&maps.quality, w, h, params.smoothing_sigma);
    let mut seen = vec![false; w * h];
    let mut points = Vec::new();
    let mut stack = Vec::new();
    for start in 0..w * h {
        if seen[start] || smoothed[start] < params.min_score {
            continue;
        }
        seen[start] = true;
        stack.push(start);
        let (mut best, mut area) = (start, 0u32);
        while let Some(p) = stack.pop() {
            area += 1;
            if smoothed[p] > smoothed[best] {
                best = p;
            }
            let (x, y) = ((p % w) as isize, (p / w) as isize);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if nx < 0 || ny < 0 || nx >= w as isize || ny >= h as isize {
                        continue;
                    }
                    let n = ny as usize * w + nx as usize;
                    if !seen[n] && smoothed[n] >= params.min_score {
                        seen[n] = true;
                        stack.push(n);
                    }
                }
            }
        }
        if area >= params.min_area_size {
            points.push(point_at(maps, params, best, smoothed[best], area));
        }
    }
    points.sort_by(|a, b| b.score.total_cmp(&a.score));
    points.truncate(params.max_num_points);
    points
}

/// The grasp at pixel `p`: angle and width from its 3x3 neighbourhood.
fn point_at(maps: &GripMaps, params: &GrippingParams, p: usize, score: f32, area: u32) -> MapPoint {
    let w = maps.width as usize;
    let (x, y) = (p % w, p / w);
    let (mut c, mut s, mut o, mut n) = (0f32, 0f32, 0f32, 0f32);
    for ny in y.saturating_sub(1)..(y + 2).min(maps.height as usize) {
        for nx in x.saturating_sub(1)..(x + 2).min(w) {
            let i = ny * w + nx;
            c += maps.cos2[i];
            s += maps.sin2[i];
            o += maps.opening[i];
            n += 1.0;
        }
    }
    let opening = (o / n * params.max_opening_width).max(MIN_OPENING);
    MapPoint {
        rect: RotatedRect {
            row: y as f32 + 0.5,
            col: x as f32 + 0.5,
            phi: grasp_angle(f64::from(s.atan2(c) / 2.0)) as f32,
            length1: opening / 2.0,
            length2: params.jaw_size_ratio * opening / 2.0,
        },
        score,
        area,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maps(w: u32, h: u32) -> GripMaps {
        let n = (w * h) as usize;
        GripMaps {
            width: w,
            height: h,
            quality: vec![0.0; n],
            cos2: vec![1.0; n],
            sin2: vec![0.0; n],
            opening: vec![0.4; n],
        }
    }

    #[test]
    fn one_point_per_region_at_its_best_pixel_best_region_first() {
        let mut m = maps(20, 10);
        // Region A: 3x3 at (2..5, 2..5) with its best pixel (3, 3) = 0.9.
        for y in 2..5 {
            for x in 2..5 {
                m.quality[y * 20 + x] = 0.7;
            }
        }
        m.quality[3 * 20 + 3] = 0.9;
        // Region B: 2x2 at (12..14, 6..8), 0.95, with angle 45°.
        for y in 6..8 {
            for x in 12..14 {
                m.quality[y * 20 + x] = 0.95;
                m.cos2[y * 20 + x] = 0.0;
                m.sin2[y * 20 + x] = 1.0;
            }
        }
        // A single pixel: too small.
        m.quality[9 * 20 + 19] = 0.99;
        let params = GrippingParams {
            smoothing_sigma: 0.0,
            ..Default::default()
        };
        let points = find_points(&m, &params);
        assert_eq!(points.len(), 2, "{points:?}");
        assert_eq!((points[0].score, points[0].area), (0.95, 4));
        assert_eq!((points[1].rect.row, points[1].rect.col), (3.5, 3.5));
        assert_eq!(points[1].area, 9);
        assert!((points[1].rect.phi).abs() < 1e-6);
        // The 3x3 neighbourhood of B's best pixel mixes 45° with 0°: between them.
        assert!(points[0].rect.phi > 0.2 && points[0].rect.phi < std::f32::consts::FRAC_PI_4 + 1e-6);
        assert!((points[1].rect.length1 - 0.4 * 75.0 / 2.0).abs() < 1e-4);
        assert!((points[1].rect.length2 - points[1].rect.length1 * 0.5).abs() < 1e-4);
        let one = GrippingParams {
            max_num_points: 1,
            ..params
        };
        assert_eq!(find_points(&m, &one).len(), 1);
    }
}
