//! The 3D side of a gripping point: its position from the XYZ image, the surface normal
//! there, and the gripper's pose (approach along the normal, jaws along the grasp angle).

use kestrel_3d::linalg::{cross, dot, normalize, scale, sub};
use kestrel_3d::{Intrinsics, Mat3, NormalImage, Pose, Vec3, XyzImage};
use serde::Serialize;

/// How far (pixels of the XYZ image) a point without valid XYZ looks for the nearest valid
/// one.
const SEARCH_RADIUS: i64 = 5;

/// A gripping point in 3D (camera coordinates, millimetres).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GripPose3d {
    /// The surface point (the XYZ image at the point's pixel, or the nearest valid pixel
    /// within 5 pixels).
    pub position: Vec3,
    /// The pixel `(row, col)` whose XYZ gave `position` (integer pixel indices).
    pub xyz_pixel: [u32; 2],
    /// The unit surface normal there, pointing towards the camera.
    pub normal: Vec3,
    /// The gripper's pose in the camera frame (BOP's `cam_R_m2c`, row-major): its z axis
    /// is the approach direction (into the surface, `-normal`), its x axis the direction
    /// from one jaw to the other, at the grasp angle.
    pub cam_r_g2c: [f64; 9],
    /// The pose's translation: `position`.
    pub cam_t_g2c: Vec3,
    /// The same pose in HALCON's form (translation, then rotation angles in degrees, type
    /// 0 for `Rp+T`, `gba`).
    pub halcon_pose: [f64; 7],
    /// The opening width in millimetres at the point's depth.
    pub opening_width_mm: f64,
}

/// The 3D gripping pose at the continuous image position `(row, col)` (pixel `(r, c)`
/// covering `[r, r + 1) x [c, c + 1)`), with the grasp angle `phi` (opening direction,
/// counter-clockwise on screen) and opening width `opening_px`, all in the XYZ image's
/// pixels. `None` when no valid point or normal is within 5 pixels.
pub fn grip_pose(
    xyz: &XyzImage,
    normals: &NormalImage,
    camera: &Intrinsics,
    (row, col): (f64, f64),
    phi: f64,
    opening_px: f64,
) -> Option<GripPose3d> {
    let (px, py) = (col.floor() as i64, row.floor() as i64);
    let (x, y) = nearest_valid(xyz, normals, px, py)?;
    let position = xyz.get(x, y)?.map(f64::from);
    let normal = normalize(normals.normals()[(y * xyz.width() + x) as usize].map(f64::from))?;
    let approach = scale(normal, -1.0);
    // The opening direction on screen, lifted to a 3D direction at the point's depth and
    // made perpendicular to the approach.
    let (u, v) = (col - 0.5, row - 0.5);
    let step = [phi.cos(), -phi.sin()];
    let ahead = camera.unproject(u + step[0], v + step[1], position[2]);
    let here = camera.unproject(u, v, position[2]);
    let along = sub(ahead, here);
    let x_axis = normalize(sub(along, scale(approach, dot(along, approach))))?;
    let y_axis = cross(approach, x_axis);
    let rotation = Mat3([
        [x_axis[0], y_axis[0], approach[0]],
        [x_axis[1], y_axis[1], approach[1]],
        [x_axis[2], y_axis[2], approach[2]],
    ]);
    let pose = Pose::new("gripping pose", rotation, position).ok()?;
    Some(GripPose3d {
        position,
        xyz_pixel: [y, x],
        normal,
        cam_r_g2c: rotation.to_row_major(),
        cam_t_g2c: position,
        halcon_pose: pose.to_halcon(),
        opening_width_mm: opening_px * position[2] / camera.fx,
    })
}

/// The pixel nearest to `(x, y)` (by squared distance, then row-major order) within
/// [`SEARCH_RADIUS`] with a valid point and normal.
fn nearest_valid(xyz: &XyzImage, normals: &NormalImage, x: i64, y: i64) -> Option<(u32, u32)> {
    let (w, h) = (i64::from(xyz.width()), i64::from(xyz.height()));
    let valid = |x: i64, y: i64| {
        x >= 0
            && y >= 0
            && x < w
            && y < h
            && xyz.get(x as u32, y as u32).is_some_and(|p| p[2].is_finite())
            && normals.normals()[(y * w + x) as usize][2].is_finite()
    };
    let mut best: Option<(i64, i64, i64)> = None;
    for dy in -SEARCH_RADIUS..=SEARCH_RADIUS {
        for dx in -SEARCH_RADIUS..=SEARCH_RADIUS {
            let d = dx * dx + dy * dy;
            if d <= SEARCH_RADIUS * SEARCH_RADIUS
                && valid(x + dx, y + dy)
                && best.is_none_or(|(bd, _, _)| d < bd)
            {
                best = Some((d, x + dx, y + dy));
            }
        }
    }
    best.map(|(_, x, y)| (x as u32, y as u32))
}
