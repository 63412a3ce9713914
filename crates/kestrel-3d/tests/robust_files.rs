//! Robustness of kestrel-3d's readers of a user's files: PLY meshes (ASCII and binary),
//! depth images (16-bit PNG, float TIFF) and BOP scene files (`scene_gt.json`,
//! `scene_camera.json`, `scene_gt_info.json`, `models_info.json` with its symmetries).
//! Seeded random mutations of small valid files and random bytes must give an error or a
//! valid result: never a panic, never more memory than [`peak_alloc::LIMIT`]; a header
//! claiming a huge size is refused quickly (see `kestrel-data/tests/common/mutate.rs`).

#[path = "../../kestrel-data/tests/common/mutate.rs"]
mod mutate;
#[path = "../../kestrel-data/tests/common/peak_alloc.rs"]
mod peak_alloc;

use std::io::Cursor;
use std::path::Path;

use kestrel_3d::bop::{sample_camera, sample_poses};
use kestrel_3d::{DepthImage, Mesh, import_bop, read_models_info};
use mutate::for_mutations;
use peak_alloc::{PeakAlloc, assert_bounded, measure};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Mutated cases per valid file.
const CASES: u64 = 150;

/// Runs `parse` on each mutation of `valid`, written to `file`, checking memory.
fn fuzz_file(name: &str, file: &Path, valid: &[&[u8]], parse: impl Fn() -> bool) {
    for_mutations(name, valid, CASES, |bytes| {
        std::fs::write(file, bytes).unwrap();
        let (accepted, usage) = measure(&parse);
        assert_bounded(name, usage);
        accepted
    });
}

const TETRA_ASCII: &str = "ply\nformat ascii 1.0\ncomment tetrahedron\nelement vertex 4\n\
    property float x\nproperty float y\nproperty float z\nproperty uchar red\n\
    property uchar green\nproperty uchar blue\nelement face 4\n\
    property list uchar int vertex_indices\nelement extra 1\nproperty list uchar float v\n\
    end_header\n0 0 0 255 0 0\n1 0 0 0 255 0\n0 1 0 0 0 255\n0 0 1 9 9 9\n\
    3 0 2 1\n3 0 1 3\n3 1 2 3\n3 0 3 2\n2 1.5 2.5\n";

fn tetra_binary() -> Vec<u8> {
    let mut b = b"ply\nformat binary_little_endian 1.0\nelement vertex 4\nproperty float x\n\
        property float y\nproperty float z\nproperty float nx\nproperty float ny\n\
        property float nz\nelement face 4\nproperty list uchar uint vertex_indices\nend_header\n"
        .to_vec();
    for v in [
        [0.0f32, 0.0, 0.0],
        [1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
    ] {
        for c in v.iter().chain(&[0.0, 0.0, 1.0]) {
            b.extend_from_slice(&c.to_le_bytes());
        }
    }
    for f in [[0u32, 2, 1], [0, 1, 3], [1, 2, 3], [0, 3, 2]] {
        b.push(3);
        for i in f {
            b.extend_from_slice(&i.to_le_bytes());
        }
    }
    b
}

#[test]
fn ply_meshes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.ply");
    let binary = tetra_binary();
    for valid in [TETRA_ASCII.as_bytes(), &binary] {
        std::fs::write(&path, valid).unwrap();
        Mesh::read_ply(&path).unwrap();
    }
    fuzz_file("ply", &path, &[TETRA_ASCII.as_bytes(), &binary], || {
        let Ok(mesh) = Mesh::read_ply(&path) else {
            return false;
        };
        let n = mesh.vertices().len();
        assert!(mesh.faces().iter().flatten().all(|&i| (i as usize) < n));
        assert_eq!(mesh.normals().len(), n);
        let _ = (mesh.diameter(), mesh.surface_area(), mesh.bounding_box());
        true
    });
}

#[test]
fn depth_images() {
    let dir = tempfile::tempdir().unwrap();
    let depth16 = image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_fn(6, 4, |x, y| {
        image::Luma([(x * 100 + y) as u16])
    });
    let mut png = Vec::new();
    image::DynamicImage::ImageLuma16(depth16)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let mut tiff = Vec::new();
    {
        let mut encoder = tiff::encoder::TiffEncoder::new(Cursor::new(&mut tiff)).unwrap();
        let data: Vec<f32> = (0..24).map(|v| v as f32 * 0.25).collect();
        encoder
            .write_image::<tiff::encoder::colortype::Gray32Float>(6, 4, &data)
            .unwrap();
    }
    for (name, valid) in [("d.png", &png), ("d.tif", &tiff)] {
        let path = dir.path().join(name);
        std::fs::write(&path, valid).unwrap();
        DepthImage::read(&path, 1.0).unwrap();
        fuzz_file(name, &path, &[valid], || {
            match DepthImage::read(&path, 1.0) {
                Ok(d) => {
                    assert_eq!(d.data().len(), d.width() as usize * d.height() as usize);
                    true
                }
                Err(_) => false,
            }
        });
    }
}

const MODELS_INFO: &str = r#"{"1": {"diameter": 100.0, "min_x": -50, "min_y": -50,
  "min_z": -50, "size_x": 100, "size_y": 100, "size_z": 100,
  "symmetries_discrete": [[-1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]],
  "symmetries_continuous": [{"axis": [0, 0, 1], "offset": [0, 0, 0]}]}}"#;
const CAMERA: &str =
    r#"{"1": {"cam_K": [500.0, 0.0, 32.0, 0.0, 500.0, 24.0, 0.0, 0.0, 1.0], "depth_scale": 0.1}}"#;
const GT_INFO: &str =
    r#"{"1": [{"bbox_obj": [10, 5, 20, 30], "bbox_visib": [10, 5, 20, 30], "visib_fract": 0.75}]}"#;
const GT: &str = r#"{"1": [{"cam_R_m2c": [1, 0, 0, 0, 1, 0, 0, 0, 1],
  "cam_t_m2c": [1.0, 2.0, 800.0], "obj_id": 1}]}"#;

#[test]
fn bop_scene_files() {
    let dir = tempfile::tempdir().unwrap();
    let (scene, models) = (dir.path().join("scene"), dir.path().join("models"));
    std::fs::create_dir_all(scene.join("rgb")).unwrap();
    std::fs::create_dir_all(&models).unwrap();
    image::RgbImage::new(64, 48)
        .save(scene.join("rgb/000001.png"))
        .unwrap();
    let files = [
        (models.join("models_info.json"), MODELS_INFO),
        (scene.join("scene_camera.json"), CAMERA),
        (scene.join("scene_gt_info.json"), GT_INFO),
        (scene.join("scene_gt.json"), GT),
    ];
    for (path, text) in &files {
        std::fs::write(path, text).unwrap();
    }
    let parse = || {
        let Ok(ds) = import_bop(&scene, &models) else {
            return false;
        };
        for s in &ds.samples {
            let _ = (sample_poses(s), sample_camera(s, 64, 48));
        }
        if let Ok(info) = read_models_info(&models.join("models_info.json")) {
            for model in info.values() {
                let _ = model.symmetry_transforms(0.01);
            }
        }
        true
    };
    assert!(parse());
    for (path, text) in &files {
        fuzz_file(&path.display().to_string(), path, &[text.as_bytes()], parse);
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn huge_claims_are_refused_quickly_without_allocating() {
    let dir = tempfile::tempdir().unwrap();
    // A PLY header claiming 4 billion vertices and faces, with no data.
    let ply = dir.path().join("huge.ply");
    std::fs::write(
        &ply,
        "ply\nformat binary_little_endian 1.0\nelement vertex 4000000000\nproperty float x\n\
         property float y\nproperty float z\nelement face 4000000000\n\
         property list uchar uint vertex_indices\nend_header\n",
    )
    .unwrap();
    // A depth PNG claiming 100000 x 100000 16-bit pixels (20 GB).
    let depth = dir.path().join("huge.png");
    {
        let mut bytes = Vec::new();
        let mut enc = png::Encoder::new(&mut bytes, 100_000, 100_000);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Sixteen);
        let mut writer = enc.write_header().unwrap();
        let empty_zlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
        writer.write_chunk(png::chunk::IDAT, &empty_zlib).unwrap();
        drop(writer);
        std::fs::write(&depth, bytes).unwrap();
    }
    // 200 discrete and 200 continuous symmetries: 201 x 200 x 315 transforms (1.2 GB).
    let info = dir.path().join("models_info.json");
    let discrete = vec!["[1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]"; 200].join(",");
    let continuous = vec![r#"{"axis": [0, 0, 1], "offset": [0, 0, 0]}"#; 200].join(",");
    std::fs::write(
        &info,
        format!(
            r#"{{"1": {{"diameter": 1, "min_x": 0, "min_y": 0, "min_z": 0, "size_x": 1,
            "size_y": 1, "size_z": 1, "symmetries_discrete": [{discrete}],
            "symmetries_continuous": [{continuous}]}}}}"#
        ),
    )
    .unwrap();
    let models = read_models_info(&info).unwrap();
    let start = std::time::Instant::now();
    let (results, usage) = measure(|| {
        [
            Mesh::read_ply(&ply).map(drop).map_err(|e| e.to_string()),
            DepthImage::read(&depth, 1.0)
                .map(drop)
                .map_err(|e| e.to_string()),
            models[&1]
                .symmetry_transforms(0.01)
                .map(drop)
                .map_err(|e| e.to_string()),
        ]
    });
    for result in &results {
        assert!(result.is_err(), "{results:?}");
    }
    assert!(
        results[0].as_ref().unwrap_err().contains("huge.ply"),
        "{results:?}"
    );
    assert!(
        results[1].as_ref().unwrap_err().contains("100000 x 100000"),
        "{results:?}"
    );
    assert!(usage.peak < 16 << 20, "{usage:?}");
    assert!(start.elapsed().as_secs() < 5);
}
