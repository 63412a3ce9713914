//! The PLY reader: ASCII and binary little-endian, vertices with optional normals and
//! colours, triangle faces.

use std::path::Path;

use super::Mesh;
use crate::error::Error3d;

/// A scalar type of a PLY property.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Scalar {
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    F32,
    F64,
}

impl Scalar {
    fn parse(name: &str) -> Option<Scalar> {
        Some(match name {
            "char" | "int8" => Scalar::I8,
            "uchar" | "uint8" => Scalar::U8,
            "short" | "int16" => Scalar::I16,
            "ushort" | "uint16" => Scalar::U16,
            "int" | "int32" => Scalar::I32,
            "uint" | "uint32" => Scalar::U32,
            "float" | "float32" => Scalar::F32,
            "double" | "float64" => Scalar::F64,
            _ => return None,
        })
    }

    fn size(self) -> usize {
        match self {
            Scalar::I8 | Scalar::U8 => 1,
            Scalar::I16 | Scalar::U16 => 2,
            Scalar::I32 | Scalar::U32 | Scalar::F32 => 4,
            Scalar::F64 => 8,
        }
    }

    fn is_float(self) -> bool {
        matches!(self, Scalar::F32 | Scalar::F64)
    }

    /// The little-endian value at the start of `b` (which holds at least `size` bytes).
    fn read_le(self, b: &[u8]) -> f64 {
        match self {
            Scalar::I8 => f64::from(b[0] as i8),
            Scalar::U8 => f64::from(b[0]),
            Scalar::I16 => f64::from(i16::from_le_bytes([b[0], b[1]])),
            Scalar::U16 => f64::from(u16::from_le_bytes([b[0], b[1]])),
            Scalar::I32 => f64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            Scalar::U32 => f64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            Scalar::F32 => f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            Scalar::F64 => f64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]),
        }
    }
}

/// A property of an element: a scalar, or a list with its count type.
#[derive(Debug, Clone)]
struct Property {
    name: String,
    kind: Scalar,
    list_count: Option<Scalar>,
}

#[derive(Debug, Clone)]
struct Element {
    name: String,
    count: usize,
    properties: Vec<Property>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Encoding {
    Ascii,
    BinaryLittleEndian,
}

/// Reads values one at a time from the body of the file, ASCII or binary.
enum Body<'a> {
    /// The tokens of an ASCII body, and its length in bytes.
    Ascii(std::str::SplitAsciiWhitespace<'a>, usize),
    /// A binary body and the position of the next value.
    Binary { bytes: &'a [u8], pos: usize },
}

impl Body<'_> {
    /// At most how many values the body can still hold (each takes at least a byte), so
    /// space is reserved for what the file holds, not for the counts its header claims.
    fn max_values(&self) -> usize {
        match self {
            Body::Ascii(_, len) => *len,
            Body::Binary { bytes, pos } => bytes.len().saturating_sub(*pos),
        }
    }

    /// The next value of type `kind`, or `None` at the end of the data or for a token
    /// that is not a number.
    fn next(&mut self, kind: Scalar) -> Option<f64> {
        match self {
            Body::Ascii(tokens, _) => tokens.next()?.parse::<f64>().ok(),
            Body::Binary { bytes, pos } => {
                let end = *pos + kind.size();
                let value = kind.read_le(bytes.get(*pos..end)?);
                *pos = end;
                Some(value)
            }
        }
    }
}

impl Mesh {
    /// Reads a PLY file (ASCII or binary little-endian): element `vertex` with `x y z`
    /// and optionally `nx ny nz` and `red green blue` (bytes, or floats in 0..1; `alpha`
    /// and other properties are skipped), element `face` with a list `vertex_indices`
    /// (or `vertex_index`) of three indices per face. Other elements are skipped.
    ///
    /// Errors name the file: not a PLY file, big-endian data, a missing `x y z`, no
    /// faces, a face that is not a triangle, an index out of range, data that ends early.
    pub fn read_ply(path: &Path) -> Result<Mesh, Error3d> {
        let bytes = kestrel_data::geometry::read_regular(path).map_err(|e| Error3d::io(path, e))?;
        parse_ply(&bytes).map_err(|message| Error3d::format(path, message))
    }
}

/// The mesh in a PLY file's bytes, or what is wrong with them.
fn parse_ply(bytes: &[u8]) -> Result<Mesh, String> {
    let (encoding, elements, body_start) = parse_header(bytes)?;
    let body = &bytes[body_start..];
    let mut body = match encoding {
        Encoding::Ascii => Body::Ascii(
            std::str::from_utf8(body)
                .map_err(|_| "ASCII PLY body is not text".to_string())?
                .split_ascii_whitespace(),
            body.len(),
        ),
        Encoding::BinaryLittleEndian => Body::Binary {
            bytes: body,
            pos: 0,
        },
    };
    let mut mesh = Mesh {
        vertices: Vec::new(),
        faces: Vec::new(),
        normals: Vec::new(),
        colors: None,
    };
    let mut has_faces = false;
    for element in &elements {
        match element.name.as_str() {
            "vertex" => read_vertices(element, &mut body, &mut mesh)?,
            "face" => {
                read_faces(element, &mut body, &mut mesh)?;
                has_faces = true;
            }
            _ => skip_element(element, &mut body)?,
        }
    }
    if !has_faces || mesh.faces.is_empty() {
        return Err("no faces: a mesh needs an element 'face' with at least one triangle".into());
    }
    if let Some(bad) = mesh
        .faces
        .iter()
        .flatten()
        .find(|&&i| i as usize >= mesh.vertices.len())
    {
        return Err(format!(
            "face index {bad} out of range ({} vertices)",
            mesh.vertices.len()
        ));
    }
    if mesh.normals.is_empty() {
        mesh.normals = super::measure::vertex_normals(&mesh.vertices, &mesh.faces);
    }
    Ok(mesh)
}

/// The encoding, the elements and where the body starts.
fn parse_header(bytes: &[u8]) -> Result<(Encoding, Vec<Element>, usize), String> {
    const END: &[u8] = b"end_header";
    let end = bytes
        .windows(END.len())
        .position(|w| w == END)
        .ok_or("not a PLY file: no 'end_header'")?;
    let newline = bytes[end..]
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("header ends without a newline")?;
    let header = std::str::from_utf8(&bytes[..end]).map_err(|_| "header is not text")?;
    let mut lines = header.lines().map(str::trim);
    if lines.next() != Some("ply") {
        return Err("not a PLY file: the first line is not 'ply'".into());
    }
    let mut encoding = None;
    let mut elements: Vec<Element> = Vec::new();
    for (number, line) in lines.enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let at = |what: &str| format!("header line {}: {what}: '{line}'", number + 2);
        match words.as_slice() {
            [] | ["comment", ..] | ["obj_info", ..] => {}
            ["format", "ascii", _] => encoding = Some(Encoding::Ascii),
            ["format", "binary_little_endian", _] => encoding = Some(Encoding::BinaryLittleEndian),
            ["format", other, ..] => {
                return Err(at(&format!(
                    "format '{other}' is not supported (ascii or binary_little_endian)"
                )));
            }
            ["element", name, count] => elements.push(Element {
                name: name.to_string(),
                count: count
                    .parse()
                    .map_err(|_| at("element count is not a number"))?,
                properties: Vec::new(),
            }),
            ["property", "list", count, kind, name] => {
                let element = elements
                    .last_mut()
                    .ok_or_else(|| at("property before any element"))?;
                element.properties.push(Property {
                    name: name.to_string(),
                    kind: Scalar::parse(kind).ok_or_else(|| at("unknown type"))?,
                    list_count: Some(Scalar::parse(count).ok_or_else(|| at("unknown type"))?),
                });
            }
            ["property", kind, name] => {
                let element = elements
                    .last_mut()
                    .ok_or_else(|| at("property before any element"))?;
                element.properties.push(Property {
                    name: name.to_string(),
                    kind: Scalar::parse(kind).ok_or_else(|| at("unknown type"))?,
                    list_count: None,
                });
            }
            _ => return Err(at("not understood")),
        }
    }
    let encoding = encoding.ok_or("header has no 'format' line")?;
    Ok((encoding, elements, end + newline + 1))
}

/// Index of property `name` of `element`, if it is a scalar.
fn find(element: &Element, name: &str) -> Option<usize> {
    element
        .properties
        .iter()
        .position(|p| p.name == name && p.list_count.is_none())
}

fn read_vertices(element: &Element, body: &mut Body, mesh: &mut Mesh) -> Result<(), String> {
    let index = |names: [&str; 3]| -> Option<[usize; 3]> {
        Some([
            find(element, names[0])?,
            find(element, names[1])?,
            find(element, names[2])?,
        ])
    };
    let position =
        index(["x", "y", "z"]).ok_or("element 'vertex' lacks one of the properties x, y, z")?;
    let normal = index(["nx", "ny", "nz"]);
    let color = index(["red", "green", "blue"]);
    let color_scale = match color {
        Some(c) if element.properties[c[0]].kind.is_float() => 255.0,
        _ => 1.0,
    };
    let mut values = vec![0.0f64; element.properties.len()];
    let mut colors = Vec::new();
    mesh.vertices.reserve(element.count.min(body.max_values()));
    for v in 0..element.count {
        read_row(element, body, &mut values).ok_or_else(|| {
            format!(
                "data ends early (truncated?): vertex {v} of {}",
                element.count
            )
        })?;
        mesh.vertices.push(position.map(|i| values[i] as f32));
        if let Some(n) = normal {
            mesh.normals.push(n.map(|i| values[i] as f32));
        }
        if let Some(c) = color {
            colors.push(c.map(|i| (values[i] * color_scale).round().clamp(0.0, 255.0) as u8));
        }
    }
    if color.is_some() {
        mesh.colors = Some(colors);
    }
    Ok(())
}

/// Reads one row of scalar properties into `values`; list properties are read and
/// dropped. `None` when the data ends.
fn read_row(element: &Element, body: &mut Body, values: &mut [f64]) -> Option<()> {
    for (slot, p) in values.iter_mut().zip(&element.properties) {
        match p.list_count {
            None => *slot = body.next(p.kind)?,
            Some(count) => {
                let n = body.next(count)? as usize;
                for _ in 0..n {
                    body.next(p.kind)?;
                }
            }
        }
    }
    Some(())
}

fn read_faces(element: &Element, body: &mut Body, mesh: &mut Mesh) -> Result<(), String> {
    let list = element
        .properties
        .iter()
        .position(|p| {
            p.list_count.is_some() && (p.name == "vertex_indices" || p.name == "vertex_index")
        })
        .ok_or("element 'face' has no list property 'vertex_indices'")?;
    mesh.faces.reserve(element.count.min(body.max_values()));
    let truncated = |f: usize| {
        format!(
            "data ends early (truncated?): face {f} of {}",
            element.count
        )
    };
    for f in 0..element.count {
        for (i, p) in element.properties.iter().enumerate() {
            match p.list_count {
                None => {
                    body.next(p.kind).ok_or_else(|| truncated(f))?;
                }
                Some(count) => {
                    let n = body.next(count).ok_or_else(|| truncated(f))?;
                    if i != list {
                        for _ in 0..n as usize {
                            body.next(p.kind).ok_or_else(|| truncated(f))?;
                        }
                        continue;
                    }
                    if n != 3.0 {
                        return Err(format!(
                            "face {f} has {n} vertices: only triangles are supported (triangulate the mesh)"
                        ));
                    }
                    let mut idx = [0u32; 3];
                    for slot in &mut idx {
                        let v = body.next(p.kind).ok_or_else(|| truncated(f))?;
                        if !(0.0..=f64::from(u32::MAX)).contains(&v) {
                            return Err(format!("face {f}: vertex index {v} is invalid"));
                        }
                        *slot = v as u32;
                    }
                    mesh.faces.push(idx);
                }
            }
        }
    }
    Ok(())
}

fn skip_element(element: &Element, body: &mut Body) -> Result<(), String> {
    let mut values = vec![0.0f64; element.properties.len()];
    for r in 0..element.count {
        read_row(element, body, &mut values).ok_or_else(|| {
            format!(
                "data ends early (truncated?): {} {r} of {}",
                element.name, element.count
            )
        })?;
    }
    Ok(())
}
