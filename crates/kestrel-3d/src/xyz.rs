//! X/Y/Z images: the camera point seen at every pixel.

use crate::camera::Intrinsics;
use crate::depth::DepthImage;
use crate::error::Error3d;

/// Per pixel the camera point `(x, y, z)` in millimetres (HALCON's three X, Y, Z images
/// in one), row-major; an invalid pixel is `[NaN; 3]`.
#[derive(Debug, Clone, PartialEq)]
pub struct XyzImage {
    width: u32,
    height: u32,
    points: Vec<[f32; 3]>,
}

impl XyzImage {
    /// Lifts a depth image to camera points with `camera`; invalid depths stay invalid.
    /// An error when the depth image's size is not the camera's.
    pub fn from_depth(depth: &DepthImage, camera: &Intrinsics) -> Result<Self, Error3d> {
        camera.check_size("depth image", depth.width(), depth.height())?;
        let w = depth.width() as usize;
        let points = depth
            .data()
            .iter()
            .enumerate()
            .map(|(i, &z)| {
                if z.is_nan() {
                    return [f32::NAN; 3];
                }
                let p = camera.unproject((i % w) as f64, (i / w) as f64, f64::from(z));
                [p[0] as f32, p[1] as f32, p[2] as f32]
            })
            .collect();
        Ok(XyzImage {
            width: depth.width(),
            height: depth.height(),
            points,
        })
    }

    /// Lifts a range image, whose values are distances from the camera centre along each
    /// pixel's ray (millimetres) rather than depths along the optical axis, to camera
    /// points with `camera`; invalid values stay invalid. This is what the Cornell
    /// grasping depth images hold (made from the point clouds as `sqrt(x² + y² + z²)`).
    /// An error when the image's size is not the camera's.
    pub fn from_range(range: &DepthImage, camera: &Intrinsics) -> Result<Self, Error3d> {
        camera.check_size("range image", range.width(), range.height())?;
        let w = range.width() as usize;
        let points = range
            .data()
            .iter()
            .enumerate()
            .map(|(i, &r)| {
                if r.is_nan() {
                    return [f32::NAN; 3];
                }
                let ray = camera.unproject((i % w) as f64, (i / w) as f64, 1.0);
                let p = crate::linalg::scale(ray, f64::from(r) / crate::linalg::norm(ray));
                [p[0] as f32, p[1] as f32, p[2] as f32]
            })
            .collect();
        Ok(XyzImage {
            width: range.width(),
            height: range.height(),
            points,
        })
    }

    /// An XYZ image from row-major X, Y and Z images (millimetres); a pixel is invalid
    /// when any of its three values is not finite or z is not positive.
    pub fn from_channels(
        width: u32,
        height: u32,
        x: &[f32],
        y: &[f32],
        z: &[f32],
    ) -> Result<Self, Error3d> {
        let n = width as usize * height as usize;
        if x.len() != n || y.len() != n || z.len() != n {
            return Err(Error3d::invalid(
                "X/Y/Z images",
                format!(
                    "{}, {} and {} values for {width} x {height} pixels",
                    x.len(),
                    y.len(),
                    z.len()
                ),
            ));
        }
        let points = (0..n)
            .map(|i| {
                let p = [x[i], y[i], z[i]];
                if p.iter().all(|v| v.is_finite()) && p[2] > 0.0 {
                    p
                } else {
                    [f32::NAN; 3]
                }
            })
            .collect();
        Ok(XyzImage {
            width,
            height,
            points,
        })
    }

    /// The depth image (z of every point), the inverse of [`XyzImage::from_depth`].
    pub fn to_depth(&self) -> DepthImage {
        let z = self.points.iter().map(|p| p[2]).collect();
        DepthImage::from_raw_parts(self.width, self.height, z)
    }

    /// One coordinate as an image (0 = X, 1 = Y, 2 = Z), NaN where invalid.
    pub fn channel(&self, axis: usize) -> Vec<f32> {
        self.points.iter().map(|p| p[axis.min(2)]).collect()
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The row-major points (invalid ones are `[NaN; 3]`).
    pub fn points(&self) -> &[[f32; 3]] {
        &self.points
    }

    /// The point at column `x`, row `y`; `None` when invalid or outside the image.
    pub fn get(&self, x: u32, y: u32) -> Option<[f32; 3]> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let p = self.points[y as usize * self.width as usize + x as usize];
        (!p[2].is_nan()).then_some(p)
    }

    /// The valid points, in pixel order.
    pub fn valid_points(&self) -> Vec<[f32; 3]> {
        self.points
            .iter()
            .copied()
            .filter(|p| !p[2].is_nan())
            .collect()
    }
}
