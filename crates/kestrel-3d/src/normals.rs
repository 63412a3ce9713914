//! Surface normals of an XYZ image.

use crate::linalg;
use crate::xyz::XyzImage;

/// Per pixel the unit surface normal in camera coordinates, pointing towards the camera,
/// row-major; `[NaN; 3]` where it could not be computed.
#[derive(Debug, Clone, PartialEq)]
pub struct NormalImage {
    width: u32,
    height: u32,
    normals: Vec<[f32; 3]>,
}

impl NormalImage {
    /// The normals of `xyz`: the points are first averaged over a `(2 * smoothing + 1)`
    /// square of valid neighbours (0 = no smoothing), then the normal at a pixel is the
    /// cross product of the differences between its right and left and its lower and
    /// upper neighbours. A normal is invalid where the pixel or any of those four
    /// neighbours is invalid (and at the image border).
    pub fn from_xyz(xyz: &XyzImage, smoothing: u32) -> NormalImage {
        let (w, h) = (xyz.width() as i64, xyz.height() as i64);
        let smoothed = if smoothing == 0 {
            xyz.points().to_vec()
        } else {
            box_average(xyz, i64::from(smoothing))
        };
        let at = |x: i64, y: i64| -> Option<[f64; 3]> {
            if x < 0 || y < 0 || x >= w || y >= h {
                return None;
            }
            let p = smoothed[(y * w + x) as usize];
            (!p[2].is_nan()).then(|| p.map(f64::from))
        };
        let mut normals = vec![[f32::NAN; 3]; smoothed.len()];
        for y in 0..h {
            for x in 0..w {
                let (Some(c), Some(l), Some(r), Some(u), Some(d)) = (
                    at(x, y),
                    at(x - 1, y),
                    at(x + 1, y),
                    at(x, y - 1),
                    at(x, y + 1),
                ) else {
                    continue;
                };
                let n = linalg::cross(linalg::sub(r, l), linalg::sub(d, u));
                if let Some(n) = linalg::normalize(n) {
                    let n = if linalg::dot(n, c) > 0.0 {
                        linalg::scale(n, -1.0)
                    } else {
                        n
                    };
                    normals[(y * w + x) as usize] = n.map(|v| v as f32);
                }
            }
        }
        NormalImage {
            width: xyz.width(),
            height: xyz.height(),
            normals,
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The row-major normals (invalid ones are `[NaN; 3]`).
    pub fn normals(&self) -> &[[f32; 3]] {
        &self.normals
    }

    /// The usual false-colour picture: `(n + 1) / 2` of each component as red, green,
    /// blue; invalid pixels black.
    pub fn to_rgb(&self) -> image::RgbImage {
        image::RgbImage::from_fn(self.width, self.height, |x, y| {
            let n = self.normals[y as usize * self.width as usize + x as usize];
            if n[0].is_nan() {
                image::Rgb([0; 3])
            } else {
                image::Rgb(n.map(|v| ((v + 1.0) * 127.5).round().clamp(0.0, 255.0) as u8))
            }
        })
    }
}

/// Every valid point replaced by the mean of the valid points in its `(2r + 1)` square.
fn box_average(xyz: &XyzImage, r: i64) -> Vec<[f32; 3]> {
    let (w, h) = (xyz.width() as i64, xyz.height() as i64);
    let points = xyz.points();
    let mut out = points.to_vec();
    for y in 0..h {
        for x in 0..w {
            if points[(y * w + x) as usize][2].is_nan() {
                continue;
            }
            let mut sum = [0.0f64; 3];
            let mut count = 0u32;
            for yy in (y - r).max(0)..=(y + r).min(h - 1) {
                for xx in (x - r).max(0)..=(x + r).min(w - 1) {
                    let p = points[(yy * w + xx) as usize];
                    if !p[2].is_nan() {
                        for k in 0..3 {
                            sum[k] += f64::from(p[k]);
                        }
                        count += 1;
                    }
                }
            }
            out[(y * w + x) as usize] = sum.map(|s| (s / f64::from(count)) as f32);
        }
    }
    out
}
