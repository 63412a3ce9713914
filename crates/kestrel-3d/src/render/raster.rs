//! Triangle rasterisation into colour, depth and id buffers.

use super::{ObjectMask, RenderObject, RenderOptions, Rendering};
use crate::camera::Intrinsics;
use crate::depth::DepthImage;
use crate::linalg::{self, Vec3};

/// A vertex in the image: pixel coordinates, depth and shaded colour (0..255).
#[derive(Debug, Clone, Copy)]
pub(super) struct ScreenVertex {
    u: f32,
    v: f32,
    z: f32,
    color: [f32; 3],
}

/// Every vertex of `object` projected by `camera` (in raster coordinates: pixel `(i, j)`
/// samples at `(i, j)`) and shaded by the options' light (`towards` is its unit direction).
pub(super) fn shade_vertices(
    object: &RenderObject,
    camera: &Intrinsics,
    options: &RenderOptions,
    towards: Vec3,
) -> Vec<ScreenVertex> {
    let mesh = object.mesh;
    let light = &options.light;
    let default_color = options.default_color.map(f32::from);
    let (cx, cy) = (
        camera.cx - options.sample_offset,
        camera.cy - options.sample_offset,
    );
    mesh.vertices()
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let p = object.pose.apply(v.map(f64::from));
            let n = object.pose.rotate(mesh.normals()[i].map(f64::from));
            let shade = light.ambient + light.diffuse * (linalg::dot(n, towards).max(0.0) as f32);
            let base = mesh.colors().map_or(default_color, |c| c[i].map(f32::from));
            let (u, v) = if p[2] > 0.0 {
                let u = camera.fx * p[0] / p[2] + cx;
                (u as f32, (camera.fy * p[1] / p[2] + cy) as f32)
            } else {
                (f32::NAN, f32::NAN)
            };
            ScreenVertex {
                u,
                v,
                z: p[2] as f32,
                color: base.map(|c| (c * shade).min(255.0)),
            }
        })
        .collect()
}

/// The buffers being drawn into.
pub(super) struct Target {
    width: usize,
    height: usize,
    rgb: image::RgbImage,
    depth: Vec<f32>,
    ids: Vec<u16>,
}

impl Target {
    /// Empty depth and id buffers over `rgb`.
    pub(super) fn new(rgb: image::RgbImage) -> Self {
        let (width, height) = (rgb.width() as usize, rgb.height() as usize);
        Target {
            width,
            height,
            rgb,
            depth: vec![f32::INFINITY; width * height],
            ids: vec![0; width * height],
        }
    }

    /// Draws every face whose corners are all at least `near` in front of the camera;
    /// with `cull`, only those that face the camera (counter-clockwise seen from it).
    pub(super) fn draw_mesh(
        &mut self,
        faces: &[[u32; 3]],
        vertices: &[ScreenVertex],
        id: u16,
        near: f32,
        cull: bool,
    ) {
        for f in faces {
            let tri = f.map(|i| vertices[i as usize]);
            if tri.iter().all(|v| v.z >= near) {
                self.draw_triangle(&tri, id, cull);
            }
        }
    }

    /// Rasterises one triangle: every pixel centre inside it (edges included) whose depth
    /// is nearer than what the buffer holds; depth and colour are interpolated
    /// perspective-correctly.
    /// With `cull`, a triangle that turns its back to the camera is skipped.
    fn draw_triangle(&mut self, [a, b, c]: &[ScreenVertex; 3], id: u16, cull: bool) {
        // Twice the signed area in the image (rows down): negative for a face that is
        // counter-clockwise seen from the camera, i.e. faces it.
        let area = (b.u - a.u) * (c.v - a.v) - (b.v - a.v) * (c.u - a.u);
        if !area.is_finite() || area.abs() <= 1e-12 || (cull && area > 0.0) {
            return;
        }
        let min_u = a.u.min(b.u).min(c.u).ceil().max(0.0);
        let max_u = a.u.max(b.u).max(c.u).floor().min(self.width as f32 - 1.0);
        let min_v = a.v.min(b.v).min(c.v).ceil().max(0.0);
        let max_v = a.v.max(b.v).max(c.v).floor().min(self.height as f32 - 1.0);
        if min_u > max_u || min_v > max_v {
            return;
        }
        let inv_area = 1.0 / area;
        // Barycentric weight of a corner = edge function of the opposite edge / area;
        // each is linear in (x, y), so step it along a row.
        let edge = |p: ScreenVertex, q: ScreenVertex| {
            let dx = -(q.v - p.v) * inv_area;
            let at = move |x: f32, y: f32| {
                ((q.u - p.u) * (y - p.v) - (q.v - p.v) * (x - p.u)) * inv_area
            };
            (at, dx)
        };
        let (e0, d0x) = edge(*b, *c);
        let (e1, d1x) = edge(*c, *a);
        let (e2, d2x) = edge(*a, *b);
        let iz = [1.0 / a.z, 1.0 / b.z, 1.0 / c.z];
        let cz = [
            a.color.map(|v| v * iz[0]),
            b.color.map(|v| v * iz[1]),
            c.color.map(|v| v * iz[2]),
        ];
        let rgb = self.rgb.as_mut();
        for y in min_v as usize..=max_v as usize {
            let (fx, fy) = (min_u, y as f32);
            let (mut w0, mut w1, mut w2) = (e0(fx, fy), e1(fx, fy), e2(fx, fy));
            let row = y * self.width;
            for x in min_u as usize..=max_u as usize {
                if w0 >= 0.0 && w1 >= 0.0 && w2 >= 0.0 {
                    let inv_z = w0 * iz[0] + w1 * iz[1] + w2 * iz[2];
                    let z = 1.0 / inv_z;
                    let i = row + x;
                    if z < self.depth[i] {
                        self.depth[i] = z;
                        self.ids[i] = id;
                        for k in 0..3 {
                            let value = (w0 * cz[0][k] + w1 * cz[1][k] + w2 * cz[2][k]) * z;
                            rgb[3 * i + k] = value.round().clamp(0.0, 255.0) as u8;
                        }
                    }
                }
                w0 += d0x;
                w1 += d1x;
                w2 += d2x;
            }
        }
    }

    /// The finished images.
    pub(super) fn finish(self) -> Rendering {
        let (w, h) = (self.width as u32, self.height as u32);
        let depth = self
            .depth
            .into_iter()
            .map(|z| if z.is_finite() { z } else { f32::NAN })
            .collect();
        Rendering {
            rgb: self.rgb,
            depth: DepthImage::from_raw_parts(w, h, depth),
            mask: ObjectMask::from_ids(w, h, self.ids),
        }
    }
}
