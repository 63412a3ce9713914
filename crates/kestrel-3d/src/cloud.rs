//! Point clouds with optional colour.

use crate::error::Error3d;
use crate::pose::Pose;
use crate::xyz::XyzImage;

/// A set of 3D points (millimetres) with an optional colour per point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PointCloud {
    /// The points.
    pub points: Vec<[f32; 3]>,
    /// One RGB colour per point, when known.
    pub colors: Option<Vec<[u8; 3]>>,
}

impl PointCloud {
    /// The valid points of an XYZ image, coloured from `rgb` (an image of the same size)
    /// when one is given.
    pub fn from_xyz(xyz: &XyzImage, rgb: Option<&image::RgbImage>) -> Result<Self, Error3d> {
        if let Some(img) = rgb
            && img.dimensions() != (xyz.width(), xyz.height())
        {
            return Err(Error3d::invalid(
                "point cloud colours",
                format!(
                    "colour image is {} x {} but the XYZ image is {} x {}",
                    img.width(),
                    img.height(),
                    xyz.width(),
                    xyz.height()
                ),
            ));
        }
        let mut points = Vec::new();
        let mut colors = rgb.map(|_| Vec::new());
        for (i, p) in xyz.points().iter().enumerate() {
            if p[2].is_nan() {
                continue;
            }
            points.push(*p);
            if let (Some(colors), Some(img)) = (&mut colors, rgb) {
                let w = xyz.width() as usize;
                colors.push(img.get_pixel((i % w) as u32, (i / w) as u32).0);
            }
        }
        Ok(PointCloud { points, colors })
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The cloud with every point transformed by `pose` (colours kept).
    pub fn transformed(&self, pose: &Pose) -> PointCloud {
        let points = self
            .points
            .iter()
            .map(|p| pose.apply(p.map(f64::from)).map(|v| v as f32))
            .collect();
        PointCloud {
            points,
            colors: self.colors.clone(),
        }
    }
}
