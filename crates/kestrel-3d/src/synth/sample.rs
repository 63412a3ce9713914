//! Random draws: each image's own generator, ranges, normal values and rotations.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::linalg::{self, Mat3, Vec3};

/// The random generator of image `index`: ChaCha8 seeded with `seed`, on stream `index`.
/// Every draw for an image comes from it in a fixed order, so an image is the same
/// whatever other images are rendered, in which order and on how many threads.
pub fn image_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(index);
    rng
}

/// A value drawn uniformly from `[min, max]` (exactly `min` when they are equal).
pub(super) fn uniform(rng: &mut ChaCha8Rng, [min, max]: [f64; 2]) -> f64 {
    let u: f64 = rng.random();
    min + (max - min) * u
}

/// A whole number drawn uniformly from `[min, max]`, both included.
pub(super) fn uniform_count(rng: &mut ChaCha8Rng, [min, max]: [u32; 2]) -> u32 {
    rng.random_range(min..=max)
}

/// A rotation drawn uniformly (a uniform unit quaternion, Shoemake's method).
pub(super) fn uniform_rotation(rng: &mut ChaCha8Rng) -> Mat3 {
    let (u1, u2, u3): (f64, f64, f64) = (rng.random(), rng.random(), rng.random());
    let (a, b) = ((1.0 - u1).sqrt(), u1.sqrt());
    let (t2, t3) = (std::f64::consts::TAU * u2, std::f64::consts::TAU * u3);
    let (w, x, y, z) = (b * t3.cos(), a * t2.sin(), a * t2.cos(), b * t3.sin());
    Mat3([
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
    ])
}

/// The model-to-camera rotation of a camera that sees the model from `view` (a unit
/// direction in model coordinates, from the model towards the camera) with the model's
/// +z pointing up in the image (towards -y), then turned by `inplane` radians about the
/// optical axis. Looking straight down or up the z axis, the model's +y is up instead.
pub(super) fn view_rotation(view: Vec3, inplane: f64) -> Mat3 {
    let z = linalg::scale(view, -1.0);
    let up_of = |up: Vec3| linalg::normalize(linalg::sub(up, linalg::scale(z, linalg::dot(up, z))));
    let up = up_of([0.0, 0.0, 1.0])
        .filter(|_| linalg::norm(linalg::cross(view, [0.0, 0.0, 1.0])) > 1e-6)
        .or_else(|| up_of([0.0, 1.0, 0.0]))
        .unwrap_or([0.0, 1.0, 0.0]);
    let y = linalg::scale(up, -1.0);
    let x = linalg::cross(y, z);
    Mat3::rot_z(inplane).mul(&Mat3([x, y, z]))
}

/// The rotation about an axis through the camera centre that turns the optical axis
/// `[0, 0, 1]` into the unit direction `ray`.
pub(super) fn ray_rotation(ray: Vec3) -> Mat3 {
    let axis = linalg::cross([0.0, 0.0, 1.0], ray);
    let s = linalg::norm(axis);
    let c = ray[2];
    if s < 1e-12 {
        return Mat3::IDENTITY;
    }
    let [kx, ky, kz] = linalg::scale(axis, 1.0 / s);
    // Rodrigues: R = I + sin K + (1 - cos) K².
    let k = Mat3([[0.0, -kz, ky], [kz, 0.0, -kx], [-ky, kx, 0.0]]);
    let k2 = k.mul(&k);
    let mut m = Mat3::IDENTITY;
    for i in 0..3 {
        for j in 0..3 {
            m.0[i][j] += s * k.0[i][j] + (1.0 - c) * k2.0[i][j];
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_rotation(m: &Mat3) -> bool {
        m.transpose().mul(m).max_abs_diff(&Mat3::IDENTITY) < 1e-12 && (m.det() - 1.0).abs() < 1e-12
    }

    #[test]
    fn view_rotation_looks_at_the_model_with_z_up() {
        for view in [
            [1.0, 0.0, 0.0],
            [0.0, 0.6, 0.8],
            [0.0, 0.0, 1.0],
            [0.0, 0.0, -1.0],
        ] {
            let r = view_rotation(view, 0.3);
            assert!(is_rotation(&r), "{view:?}");
            // The model origin seen from `view`: the camera's axis points at it.
            let towards_model = r.mul_vec(linalg::scale(view, -1.0));
            assert!(linalg::distance(towards_model, [0.0, 0.0, 1.0]) < 1e-12);
        }
        // From the side without in-plane turn: the model's +z is image up (-y).
        let r = view_rotation([1.0, 0.0, 0.0], 0.0);
        assert!(linalg::distance(r.mul_vec([0.0, 0.0, 1.0]), [0.0, -1.0, 0.0]) < 1e-12);
    }

    #[test]
    fn ray_rotation_turns_the_axis_onto_the_ray() {
        let ray = linalg::normalize([0.3, -0.2, 1.0]).unwrap();
        let q = ray_rotation(ray);
        assert!(is_rotation(&q));
        assert!(linalg::distance(q.mul_vec([0.0, 0.0, 1.0]), ray) < 1e-12);
        assert_eq!(ray_rotation([0.0, 0.0, 1.0]), Mat3::IDENTITY);
    }

    #[test]
    fn uniform_rotations_are_rotations_and_streams_differ() {
        let mut rng = image_rng(7, 3);
        for _ in 0..100 {
            assert!(is_rotation(&uniform_rotation(&mut rng)));
        }
        let a: u64 = image_rng(7, 3).random();
        let b: u64 = image_rng(7, 4).random();
        let c: u64 = image_rng(8, 3).random();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, image_rng(7, 3).random::<u64>());
    }
}
