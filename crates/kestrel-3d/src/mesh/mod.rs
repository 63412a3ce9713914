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
