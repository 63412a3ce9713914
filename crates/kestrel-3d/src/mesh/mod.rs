//! Triangle meshes: reading PLY files, measures and surface sampling.

mod measure;
mod ply;

pub use measure::BoundingBox;

/// A triangle mesh in model coordinates (millimetres for BOP models).
#[derive(Debug, Clone, PartialEq)]
pub struct Mesh {
    /// Vertex positions.
    pub vertices: Vec<[f32; 3]>,
    /// Triangles as indices into `vertices`, counter-clockwise seen from outside.
    pub faces: Vec<[u32; 3]>,
    /// Unit vertex normals: read from the file when it has them, otherwise the
    /// area-weighted mean of the adjacent faces' normals.
    pub normals: Vec<[f32; 3]>,
    /// One RGB colour per vertex, when the file has them.
    pub colors: Option<Vec<[u8; 3]>>,
}

impl Mesh {
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
