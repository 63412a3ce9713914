//! Where things go in one image: the objects at drawn views and distances, and occluders
//! between the camera and them.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::config::{OccluderConfig, PoseRanges};
use super::objects::SynthObject;
use super::primitives::Primitive;
use super::sample::{ray_rotation, uniform, uniform_count, uniform_rotation, view_rotation};
use crate::camera::Intrinsics;
use crate::linalg::{self, Vec3};
use crate::mesh::Mesh;
use crate::pose::Pose;

/// Tries to place one object or occluder before giving up on it.
const TRIES: usize = 30;
/// How far (millimetres) every placed shape's bounding sphere stays beyond the
/// renderer's near plane.
const NEAR_MARGIN: f64 = 20.0;

/// What is placed: a CAD object (annotated) or a primitive occluder (not annotated).
#[derive(Debug, Clone)]
pub(super) enum Shape {
    /// `objects[i]` of the generator.
    Object(usize),
    /// A primitive occluder's mesh.
    Primitive(Mesh),
}

/// A shape at its model-to-camera pose, with its bounding sphere in camera coordinates.
#[derive(Debug, Clone)]
pub(super) struct Placed {
    /// The shape.
    pub shape: Shape,
    /// Model-to-camera pose.
    pub pose: Pose,
    /// The bounding sphere's centre, camera coordinates.
    pub center: Vec3,
    /// The bounding sphere's radius.
    pub radius: f64,
}

impl Placed {
    /// Whether the bounding spheres of `self` and a sphere at `center` with `radius` meet.
    fn meets(&self, center: Vec3, radius: f64) -> bool {
        linalg::distance(self.center, center) < self.radius + radius
    }
}

/// Whether a sphere at `center` with `radius` is clear of every placed shape and far
/// enough in front of the camera.
fn free(placed: &[Placed], center: Vec3, radius: f64, near: f64) -> bool {
    center[2] - radius > near + NEAR_MARGIN && !placed.iter().any(|p| p.meets(center, radius))
}

/// The pose that puts the model point `model_center` at `center` (camera coordinates)
/// with rotation `rotation`.
fn pose_at(rotation: crate::linalg::Mat3, model_center: Vec3, center: Vec3) -> Pose {
    let t = linalg::sub(center, rotation.mul_vec(model_center));
    Pose::new("placement", rotation, t).expect("drawn rotations are rotations")
}

/// What placement needs besides the random generator.
pub(super) struct Stage<'a> {
    /// The objects.
    pub objects: &'a [SynthObject],
    /// The camera.
    pub camera: &'a Intrinsics,
    /// Where objects go and how they are seen.
    pub ranges: &'a PoseRanges,
    /// Occluder settings.
    pub occluders: &'a OccluderConfig,
    /// The renderer's near plane, millimetres.
    pub near: f64,
}

impl Stage<'_> {
    /// Everything of one image: the objects (drawn without repetition, their number from
    /// `objects_per_image` capped at the number of objects), then the occluders.
    pub(super) fn place_all(&self, rng: &mut ChaCha8Rng) -> Vec<Placed> {
        let n = self.objects.len() as u32;
        let [lo, hi] = self.ranges.objects_per_image;
        let count = uniform_count(rng, [lo.min(n), hi.min(n)]) as usize;
        // A partial Fisher–Yates shuffle: the first `count` entries are the objects shown.
        let mut order: Vec<usize> = (0..self.objects.len()).collect();
        for i in 0..count {
            let j = rng.random_range(i..order.len());
            order.swap(i, j);
        }
        let mut placed = Vec::new();
        for &index in &order[..count] {
            if let Some(p) = self.place_object(rng, index, &placed) {
                placed.push(p);
            }
        }
        let mut unused = order[count..].iter().copied();
        let targets = placed.len();
        for _ in 0..uniform_count(rng, self.occluders.per_image) {
            if targets == 0 {
                break;
            }
            let target = placed[rng.random_range(0..targets)].clone();
            let cad = rng.random_bool(self.occluders.cad_probability);
            let mut occluder = None;
            if let Some(index) = cad.then(|| unused.next()).flatten() {
                occluder = self.place_occluder(rng, Some(index), &target, &placed);
            }
            // A primitive, also when a CAD object found no room within the distance range.
            if occluder.is_none() {
                occluder = self.place_occluder(rng, None, &target, &placed);
            }
            placed.extend(occluder);
        }
        placed
    }

    /// A model-to-camera rotation that shows a model from a drawn direction (elevation
    /// uniform on the sphere between the limits, azimuth and in-plane angle uniform) when
    /// its centre is on `ray`.
    fn view(&self, rng: &mut ChaCha8Rng, ray: Vec3) -> crate::linalg::Mat3 {
        let sin_range = self.ranges.elevation_deg.map(|d| d.to_radians().sin());
        let elevation = uniform(rng, sin_range).clamp(-1.0, 1.0).asin();
        let azimuth = uniform(rng, self.ranges.azimuth_deg).to_radians();
        let inplane = uniform(rng, self.ranges.inplane_deg).to_radians();
        let (s, c) = elevation.sin_cos();
        let view = [c * azimuth.cos(), c * azimuth.sin(), s];
        ray_rotation(ray).mul(&view_rotation(view, inplane))
    }

    /// `objects[index]` seen from a drawn direction at a drawn distance, its centre on
    /// the ray through a uniformly drawn pixel; `None` when every try met another shape.
    fn place_object(
        &self,
        rng: &mut ChaCha8Rng,
        index: usize,
        placed: &[Placed],
    ) -> Option<Placed> {
        let (object, camera) = (&self.objects[index], self.camera);
        for _ in 0..TRIES {
            let distance = uniform(rng, self.ranges.distance_mm);
            let u = uniform(rng, [0.0, f64::from(camera.width - 1)]);
            let v = uniform(rng, [0.0, f64::from(camera.height - 1)]);
            let ray = linalg::normalize(camera.unproject(u, v, 1.0)).expect("a ray has a length");
            let rotation = self.view(rng, ray);
            let center = linalg::scale(ray, distance);
            if !free(placed, center, object.radius, self.near) {
                continue;
            }
            return Some(Placed {
                shape: Shape::Object(index),
                pose: pose_at(rotation, object.center, center),
                center,
                radius: object.radius,
            });
        }
        None
    }

    /// One occluder in front of `target`: `objects[index]`, or a primitive for `None`.
    /// Its centre is on the ray through a pixel near the target's centre in the image
    /// (offset by `offset_fraction` of the target's radius there), at a drawn fraction of
    /// the way from the camera, so that its bounding sphere lies between the camera and
    /// the target's. A primitive gets a random kind, proportions, colour and orientation,
    /// and the size `size_fraction` of the target's as seen from the camera. A CAD
    /// object, which is annotated, follows the objects' pose ranges: a drawn view, and a
    /// distance no less than the range's minimum.
    fn place_occluder(
        &self,
        rng: &mut ChaCha8Rng,
        index: Option<usize>,
        target: &Placed,
        placed: &[Placed],
    ) -> Option<Placed> {
        let (camera, config) = (self.camera, self.occluders);
        let [tu, tv] = camera.project(target.center)?;
        let target_distance = linalg::norm(target.center);
        let seen_radius = camera.fx * target.radius / target.center[2];
        let min_distance = match index {
            Some(_) => self.ranges.distance_mm[0],
            None => 0.0,
        };
        for _ in 0..TRIES {
            let offset = uniform(rng, config.offset_fraction) * seen_radius;
            let angle = uniform(rng, [0.0, std::f64::consts::TAU]);
            let (u, v) = (tu + offset * angle.cos(), tv + offset * angle.sin());
            let ray = linalg::normalize(camera.unproject(u, v, 1.0)).expect("a ray has a length");
            let size = uniform(rng, config.size_fraction);
            let depth_draw = uniform(rng, [0.0, 1.0]);
            // The fraction `s` of the target's distance: the occluder's far side stays in
            // front of the target's near side, `s d + r_o < d - r_t`.
            let (s, radius) = match index {
                Some(i) => {
                    let r = self.objects[i].radius;
                    let s_max = (target_distance - target.radius - r) / target_distance;
                    let s_min = min_distance / target_distance;
                    (s_min + (s_max - s_min) * depth_draw, r)
                }
                None => {
                    // r_o = size * r_t * s keeps the seen size `size` times the target's.
                    let s_max = (target_distance - target.radius)
                        / (target_distance + size * target.radius);
                    let s = s_max * (0.5 + 0.5 * depth_draw);
                    (s, size * target.radius * s)
                }
            };
            let center = linalg::scale(ray, s * target_distance);
            let too_near = s * target_distance < min_distance;
            if s <= 0.0 || too_near || !free(placed, center, radius, self.near) {
                continue;
            }
            return Some(match index {
                Some(i) => Placed {
                    shape: Shape::Object(i),
                    pose: pose_at(self.view(rng, ray), self.objects[i].center, center),
                    center,
                    radius,
                },
                None => Placed {
                    shape: Shape::Primitive(random_primitive(rng, radius as f32)),
                    pose: pose_at(uniform_rotation(rng), [0.0; 3], center),
                    center,
                    radius,
                },
            });
        }
        None
    }
}

/// A primitive of drawn kind, proportions (each half-extent 0.3 to 1 of the largest)
/// and colour (uniform RGB), scaled so that its bounding sphere has `radius`.
fn random_primitive(rng: &mut ChaCha8Rng, radius: f32) -> Mesh {
    let kind = [Primitive::Box, Primitive::Ellipsoid, Primitive::Cylinder][rng.random_range(0..3)];
    let raw: [f32; 3] = std::array::from_fn(|_| rng.random_range(0.3f32..=1.0));
    let color: [u8; 3] = std::array::from_fn(|_| rng.random());
    let bounding = match kind {
        Primitive::Box => (raw[0] * raw[0] + raw[1] * raw[1] + raw[2] * raw[2]).sqrt(),
        Primitive::Ellipsoid => raw[0].max(raw[1]).max(raw[2]),
        Primitive::Cylinder => (raw[0].max(raw[1]).powi(2) + raw[2] * raw[2]).sqrt(),
    };
    kind.mesh(raw.map(|v| v * radius / bounding), color)
}
