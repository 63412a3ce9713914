//! Closed primitive meshes used as occluders: boxes, ellipsoids, cylinders, centred on
//! the origin, in one colour, faces counter-clockwise seen from outside.

use crate::mesh::Mesh;

/// The kinds of primitive occluder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// A box.
    Box,
    /// An ellipsoid.
    Ellipsoid,
    /// A cylinder along z.
    Cylinder,
}

/// Segments around an ellipsoid's or cylinder's axis.
const SEGMENTS: u32 = 24;

impl Primitive {
    /// The mesh with half-extents `half` (millimetres along x, y, z) in `color`. Every face
    /// has its own corners where edges are sharp (box faces, cylinder caps), so shading is
    /// flat there.
    pub fn mesh(self, half: [f32; 3], color: [u8; 3]) -> Mesh {
        let (vertices, faces) = match self {
            Primitive::Box => box_geometry(half),
            Primitive::Ellipsoid => ellipsoid_geometry(half),
            Primitive::Cylinder => cylinder_geometry(half),
        };
        let colors = vec![color; vertices.len()];
        Mesh::new(vertices, faces, Some(colors)).expect("primitive meshes are valid")
    }
}

type Geometry = (Vec<[f32; 3]>, Vec<[u32; 3]>);

/// Adds the quad `a b c d` (counter-clockwise seen from outside) as two triangles with its
/// own four vertices.
fn quad(g: &mut Geometry, corners: [[f32; 3]; 4]) {
    let base = g.0.len() as u32;
    g.0.extend(corners);
    g.1.push([base, base + 1, base + 2]);
    g.1.push([base, base + 2, base + 3]);
}

fn box_geometry([x, y, z]: [f32; 3]) -> Geometry {
    let mut g = (Vec::new(), Vec::new());
    // Each face counter-clockwise seen from outside (right-hand rule gives the outward
    // normal).
    quad(&mut g, [[x, -y, -z], [x, y, -z], [x, y, z], [x, -y, z]]); // +x
    quad(&mut g, [[-x, -y, -z], [-x, -y, z], [-x, y, z], [-x, y, -z]]); // -x
    quad(&mut g, [[-x, y, -z], [-x, y, z], [x, y, z], [x, y, -z]]); // +y
    quad(&mut g, [[-x, -y, -z], [x, -y, -z], [x, -y, z], [-x, -y, z]]); // -y
    quad(&mut g, [[-x, -y, z], [x, -y, z], [x, y, z], [-x, y, z]]); // +z
    quad(&mut g, [[-x, -y, -z], [-x, y, -z], [x, y, -z], [x, -y, -z]]); // -z
    g
}

fn ellipsoid_geometry([a, b, c]: [f32; 3]) -> Geometry {
    let rings = SEGMENTS / 2;
    let mut vertices = vec![[0.0, 0.0, -c]];
    for i in 1..rings {
        let theta = std::f32::consts::PI * i as f32 / rings as f32;
        let (s, z) = (theta.sin(), -theta.cos());
        for j in 0..SEGMENTS {
            let phi = std::f32::consts::TAU * j as f32 / SEGMENTS as f32;
            vertices.push([a * s * phi.cos(), b * s * phi.sin(), c * z]);
        }
    }
    let top = vertices.len() as u32;
    vertices.push([0.0, 0.0, c]);
    let at = |ring: u32, j: u32| 1 + (ring - 1) * SEGMENTS + j % SEGMENTS;
    let mut faces = Vec::new();
    for j in 0..SEGMENTS {
        faces.push([0, at(1, j + 1), at(1, j)]);
        faces.push([top, at(rings - 1, j), at(rings - 1, j + 1)]);
    }
    for ring in 1..rings - 1 {
        for j in 0..SEGMENTS {
            let (p, q) = (at(ring, j), at(ring, j + 1));
            let (r, s) = (at(ring + 1, j + 1), at(ring + 1, j));
            faces.push([p, q, r]);
            faces.push([p, r, s]);
        }
    }
    (vertices, faces)
}

fn cylinder_geometry([a, b, h]: [f32; 3]) -> Geometry {
    let mut g: Geometry = (Vec::new(), Vec::new());
    let point = |j: u32, z: f32| {
        let phi = std::f32::consts::TAU * j as f32 / SEGMENTS as f32;
        [a * phi.cos(), b * phi.sin(), z]
    };
    for j in 0..SEGMENTS {
        quad(
            &mut g,
            [point(j, -h), point(j + 1, -h), point(j + 1, h), point(j, h)],
        );
    }
    for (z, up) in [(h, true), (-h, false)] {
        let centre = g.0.len() as u32;
        g.0.push([0.0, 0.0, z]);
        g.0.extend((0..SEGMENTS).map(|j| point(j, z)));
        for j in 0..SEGMENTS {
            let (p, q) = (centre + 1 + j, centre + 1 + (j + 1) % SEGMENTS);
            g.1.push(if up { [centre, p, q] } else { [centre, q, p] });
        }
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg;

    /// Every face's normal points away from the origin (the shapes are convex and
    /// centred there).
    fn faces_point_outwards(mesh: &Mesh) {
        for f in mesh.faces() {
            let [p, q, r] = f.map(|i| mesh.vertices()[i as usize].map(f64::from));
            let n = linalg::cross(linalg::sub(q, p), linalg::sub(r, p));
            let centre = linalg::scale(linalg::add(linalg::add(p, q), r), 1.0 / 3.0);
            assert!(linalg::dot(n, centre) > 0.0, "face {f:?} points inwards");
        }
    }

    #[test]
    fn primitives_are_closed_and_outward() {
        for kind in [Primitive::Box, Primitive::Ellipsoid, Primitive::Cylinder] {
            let mesh = kind.mesh([10.0, 20.0, 30.0], [1, 2, 3]);
            faces_point_outwards(&mesh);
            let b = mesh.bounding_box();
            assert!(
                linalg::distance(b.max, [10.0, 20.0, 30.0]) < 1e-4,
                "{kind:?} {b:?}"
            );
            assert!(
                linalg::distance(b.min, [-10.0, -20.0, -30.0]) < 1e-4,
                "{kind:?} {b:?}"
            );
        }
        let cube = Primitive::Box.mesh([1.0; 3], [0; 3]);
        assert!((cube.surface_area() - 24.0).abs() < 1e-9);
    }
}
