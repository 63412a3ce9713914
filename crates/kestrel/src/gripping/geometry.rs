//! The network's geometry input: a scene's points as heights above its dominant plane (the
//! table or bin floor), at the model's input size, with the share of valid depth per pixel.

use kestrel_3d::{RansacParams, XyzImage, fit_plane};
use kestrel_image::ImageF32;

/// Millimetres per unit of the height channel (a decimetre).
const HEIGHT_UNIT_MM: f64 = 100.0;

/// Heights are clamped to `±MAX_HEIGHT` units.
const MAX_HEIGHT: f64 = 3.0;

/// The geometry of a scene for the network, `width x height`, two interleaved channels:
/// the height of each point above the scene's dominant plane (RANSAC, 5 mm; towards the
/// camera is up) in decimetres, clamped to ±3 and averaged over the valid points in each
/// pixel's cell of the XYZ image, and the share of valid points in the cell (0 where the
/// depth camera saw nothing; the height is 0 there). Heights above the plane, not depths,
/// so the camera's distance and tilt change little. Without a plane (fewer than three
/// valid points) every height is 0.
pub fn geometry_input(xyz: &XyzImage, width: u32, height: u32) -> ImageF32 {
    let (src_w, src_h) = (xyz.width() as usize, xyz.height() as usize);
    let (w, h) = (width as usize, height as usize);
    let mut out = ImageF32::zeros(width, height, 2);
    if src_w == 0 || src_h == 0 || w == 0 || h == 0 {
        return out;
    }
    let plane = fit_plane(xyz.points(), &RansacParams::default())
        .ok()
        .map(|fit| fit.plane);
    let mut sum = vec![0f64; w * h];
    let mut valid = vec![0u32; w * h];
    let mut total = vec![0u32; w * h];
    for y in 0..src_h {
        let oy = (y * h / src_h).min(h - 1);
        for x in 0..src_w {
            let ox = (x * w / src_w).min(w - 1);
            let cell = oy * w + ox;
            total[cell] += 1;
            let p = xyz.points()[y * src_w + x];
            if p[2].is_finite() {
                let up = plane.map_or(0.0, |plane| plane.distance(p.map(f64::from)));
                sum[cell] += (up / HEIGHT_UNIT_MM).clamp(-MAX_HEIGHT, MAX_HEIGHT);
                valid[cell] += 1;
            }
        }
    }
    for cell in 0..w * h {
        if valid[cell] > 0 {
            out.data[cell * 2] = (sum[cell] / f64::from(valid[cell])) as f32;
        }
        if total[cell] > 0 {
            out.data[cell * 2 + 1] = valid[cell] as f32 / total[cell] as f32;
        }
    }
    out
}

/// The geometry image's two channels as planar `[2, H, W]` values.
pub fn geometry_planes(geometry: &ImageF32) -> Vec<f32> {
    let plane = geometry.width as usize * geometry.height as usize;
    let mut out = vec![0f32; 2 * plane];
    for (p, px) in geometry.data.chunks_exact(2).enumerate() {
        out[p] = px[0];
        out[plane + p] = px[1];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_are_above_the_dominant_plane_and_invalid_cells_are_marked() {
        // A tilted table (z = 600 + x) seen in a 40x20 image, with a 100 mm box on the
        // 10x10 pixels at the top left and one invalid pixel at the bottom right.
        let (w, h) = (40u32, 20u32);
        let mut z = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let table = 600.0 + x as f32;
                z.push(if x < 10 && y < 10 { table - 100.0 } else { table });
            }
        }
        z[(w * h - 1) as usize] = f32::NAN;
        let n = (w * h) as usize;
        // Points on the plane z = 600 + x with x, y spread so the plane is tilted in 3D.
        let xs: Vec<f32> = (0..n).map(|i| (i as u32 % w) as f32).collect();
        let ys: Vec<f32> = (0..n).map(|i| (i as u32 / w) as f32).collect();
        let xyz = XyzImage::from_channels(w, h, &xs, &ys, &z).unwrap();
        let g = geometry_input(&xyz, 4, 2);
        let at = |x: usize, y: usize, c: usize| g.data[(y * 4 + x) * 2 + c];
        // The box's cell: 100 mm towards the camera from a plane tilted by 45° is
        // 100 / sqrt(2) mm above it.
        assert!((at(0, 0, 0) - std::f32::consts::FRAC_1_SQRT_2).abs() < 0.01, "{:?}", g.data);
        assert!(at(1, 0, 0).abs() < 1e-3 && at(3, 1, 0).abs() < 1e-3);
        assert_eq!(at(0, 0, 1), 1.0);
        assert!((at(3, 1, 1) - 0.99).abs() < 1e-6);
        let planes = geometry_planes(&g);
        assert_eq!(planes[0], at(0, 0, 0));
        assert_eq!(planes[8 + 7], at(3, 1, 1));
    }
}
