//! Small fixed-size linear algebra: 3-vectors as `[f64; 3]` and row-major 3x3 matrices.

/// A point or direction in 3D (millimetres for points).
pub type Vec3 = [f64; 3];

/// `a + b`.
pub fn add(a: Vec3, b: Vec3) -> Vec3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

/// `a - b`.
pub fn sub(a: Vec3, b: Vec3) -> Vec3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

/// `s * a`.
pub fn scale(a: Vec3, s: f64) -> Vec3 {
    [a[0] * s, a[1] * s, a[2] * s]
}

/// The dot product.
pub fn dot(a: Vec3, b: Vec3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The cross product `a x b`.
pub fn cross(a: Vec3, b: Vec3) -> Vec3 {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

/// The Euclidean length.
pub fn norm(a: Vec3) -> f64 {
    dot(a, a).sqrt()
}

/// The distance between two points.
pub fn distance(a: Vec3, b: Vec3) -> f64 {
    norm(sub(a, b))
}

/// `a` scaled to length 1, or `None` when its length is zero or not finite.
pub fn normalize(a: Vec3) -> Option<Vec3> {
    let n = norm(a);
    (n > 0.0 && n.is_finite()).then(|| scale(a, 1.0 / n))
}

/// The angle between two directions in radians (0 to pi); NaN when one is zero.
pub fn angle_between(a: Vec3, b: Vec3) -> f64 {
    (dot(a, b) / (norm(a) * norm(b))).clamp(-1.0, 1.0).acos()
}

/// A 3x3 matrix, `m[row][column]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mat3(pub [[f64; 3]; 3]);

impl Mat3 {
    /// The identity matrix.
    pub const IDENTITY: Mat3 = Mat3([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]);

    /// The matrix of nine numbers in row-major order (BOP's `cam_R_m2c`, `cam_K`).
    pub fn from_row_major(m: &[f64; 9]) -> Mat3 {
        Mat3([[m[0], m[1], m[2]], [m[3], m[4], m[5]], [m[6], m[7], m[8]]])
    }

    /// The nine numbers in row-major order.
    pub fn to_row_major(&self) -> [f64; 9] {
        let m = &self.0;
        [
            m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2],
        ]
    }

    /// The rotation by `angle` radians about the x axis.
    pub fn rot_x(angle: f64) -> Mat3 {
        let (s, c) = angle.sin_cos();
        Mat3([[1.0, 0.0, 0.0], [0.0, c, -s], [0.0, s, c]])
    }

    /// The rotation by `angle` radians about the y axis.
    pub fn rot_y(angle: f64) -> Mat3 {
        let (s, c) = angle.sin_cos();
        Mat3([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])
    }

    /// The rotation by `angle` radians about the z axis.
    pub fn rot_z(angle: f64) -> Mat3 {
        let (s, c) = angle.sin_cos();
        Mat3([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
    }

    /// The matrix product `self * other`.
    pub fn mul(&self, other: &Mat3) -> Mat3 {
        let (a, b) = (&self.0, &other.0);
        let mut m = [[0.0; 3]; 3];
        for (i, row) in m.iter_mut().enumerate() {
            for (j, v) in row.iter_mut().enumerate() {
                *v = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
            }
        }
        Mat3(m)
    }

    /// The product `self * v`.
    pub fn mul_vec(&self, v: Vec3) -> Vec3 {
        let m = &self.0;
        [dot(m[0], v), dot(m[1], v), dot(m[2], v)]
    }

    /// The transpose (the inverse of a rotation).
    pub fn transpose(&self) -> Mat3 {
        let m = &self.0;
        Mat3([
            [m[0][0], m[1][0], m[2][0]],
            [m[0][1], m[1][1], m[2][1]],
            [m[0][2], m[1][2], m[2][2]],
        ])
    }

    /// The determinant.
    pub fn det(&self) -> f64 {
        let m = &self.0;
        dot(m[0], cross(m[1], m[2]))
    }

    /// The trace.
    pub fn trace(&self) -> f64 {
        self.0[0][0] + self.0[1][1] + self.0[2][2]
    }

    /// The largest absolute entry of `self - other`.
    pub fn max_abs_diff(&self, other: &Mat3) -> f64 {
        let (a, b) = (self.to_row_major(), other.to_row_major());
        a.iter()
            .zip(&b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    }

    /// Eigenvalues (ascending) and unit eigenvectors (`vectors[i]` belongs to `values[i]`)
    /// of a symmetric matrix, by cyclic Jacobi rotations.
    pub fn symmetric_eigen(&self) -> ([f64; 3], [Vec3; 3]) {
        let mut a = self.0;
        let mut v = Mat3::IDENTITY.0;
        for _ in 0..50 {
            let off = a[0][1].abs() + a[0][2].abs() + a[1][2].abs();
            if off <= 1e-15 * (a[0][0].abs() + a[1][1].abs() + a[2][2].abs()).max(1e-300) {
                break;
            }
            for (p, q) in [(0, 1), (0, 2), (1, 2)] {
                if a[p][q] == 0.0 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                // a <- J^T a J with J the rotation in the (p, q) plane.
                for row in &mut a {
                    let (akp, akq) = (row[p], row[q]);
                    row[p] = c * akp - s * akq;
                    row[q] = s * akp + c * akq;
                }
                let (row_p, row_q) = (a[p], a[q]);
                a[p] = std::array::from_fn(|k| c * row_p[k] - s * row_q[k]);
                a[q] = std::array::from_fn(|k| s * row_p[k] + c * row_q[k]);
                for row in &mut v {
                    let (vp, vq) = (row[p], row[q]);
                    row[p] = c * vp - s * vq;
                    row[q] = s * vp + c * vq;
                }
            }
        }
        let mut order = [0, 1, 2];
        order.sort_by(|&i, &j| a[i][i].total_cmp(&a[j][j]));
        let values = order.map(|i| a[i][i]);
        let vectors = order.map(|i| [v[0][i], v[1][i], v[2][i]]);
        (values, vectors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eigen_of_a_rotated_diagonal_matrix() {
        let r = Mat3::rot_x(0.3).mul(&Mat3::rot_z(1.1));
        let d = Mat3([[5.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 3.0]]);
        let m = r.mul(&d).mul(&r.transpose());
        let (values, vectors) = m.symmetric_eigen();
        for (got, want) in values.iter().zip([1.0, 3.0, 5.0]) {
            assert!((got - want).abs() < 1e-12, "{values:?}");
        }
        // The eigenvector of 1 is r's second column (up to sign).
        let col = [r.0[0][1], r.0[1][1], r.0[2][1]];
        assert!((dot(vectors[0], col).abs() - 1.0).abs() < 1e-12);
        assert!((m.mul_vec(vectors[2])[0] - 5.0 * vectors[2][0]).abs() < 1e-12);
    }

    #[test]
    fn rotations_compose_and_invert() {
        let r = Mat3::rot_y(0.7).mul(&Mat3::rot_x(-0.2));
        assert!(r.mul(&r.transpose()).max_abs_diff(&Mat3::IDENTITY) < 1e-15);
        assert!((r.det() - 1.0).abs() < 1e-15);
        let v = Mat3::rot_z(std::f64::consts::FRAC_PI_2).mul_vec([1.0, 0.0, 0.0]);
        assert!(distance(v, [0.0, 1.0, 0.0]) < 1e-15);
    }
}
