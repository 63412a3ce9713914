//! Pinhole camera intrinsics (no distortion) and the pixel convention.

use crate::error::Error3d;
use crate::linalg::Vec3;

/// A distortion-free pinhole camera with its image size.
///
/// Pixel convention (OpenCV, BOP): the centre of pixel column `i`, row `j` is at image
/// coordinates `(u, v) = (i, j)`; a camera point `(x, y, z)` (z along the optical axis, y
/// down, millimetres) projects to `u = fx * x / z + cx`, `v = fy * y / z + cy`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Intrinsics {
    /// Focal length along the image columns, in pixels.
    pub fx: f64,
    /// Focal length along the image rows, in pixels.
    pub fy: f64,
    /// Principal point column, in pixels.
    pub cx: f64,
    /// Principal point row, in pixels.
    pub cy: f64,
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
}

impl Intrinsics {
    /// A camera; the focal lengths must be positive and finite, the principal point finite
    /// and the image not empty.
    pub fn new(
        fx: f64,
        fy: f64,
        cx: f64,
        cy: f64,
        width: u32,
        height: u32,
    ) -> Result<Self, Error3d> {
        let bad = if !(fx > 0.0 && fx.is_finite() && fy > 0.0 && fy.is_finite()) {
            Some(format!(
                "focal lengths fx = {fx}, fy = {fy} must be positive and finite"
            ))
        } else if !(cx.is_finite() && cy.is_finite()) {
            Some(format!("principal point ({cx}, {cy}) is not finite"))
        } else if width == 0 || height == 0 {
            Some(format!("image size {width} x {height} is empty"))
        } else {
            None
        };
        match bad {
            Some(message) => Err(Error3d::invalid("camera intrinsics", message)),
            None => Ok(Intrinsics {
                fx,
                fy,
                cx,
                cy,
                width,
                height,
            }),
        }
    }

    /// The camera of a row-major 3x3 matrix `K = [fx 0 cx; 0 fy cy; 0 0 1]` (BOP's
    /// `cam_K`); a skew or a last row other than `0 0 1` is an error.
    pub fn from_k(k: &[f64; 9], width: u32, height: u32) -> Result<Self, Error3d> {
        if k[1] != 0.0 || k[3] != 0.0 || k[6] != 0.0 || k[7] != 0.0 || k[8] != 1.0 {
            return Err(Error3d::invalid(
                "camera matrix K",
                format!("{k:?} is not of the form [fx 0 cx 0 fy cy 0 0 1]"),
            ));
        }
        Intrinsics::new(k[0], k[4], k[2], k[5], width, height)
    }

    /// The row-major 3x3 camera matrix `K`.
    pub fn k(&self) -> [f64; 9] {
        [self.fx, 0.0, self.cx, 0.0, self.fy, self.cy, 0.0, 0.0, 1.0]
    }

    /// The image coordinates `(u, v)` of camera point `p`, or `None` when `p` is not in
    /// front of the camera (`z <= 0`). The result may lie outside the image.
    pub fn project(&self, p: Vec3) -> Option<[f64; 2]> {
        (p[2] > 0.0).then(|| {
            [
                self.fx * p[0] / p[2] + self.cx,
                self.fy * p[1] / p[2] + self.cy,
            ]
        })
    }

    /// The camera point at depth `z` (along the optical axis) seen at image coordinates
    /// `(u, v)`.
    pub fn unproject(&self, u: f64, v: f64, z: f64) -> Vec3 {
        [(u - self.cx) / self.fx * z, (v - self.cy) / self.fy * z, z]
    }

    /// The same camera for an image cropped or padded so that pixel `(dx, dy)` of this
    /// image becomes pixel `(0, 0)`, with the new size (a negative offset pads).
    pub fn shifted(&self, dx: f64, dy: f64, width: u32, height: u32) -> Result<Self, Error3d> {
        Intrinsics::new(self.fx, self.fy, self.cx - dx, self.cy - dy, width, height)
    }

    /// An error naming `what` unless an image of `width` x `height` has this camera's size.
    pub fn check_size(&self, what: &str, width: u32, height: u32) -> Result<(), Error3d> {
        if (width, height) == (self.width, self.height) {
            Ok(())
        } else {
            Err(Error3d::invalid(
                what,
                format!(
                    "image is {width} x {height} but its camera intrinsics are for {} x {}",
                    self.width, self.height
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_and_unproject_are_inverse() {
        let cam = Intrinsics::new(585.0, 585.0, 320.0, 240.0, 640, 480).unwrap();
        let p = [100.0, -50.0, 800.0];
        let [u, v] = cam.project(p).unwrap();
        assert!((u - (320.0 + 585.0 * 0.125)).abs() < 1e-12);
        let q = cam.unproject(u, v, 800.0);
        assert!(crate::linalg::distance(p, q) < 1e-9);
        assert!(cam.project([0.0, 0.0, -1.0]).is_none());
    }

    #[test]
    fn bad_cameras_are_errors() {
        assert!(Intrinsics::new(0.0, 1.0, 0.0, 0.0, 1, 1).is_err());
        assert!(Intrinsics::new(1.0, 1.0, f64::NAN, 0.0, 1, 1).is_err());
        assert!(Intrinsics::new(1.0, 1.0, 0.0, 0.0, 0, 1).is_err());
        let skewed = [500.0, 1.0, 320.0, 0.0, 500.0, 240.0, 0.0, 0.0, 1.0];
        let e = Intrinsics::from_k(&skewed, 640, 480)
            .unwrap_err()
            .to_string();
        assert!(e.contains("camera matrix K"), "{e}");
    }
}
