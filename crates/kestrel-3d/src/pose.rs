//! Rigid transforms (rotation + translation in millimetres) and their conversions.
//!
//! A [`Pose`] maps points of one frame into another: `p' = R p + t`. A BOP ground-truth
//! pose (`cam_R_m2c`, `cam_t_m2c`) maps model points to camera points, and so does a
//! HALCON pose of an object in camera coordinates.
//!
//! **HALCON's pose convention.** HALCON writes a pose as seven numbers
//! `[tx, ty, tz, alpha, beta, gamma, type]`: translation in **metres**, three rotation
//! angles in **degrees**, and a type code. Kestrel reads and writes the two codes whose
//! transformation is `p' = R p + t` (HALCON `'Rp+T'`, `'point'`):
//! - type 0 (`'gba'`, HALCON's default): `R = Rx(alpha) * Ry(beta) * Rz(gamma)`;
//! - type 2 (`'abg'`): `R = Rz(gamma) * Ry(beta) * Rx(alpha)`.
//!
//! Other codes (Rodriguez vectors, `'R(p-T)'`, `'coordinate_system'`) are reported as
//! errors.

use crate::error::Error3d;
use crate::linalg::{self, Mat3, Vec3};

/// How far `RᵀR` may be from the identity (largest entry) and `det R` from 1 for a matrix
/// to be accepted as a rotation. Real annotations are not exact: LM-O's ground-truth
/// rotations deviate by up to 1.9e-3. An accepted matrix is kept as given.
pub const ROTATION_TOLERANCE: f64 = 1e-2;

/// A rigid transform `p' = R p + t`, with `R` a rotation and `t` in millimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    rotation: Mat3,
    translation: Vec3,
}

impl Pose {
    /// The identity transform.
    pub const IDENTITY: Pose = Pose {
        rotation: Mat3::IDENTITY,
        translation: [0.0; 3],
    };

    /// A pose from a rotation matrix and a translation; an error naming `what` when `r`
    /// is not a rotation within [`ROTATION_TOLERANCE`] (a reflection, a scaled or
    /// sheared matrix, non-finite entries) or `t` is not finite.
    pub fn new(what: &str, rotation: Mat3, translation: Vec3) -> Result<Pose, Error3d> {
        check_rotation(what, &rotation)?;
        if translation.iter().any(|v| !v.is_finite()) {
            return Err(Error3d::invalid(
                what,
                format!("translation {translation:?} is not finite"),
            ));
        }
        Ok(Pose {
            rotation,
            translation,
        })
    }

    /// A pure translation.
    pub fn from_translation(translation: Vec3) -> Pose {
        Pose {
            rotation: Mat3::IDENTITY,
            translation,
        }
    }

    /// A pose from a row-major rotation and a translation (BOP's `cam_R_m2c` and
    /// `cam_t_m2c`).
    pub fn from_row_major(what: &str, r: &[f64; 9], t: &[f64; 3]) -> Result<Pose, Error3d> {
        Pose::new(what, Mat3::from_row_major(r), *t)
    }

    /// A pose from a row-major 4x4 homogeneous matrix (BOP's `symmetries_discrete`); the
    /// last row must be `0 0 0 1`.
    pub fn from_matrix4(what: &str, m: &[f64; 16]) -> Result<Pose, Error3d> {
        if m[12..] != [0.0, 0.0, 0.0, 1.0] {
            return Err(Error3d::invalid(
                what,
                format!("last row {:?} is not 0 0 0 1", &m[12..]),
            ));
        }
        let r = [m[0], m[1], m[2], m[4], m[5], m[6], m[8], m[9], m[10]];
        Pose::from_row_major(what, &r, &[m[3], m[7], m[11]])
    }

    /// The row-major 4x4 homogeneous matrix.
    pub fn to_matrix4(&self) -> [f64; 16] {
        let (r, t) = (&self.rotation.0, self.translation);
        [
            r[0][0], r[0][1], r[0][2], t[0], r[1][0], r[1][1], r[1][2], t[1], r[2][0], r[2][1],
            r[2][2], t[2], 0.0, 0.0, 0.0, 1.0,
        ]
    }

    /// The rotation by `angle` radians about `axis` (right-handed), then the translation;
    /// a zero or non-finite axis is an error.
    pub fn from_axis_angle(axis: Vec3, angle: f64, translation: Vec3) -> Result<Pose, Error3d> {
        let Some([x, y, z]) = linalg::normalize(axis) else {
            return Err(Error3d::invalid(
                "axis-angle rotation",
                format!("axis {axis:?} has no direction"),
            ));
        };
        let (s, c) = angle.sin_cos();
        let k = 1.0 - c;
        let r = Mat3([
            [c + x * x * k, x * y * k - z * s, x * z * k + y * s],
            [y * x * k + z * s, c + y * y * k, y * z * k - x * s],
            [z * x * k - y * s, z * y * k + x * s, c + z * z * k],
        ]);
        Pose::new("axis-angle rotation", r, translation)
    }

    /// The rotation as a unit axis and an angle in radians (0 to pi); the axis is
    /// `[0, 0, 1]` for the identity.
    pub fn axis_angle(&self) -> (Vec3, f64) {
        let [w, x, y, z] = self.quaternion();
        let sin_half = (x * x + y * y + z * z).sqrt();
        let angle = 2.0 * sin_half.atan2(w);
        match linalg::normalize([x, y, z]) {
            Some(axis) if sin_half > 1e-12 => (axis, angle),
            _ => ([0.0, 0.0, 1.0], 0.0),
        }
    }

    /// The pose of a quaternion `[w, x, y, z]` (normalised here; a zero one is an error)
    /// and a translation.
    pub fn from_quaternion(q: [f64; 4], translation: Vec3) -> Result<Pose, Error3d> {
        let n = q.iter().map(|v| v * v).sum::<f64>().sqrt();
        if !(n > 0.0 && n.is_finite()) {
            return Err(Error3d::invalid(
                "quaternion",
                format!("{q:?} has no direction"),
            ));
        }
        let [w, x, y, z] = q.map(|v| v / n);
        let r = Mat3([
            [
                1.0 - 2.0 * (y * y + z * z),
                2.0 * (x * y - w * z),
                2.0 * (x * z + w * y),
            ],
            [
                2.0 * (x * y + w * z),
                1.0 - 2.0 * (x * x + z * z),
                2.0 * (y * z - w * x),
            ],
            [
                2.0 * (x * z - w * y),
                2.0 * (y * z + w * x),
                1.0 - 2.0 * (x * x + y * y),
            ],
        ]);
        Pose::new("quaternion", r, translation)
    }

    /// The rotation as a unit quaternion `[w, x, y, z]` with `w >= 0`.
    pub fn quaternion(&self) -> [f64; 4] {
        let m = &self.rotation.0;
        let trace = self.rotation.trace();
        // Shepperd's method: divide by the largest of the four candidates.
        let q = if trace > 0.0 {
            let s = (trace + 1.0).sqrt() * 2.0;
            [
                0.25 * s,
                (m[2][1] - m[1][2]) / s,
                (m[0][2] - m[2][0]) / s,
                (m[1][0] - m[0][1]) / s,
            ]
        } else if m[0][0] > m[1][1] && m[0][0] > m[2][2] {
            let s = (1.0 + m[0][0] - m[1][1] - m[2][2]).sqrt() * 2.0;
            [
                (m[2][1] - m[1][2]) / s,
                0.25 * s,
                (m[0][1] + m[1][0]) / s,
                (m[0][2] + m[2][0]) / s,
            ]
        } else if m[1][1] > m[2][2] {
            let s = (1.0 + m[1][1] - m[0][0] - m[2][2]).sqrt() * 2.0;
            [
                (m[0][2] - m[2][0]) / s,
                (m[0][1] + m[1][0]) / s,
                0.25 * s,
                (m[1][2] + m[2][1]) / s,
            ]
        } else {
            let s = (1.0 + m[2][2] - m[0][0] - m[1][1]).sqrt() * 2.0;
            [
                (m[1][0] - m[0][1]) / s,
                (m[0][2] + m[2][0]) / s,
                (m[1][2] + m[2][1]) / s,
                0.25 * s,
            ]
        };
        let n = q.iter().map(|v| v * v).sum::<f64>().sqrt();
        let sign = if q[0] < 0.0 { -1.0 } else { 1.0 };
        q.map(|v| sign * v / n)
    }

    /// A pose from HALCON's seven numbers (see the module documentation: metres, degrees,
    /// type 0 or 2).
    pub fn from_halcon(p: &[f64; 7]) -> Result<Pose, Error3d> {
        let [a, b, g] = [p[3], p[4], p[5]].map(f64::to_radians);
        let r = match p[6] {
            0.0 => Mat3::rot_x(a).mul(&Mat3::rot_y(b)).mul(&Mat3::rot_z(g)),
            2.0 => Mat3::rot_z(g).mul(&Mat3::rot_y(b)).mul(&Mat3::rot_x(a)),
            code => {
                return Err(Error3d::invalid(
                    "HALCON pose",
                    format!(
                        "type {code} is not supported (only 0 = Rp+T gba point and 2 = Rp+T abg point)"
                    ),
                ));
            }
        };
        Pose::new(
            "HALCON pose",
            r,
            [p[0] * 1000.0, p[1] * 1000.0, p[2] * 1000.0],
        )
    }

    /// HALCON's seven numbers of type 0 (`'Rp+T'`, `'gba'`, `'point'`): translation in
    /// metres, angles in degrees in (-180, 180].
    pub fn to_halcon(&self) -> [f64; 7] {
        let m = &self.rotation.0;
        // R = Rx(a) Ry(b) Rz(c): R02 = sin b, R12 = -sin a cos b, R22 = cos a cos b,
        // R01 = -cos b sin c, R00 = cos b cos c.
        let b = m[0][2].clamp(-1.0, 1.0).asin();
        let (a, c) = if m[0][2].abs() < 1.0 - 1e-12 {
            ((-m[1][2]).atan2(m[2][2]), (-m[0][1]).atan2(m[0][0]))
        } else {
            // Gimbal lock: only a +- c is defined; take c = 0.
            (m[2][1].atan2(m[1][1]), 0.0)
        };
        let t = self.translation;
        [
            t[0] / 1000.0,
            t[1] / 1000.0,
            t[2] / 1000.0,
            a.to_degrees(),
            b.to_degrees(),
            c.to_degrees(),
            0.0,
        ]
    }

    /// The rotation matrix.
    pub fn rotation(&self) -> &Mat3 {
        &self.rotation
    }

    /// The translation in millimetres.
    pub fn translation(&self) -> Vec3 {
        self.translation
    }

    /// `self ∘ other`: the transform that applies `other` first, then `self`.
    pub fn compose(&self, other: &Pose) -> Pose {
        Pose {
            rotation: self.rotation.mul(&other.rotation),
            translation: linalg::add(self.rotation.mul_vec(other.translation), self.translation),
        }
    }

    /// The inverse transform.
    pub fn inverse(&self) -> Pose {
        let rt = self.rotation.transpose();
        Pose {
            rotation: rt,
            translation: linalg::scale(rt.mul_vec(self.translation), -1.0),
        }
    }

    /// The transformed point `R p + t`.
    pub fn apply(&self, p: Vec3) -> Vec3 {
        linalg::add(self.rotation.mul_vec(p), self.translation)
    }

    /// The rotated direction `R d` (no translation).
    pub fn rotate(&self, d: Vec3) -> Vec3 {
        self.rotation.mul_vec(d)
    }
}

/// An error naming `what` unless `r` is a rotation within [`ROTATION_TOLERANCE`].
pub fn check_rotation(what: &str, r: &Mat3) -> Result<(), Error3d> {
    let not_rotation = |message: String| Error3d::NotRotation {
        what: what.to_string(),
        message,
    };
    if r.to_row_major().iter().any(|v| !v.is_finite()) {
        return Err(not_rotation(format!(
            "entries {:?} are not finite",
            r.to_row_major()
        )));
    }
    let off = r.transpose().mul(r).max_abs_diff(&Mat3::IDENTITY);
    if off > ROTATION_TOLERANCE {
        return Err(not_rotation(format!(
            "R^T R differs from the identity by up to {off:.3e} (tolerance {ROTATION_TOLERANCE:e})"
        )));
    }
    let det = r.det();
    if (det - 1.0).abs() > ROTATION_TOLERANCE {
        return Err(not_rotation(format!(
            "determinant {det:.6} (a reflection when -1)"
        )));
    }
    Ok(())
}
