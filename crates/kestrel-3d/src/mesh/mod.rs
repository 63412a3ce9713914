//! Triangle meshes: reading PLY files, measures and surface sampling.

mod measure;
mod ply;

pub use measure::BoundingBox;

/// A triangle mesh in model coordinates (millimetres for BOP models). Made by
/// [`Mesh::read_ply`] or [`Mesh::new`], which check that every face index is in range and
/// that normals and colours are one per vertex.
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    vertices: Vec<[f32; 3]>,
    faces: Vec<[u32; 3]>,
    normals: Vec<[f32; 3]>,
    colors: Option<Vec<[u8; 3]>>,
}

impl Mesh {
    /// Vertex positions.
    pub fn vertices(&self) -> &[[f32; 3]] {
        &self.vertices
    }

    /// Triangles as indices into the vertices, counter-clockwise seen from outside.
    pub fn faces(&self) -> &[[u32; 3]] {
        &self.faces
    }

    /// Unit vertex normals: read from the file when it has them, otherwise the
    /// area-weighted mean of the adjacent faces' normals.
    pub fn normals(&self) -> &[[f32; 3]] {
        &self.normals
    }

    /// One RGB colour per vertex, when known.
    pub fn colors(&self) -> Option<&[[u8; 3]]> {
        self.colors.as_deref()
    }

    /// A mesh from vertices, counter-clockwise triangles and optional vertex colours; the
    /// normals are computed from the faces. An error when there are no faces, an index
    /// is out of range, or the colours are not one per vertex.
    pub fn new(
        vertices: Vec<[f32; 3]>,
        faces: Vec<[u32; 3]>,
        colors: Option<Vec<[u8; 3]>>,
    ) -> Result<Mesh, crate::Error3d> {
        let invalid = |message: String| crate::Error3d::invalid("mesh", message);
        if faces.is_empty() {
            return Err(invalid("no faces".into()));
        }
        if let Some(bad) = faces
            .iter()
            .flatten()
            .find(|&&i| i as usize >= vertices.len())
        {
            return Err(invalid(format!(
                "face index {bad} out of range ({} vertices)",
                vertices.len()
            )));
        }
        if let Some(c) = &colors
            && c.len() != vertices.len()
        {
            return Err(invalid(format!(
                "{} colours for {} vertices",
                c.len(),
                vertices.len()
            )));
        }
        let normals = measure::vertex_normals(&vertices, &faces);
        Ok(Mesh {
            vertices,
            faces,
            normals,
            colors,
        })
    }
}
