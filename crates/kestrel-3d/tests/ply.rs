//! PLY reading: ASCII and binary files written here, measures, and files that cannot be
//! read.

use std::io::Write;
use std::path::PathBuf;

use kestrel_3d::Mesh;

/// A unit cube (8 vertices, 12 triangles) as an ASCII PLY body after the header lines.
const CUBE_VERTICES: [[f32; 3]; 8] = [
    [0.0, 0.0, 0.0],
    [1.0, 0.0, 0.0],
    [1.0, 1.0, 0.0],
    [0.0, 1.0, 0.0],
    [0.0, 0.0, 1.0],
    [1.0, 0.0, 1.0],
    [1.0, 1.0, 1.0],
    [0.0, 1.0, 1.0],
];
const CUBE_FACES: [[u32; 3]; 12] = [
    [0, 2, 1],
    [0, 3, 2],
    [4, 5, 6],
    [4, 6, 7],
    [0, 1, 5],
    [0, 5, 4],
    [1, 2, 6],
    [1, 6, 5],
    [2, 3, 7],
    [2, 7, 6],
    [3, 0, 4],
    [3, 4, 7],
];

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::File::create(&path)
        .unwrap()
        .write_all(bytes)
        .unwrap();
    path
}

fn ascii_cube(colour: bool) -> String {
    let mut s = String::from("ply\nformat ascii 1.0\ncomment a cube\nelement vertex 8\n");
    s += "property float x\nproperty float y\nproperty float z\n";
    if colour {
        s +=
            "property uchar red\nproperty uchar green\nproperty uchar blue\nproperty uchar alpha\n";
    }
    s += "element face 12\nproperty list uchar int vertex_indices\nend_header\n";
    for (i, v) in CUBE_VERTICES.iter().enumerate() {
        s += &format!("{} {} {}", v[0], v[1], v[2]);
        if colour {
            s += &format!(" {} 0 255 255", i * 10);
        }
        s += "\n";
    }
    for f in CUBE_FACES {
        s += &format!("3 {} {} {}\n", f[0], f[1], f[2]);
    }
    s
}

fn binary_cube() -> Vec<u8> {
    let header = "ply\nformat binary_little_endian 1.0\nelement vertex 8\nproperty float x\nproperty float y\n\
                  property float z\nproperty float nx\nproperty float ny\nproperty float nz\nelement face 12\n\
                  property list uchar uint vertex_indices\nend_header\n";
    let mut b = header.as_bytes().to_vec();
    for v in CUBE_VERTICES {
        for c in v.iter().chain(&[0.0, 0.0, 1.0]) {
            b.extend_from_slice(&c.to_le_bytes());
        }
    }
    for f in CUBE_FACES {
        b.push(3);
        for i in f {
            b.extend_from_slice(&i.to_le_bytes());
        }
    }
    b
}

#[test]
fn ascii_and_binary_cubes() {
    let dir = tempfile::tempdir().unwrap();
    let ascii = Mesh::read_ply(&write(&dir, "a.ply", ascii_cube(true).as_bytes())).unwrap();
    let binary = Mesh::read_ply(&write(&dir, "b.ply", &binary_cube())).unwrap();
    for mesh in [&ascii, &binary] {
        assert_eq!(mesh.vertices(), CUBE_VERTICES);
        assert_eq!(mesh.faces(), CUBE_FACES);
        assert!((mesh.diameter() - 3f64.sqrt()).abs() < 1e-6);
        assert!((mesh.surface_area() - 6.0).abs() < 1e-9);
        let bb = mesh.bounding_box();
        assert_eq!((bb.min, bb.size()), ([0.0; 3], [1.0; 3]));
    }
    assert_eq!(ascii.colors().unwrap()[3], [30, 0, 255]);
    assert!(binary.colors().is_none());
    // Read normals are kept; missing ones are computed outward from the faces.
    assert_eq!(binary.normals()[6], [0.0, 0.0, 1.0]);
    // Corner (1, 1, 1) lies in two triangles of the x and z sides but one of the y side:
    // area weights give (2, 1, 2) / 3.
    let n = ascii.normals()[6];
    assert!(
        n.iter()
            .zip([2.0, 1.0, 2.0])
            .all(|(&c, w)| (c - w / 3.0).abs() < 1e-6),
        "{n:?}"
    );
    for (v, n) in ascii.vertices().iter().zip(ascii.normals()) {
        let outward: f32 = (0..3).map(|k| (v[k] - 0.5) * n[k]).sum();
        assert!(outward > 0.0, "{v:?} {n:?}");
    }
}

#[test]
fn surface_samples_lie_on_the_surface_and_spread_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let cube = Mesh::read_ply(&write(&dir, "a.ply", ascii_cube(false).as_bytes())).unwrap();
    let samples = cube.sample_surface(6000, 7);
    assert_eq!(samples.len(), 6000);
    let mut per_side = [0usize; 6];
    for p in &samples {
        let on = (0..3)
            .flat_map(|k| [(k, 0.0), (k, 1.0)])
            .position(|(k, v)| (p[k] - v).abs() < 1e-9);
        per_side[on.expect("sample off the surface")] += 1;
        assert!(p.iter().all(|&c| (-1e-9..=1.0 + 1e-9).contains(&c)));
    }
    // Six equal sides: about 1,000 each (binomial sd ~29).
    assert!(
        per_side.iter().all(|&n| (880..1120).contains(&n)),
        "{per_side:?}"
    );
    assert_eq!(cube.sample_surface(5, 7), cube.sample_surface(5, 7));
}

fn error_of(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(&dir, "bad.ply", bytes);
    let err = Mesh::read_ply(&path).unwrap_err().to_string();
    assert!(err.contains("bad.ply"), "the error names the file: {err}");
    err
}

#[test]
fn truncated_files_are_errors() {
    let ascii = ascii_cube(false);
    let cut = &ascii[..ascii.len() - 20];
    let err = error_of(cut.as_bytes());
    assert!(
        err.contains("truncated") && err.contains("face 9 of 12"),
        "{err}"
    );
    let binary = binary_cube();
    let err = error_of(&binary[..binary.len() - 200]);
    assert!(err.contains("truncated") && err.contains("vertex"), "{err}");
    assert!(error_of(b"ply\nformat ascii 1.0\nelement vertex 8\n").contains("end_header"));
}

#[test]
fn quads_and_missing_faces_are_errors() {
    let quad = "ply\nformat ascii 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\n\
                element face 1\nproperty list uchar int vertex_indices\nend_header\n\
                0 0 0\n1 0 0\n1 1 0\n0 1 0\n4 0 1 2 3\n";
    let err = error_of(quad.as_bytes());
    assert!(
        err.contains("face 0 has 4 vertices") && err.contains("only triangles"),
        "{err}"
    );
    let points = "ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\n\
                  end_header\n0 0 0\n";
    assert!(error_of(points.as_bytes()).contains("no faces"));
    let big_endian = ascii_cube(false).replace("format ascii", "format binary_big_endian");
    assert!(error_of(big_endian.as_bytes()).contains("binary_big_endian"));
    let no_z = ascii_cube(false).replace("property float z\n", "");
    assert!(error_of(no_z.as_bytes()).contains("x, y, z"));
    let bad_index = ascii_cube(false).replace("3 0 2 1\n", "3 0 2 99\n");
    assert!(error_of(bad_index.as_bytes()).contains("index 99 out of range"));
    assert!(error_of(b"solid stl\n").contains("not a PLY file"));
}

#[test]
fn a_header_claiming_billions_of_vertices_is_refused_without_reserving_them() {
    let dir = tempfile::tempdir().unwrap();
    // Before: 48 GB were reserved for the vertices the header claims (an abort).
    let header = "ply\nformat binary_little_endian 1.0\nelement vertex 4000000000\n\
                  property float x\nproperty float y\nproperty float z\n\
                  element face 4000000000\nproperty list uchar uint vertex_indices\nend_header\n";
    for body in [&b""[..], &[0u8; 12][..]] {
        let mut bytes = header.as_bytes().to_vec();
        bytes.extend_from_slice(body);
        let path = write(&dir, "huge.ply", &bytes);
        let err = Mesh::read_ply(&path).unwrap_err().to_string();
        assert!(
            err.contains("huge.ply") && err.contains("data ends early"),
            "{err}"
        );
    }
}
