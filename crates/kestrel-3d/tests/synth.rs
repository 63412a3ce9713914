//! The training-data generator (`kestrel_3d::synth`) on small made-up models and
//! backgrounds (160x120 images): determinism across threads, resuming, the BOP folder read
//! back, boxes, masks and visible fractions, and bad inputs. The LM-O models are used
//! when `KESTREL_SHARED` is set.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use kestrel_3d::bop::{model_path, read_bop_scene};
use kestrel_3d::synth::{
    BackgroundSource, BopModels, CameraConfig, ObjectFile, Primitive, SynthConfig, SynthGenerator,
    SynthImage,
};
use kestrel_3d::{Error3d, Mesh, import_bop, linalg};

/// Writes `mesh` as an ASCII PLY file with vertex colours.
fn write_ply(path: &Path, mesh: &Mesh) {
    let mut text = format!(
        "ply\nformat ascii 1.0\nelement vertex {}\nproperty float x\nproperty float y\n\
         property float z\nproperty uchar red\nproperty uchar green\nproperty uchar blue\n\
         element face {}\nproperty list uchar int vertex_indices\nend_header\n",
        mesh.vertices().len(),
        mesh.faces().len()
    );
    let colors = mesh.colors().unwrap();
    for (v, c) in mesh.vertices().iter().zip(colors) {
        text += &format!("{} {} {} {} {} {}\n", v[0], v[1], v[2], c[0], c[1], c[2]);
    }
    for f in mesh.faces() {
        text += &format!("3 {} {} {}\n", f[0], f[1], f[2]);
    }
    std::fs::write(path, text).unwrap();
}

/// A BOP models folder with three objects (a box, a cylinder, an ellipsoid, 60 to 100
/// mm, off-centre so that the bounding-box centre is not the origin) and its
/// `models_info.json`.
fn models_dir(root: &Path) -> PathBuf {
    let dir = root.join("models");
    std::fs::create_dir_all(&dir).unwrap();
    let shapes = [
        (1, Primitive::Box, [40.0, 25.0, 15.0], [200, 40, 40]),
        (2, Primitive::Cylinder, [20.0, 20.0, 45.0], [40, 180, 60]),
        (3, Primitive::Ellipsoid, [35.0, 20.0, 25.0], [50, 60, 220]),
    ];
    let mut info = serde_json::Map::new();
    for (id, kind, half, color) in shapes {
        let m = kind.mesh(half, color);
        let shifted: Vec<[f32; 3]> = m
            .vertices()
            .iter()
            .map(|v| [v[0] + 5.0, v[1], v[2] - 3.0])
            .collect();
        let mesh = Mesh::new(shifted, m.faces().to_vec(), m.colors().map(<[_]>::to_vec)).unwrap();
        write_ply(&model_path(&dir, id), &mesh);
        info.insert(
            id.to_string(),
            serde_json::json!({ "diameter": mesh.diameter() }),
        );
    }
    std::fs::write(
        dir.join("models_info.json"),
        serde_json::Value::Object(info).to_string(),
    )
    .unwrap();
    dir
}

/// Two background folders: PNG gradients and JPEG checkerboards (plus a PNG "mask" that
/// the JPEG source's extension filter leaves out).
fn backgrounds(root: &Path) -> Vec<BackgroundSource> {
    let (a, b) = (root.join("bg/png"), root.join("bg/jpg/deeper"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    for k in 0..3u32 {
        let img = image::RgbImage::from_fn(200 + 40 * k, 150, |x, y| {
            image::Rgb([(x % 256) as u8, (y * 2 % 256) as u8, (60 * k) as u8])
        });
        img.save(a.join(format!("g{k}.png"))).unwrap();
    }
    for k in 0..2u32 {
        let img = image::RgbImage::from_fn(180, 240, |x, y| {
            let on = ((x / (8 + 4 * k)) + (y / 8)) % 2 == 0;
            image::Rgb(if on { [230, 220, 200] } else { [30, 40, 50] })
        });
        img.save(b.join(format!("c{k}.jpg"))).unwrap();
    }
    image::GrayImage::new(10, 10)
        .save(b.join("mask.png"))
        .unwrap();
    vec![
        BackgroundSource::Path(a),
        BackgroundSource::Filtered {
            dir: root.join("bg/jpg"),
            extensions: vec!["jpg".into()],
        },
    ]
}

fn camera() -> CameraConfig {
    CameraConfig {
        fx: 200.0,
        fy: 205.0,
        cx: 79.5,
        cy: 60.0,
        width: 160,
        height: 120,
    }
}

/// The inputs made once per test in `root`, and a configuration of `n` images.
fn config(root: &Path, n: u64) -> SynthConfig {
    let mut c = SynthConfig::new(Vec::new(), camera(), backgrounds(root));
    c.bop_models = Some(BopModels {
        dir: models_dir(root),
        obj_ids: None,
    });
    c.num_images = n;
    c.seed = 11;
    c.poses.distance_mm = [350.0, 900.0];
    c.poses.objects_per_image = [2, 3];
    c.occluders.per_image = [1, 2];
    c
}

/// Every file under `dir` by relative path, with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
}

#[test]
fn same_config_gives_the_same_bytes_on_any_number_of_threads() {
    let root = tempfile::tempdir().unwrap();
    let generator = SynthGenerator::new(config(root.path(), 8)).unwrap();
    assert!(
        generator.warnings().is_empty(),
        "{:?}",
        generator.warnings()
    );
    assert_eq!(
        generator
            .backgrounds()
            .iter()
            .map(Vec::len)
            .collect::<Vec<_>>(),
        [3, 2]
    );
    let (one, three) = (root.path().join("one"), root.path().join("three"));
    let r1 = pool(1).install(|| generator.generate(&one)).unwrap();
    let r3 = pool(3).install(|| generator.generate(&three)).unwrap();
    assert_eq!((r1.rendered, r1.kept, r3.rendered), (8, 0, 8));
    assert!(r1.images_per_second > 0.0);
    assert!(r1.instances >= 8, "{r1:?}");
    let (t1, t3) = (tree(&one), tree(&three));
    assert_eq!(t1.keys().collect::<Vec<_>>(), t3.keys().collect::<Vec<_>>());
    for (name, bytes) in &t1 {
        assert!(bytes == &t3[name], "{name} differs between 1 and 3 threads");
    }
    assert!(t1.contains_key("rgb/000007.png"));
    assert!(t1.contains_key("mask_visib/000007_000000.png"));
    // Image 5 rendered alone is the written one.
    let alone = generator.render_image(5).unwrap();
    let written = image::open(one.join("rgb/000005.png")).unwrap().to_rgb8();
    assert!(
        alone.rgb == written,
        "image 5 alone differs from the written one"
    );
    // Different images and a different seed differ.
    assert!(generator.render_image(4).unwrap().rgb != alone.rgb);
    let mut other = generator.config().clone();
    other.seed += 1;
    let other = SynthGenerator::new(other).unwrap();
    assert!(other.render_image(5).unwrap().rgb != alone.rgb);
}

#[test]
fn a_second_run_continues_where_the_first_stopped() {
    let root = tempfile::tempdir().unwrap();
    let four = config(root.path(), 4);
    let eight = SynthConfig {
        num_images: 8,
        ..four.clone()
    };
    let out = root.path().join("resumed");
    let report = SynthGenerator::new(four.clone())
        .unwrap()
        .generate(&out)
        .unwrap();
    assert_eq!((report.rendered, report.kept), (4, 0));
    let first = tree(&out);
    let mtime = |p: &str| std::fs::metadata(out.join(p)).unwrap().modified().unwrap();
    let before: Vec<_> = first
        .keys()
        .filter(|k| k.starts_with("rgb/") || k.starts_with("mask_visib/"))
        .map(|k| (k.clone(), mtime(k)))
        .collect();
    assert_eq!(
        before.iter().filter(|(k, _)| k.starts_with("rgb/")).count(),
        4
    );
    let generator = SynthGenerator::new(eight).unwrap();
    let report = generator.generate(&out).unwrap();
    assert_eq!((report.rendered, report.kept, report.num_images), (4, 4, 8));
    for (name, time) in &before {
        assert_eq!(&mtime(name), time, "{name} was written again");
    }
    let one_go = root.path().join("one_go");
    generator.generate(&one_go).unwrap();
    let (resumed, whole) = (tree(&out), tree(&one_go));
    assert_eq!(
        resumed.keys().collect::<Vec<_>>(),
        whole.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &whole {
        assert!(
            bytes == &resumed[name],
            "{name} differs from the one-go run"
        );
    }
    // An image interrupted before its record was written is rendered again.
    std::fs::remove_file(out.join("synth/images/000006.json")).unwrap();
    std::fs::write(out.join("rgb/000006.png"), b"half").unwrap();
    let report = generator.generate(&out).unwrap();
    assert_eq!((report.rendered, report.kept), (1, 7));
    assert!(tree(&out) == whole);
    // Nothing to do: nothing rendered, the files stay.
    let report = generator.generate(&out).unwrap();
    assert_eq!((report.rendered, report.kept), (0, 8));
    assert_eq!(report.images_per_second, 0.0);
}

#[test]
fn other_outputs_are_never_overwritten() {
    let root = tempfile::tempdir().unwrap();
    let base = config(root.path(), 3);
    let out = root.path().join("out");
    SynthGenerator::new(base.clone())
        .unwrap()
        .generate(&out)
        .unwrap();
    let before = tree(&out);
    // Another configuration in the same folder.
    let mut other = base.clone();
    other.seed = 99;
    other.poses.distance_mm = [400.0, 800.0];
    let e = SynthGenerator::new(other)
        .unwrap()
        .generate(&out)
        .unwrap_err();
    let m = e.to_string();
    assert!(
        m.contains("another configuration") && m.contains("poses, seed"),
        "{m}"
    );
    // Fewer images than the folder holds.
    let fewer = SynthConfig {
        num_images: 2,
        ..base.clone()
    };
    let e = SynthGenerator::new(fewer)
        .unwrap()
        .generate(&out)
        .unwrap_err();
    assert!(
        matches!(&e, Error3d::Config { field, .. } if field == "num_images"),
        "{e}"
    );
    assert!(
        tree(&out)
            .iter()
            .filter(|(k, _)| !k.ends_with("config.json"))
            .eq(before.iter().filter(|(k, _)| !k.ends_with("config.json")))
    );
    // A folder holding something else.
    let foreign = root.path().join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), b"mine").unwrap();
    let e = SynthGenerator::new(base.clone())
        .unwrap()
        .generate(&foreign)
        .unwrap_err();
    assert!(e.to_string().contains("not empty"), "{e}");
    assert_eq!(tree(&foreign).len(), 1);
    // A file as output folder.
    let e = SynthGenerator::new(base)
        .unwrap()
        .generate(&foreign.join("notes.txt"))
        .unwrap_err();
    assert!(e.to_string().contains("folder"), "{e}");
}

/// Reads the 0/255 mask PNG and counts its set pixels, checking they lie in `bbox`.
fn mask_count(path: &Path, bbox: [i64; 4]) -> u64 {
    let mask = image::open(path).unwrap().to_luma8();
    let mut count = 0;
    for (x, y, p) in mask.enumerate_pixels() {
        assert!(p.0[0] == 0 || p.0[0] == 255, "{}", path.display());
        if p.0[0] == 255 {
            count += 1;
            let (x, y) = (i64::from(x), i64::from(y));
            assert!(
                x >= bbox[0] && x <= bbox[0] + bbox[2] && y >= bbox[1] && y <= bbox[1] + bbox[3],
                "{}: ({x}, {y}) outside {bbox:?}",
                path.display()
            );
        }
    }
    count
}

#[test]
fn the_folder_reads_back_with_the_poses_boxes_and_masks_written() {
    let root = tempfile::tempdir().unwrap();
    let mut c = config(root.path(), 6);
    c.write_depth = true;
    let generator = SynthGenerator::new(c).unwrap();
    let out = root.path().join("scene");
    generator.generate(&out).unwrap();
    let images = read_bop_scene(&out).unwrap();
    assert_eq!(images.len(), 6);
    let info: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scene_gt_info.json")).unwrap())
            .unwrap();
    let meshes: BTreeMap<u32, &kestrel_3d::synth::SynthObject> =
        generator.objects().iter().map(|o| (o.obj_id, o)).collect();
    let cam = generator.camera();
    let mut occluded = 0;
    for image in &images {
        assert_eq!(image.camera, *cam);
        assert_eq!(image.image_file, format!("rgb/{:06}.png", image.im_id));
        let rendered: SynthImage = generator.render_image(image.im_id).unwrap();
        assert_eq!(image.instances.len(), rendered.instances.len());
        let depth = image::open(out.join(format!("depth/{:06}.png", image.im_id)))
            .unwrap()
            .to_luma16();
        for (k, (read, made)) in image.instances.iter().zip(&rendered.instances).enumerate() {
            assert_eq!(read.obj_id, made.obj_id);
            assert_eq!(read.pose, made.pose, "poses are written exactly");
            assert_eq!(
                (read.bbox_obj, read.bbox_visib),
                (made.bbox_obj, made.bbox_visib)
            );
            assert_eq!(read.visib_fract, made.visib_fract);
            let entry = &info[image.im_id.to_string()][k];
            let visib = entry["px_count_visib"].as_u64().unwrap();
            let all = entry["px_count_all"].as_u64().unwrap();
            assert!(visib <= all && all > 0);
            assert!(read.visib_fract >= 0.1, "{}", read.visib_fract);
            assert_eq!(read.visib_fract, visib as f64 / all as f64);
            if read.visib_fract < 1.0 {
                occluded += 1;
            }
            let mask = out.join(format!("mask_visib/{:06}_{k:06}.png", image.im_id));
            assert_eq!(mask_count(&mask, read.bbox_visib), visib);
            // The model's vertices project into the whole box and reach its edges, within
            // 1.5 pixels: the box holds the pixel centres inside triangles, and the tip of
            // a sharp corner may hold none.
            let object = meshes[&read.obj_id];
            let [x, y, w, h] = read.bbox_obj.map(|v| v as f64);
            let (mut u0, mut v0, mut u1, mut v1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for v in object.mesh.vertices() {
                let [u, v] = cam.project(read.pose.apply(v.map(f64::from))).unwrap();
                (u0, v0, u1, v1) = (u0.min(u), v0.min(v), u1.max(u), v1.max(v));
            }
            for (got, want) in [(u0, x), (v0, y), (u1, x + w), (v1, y + h)] {
                assert!((got - want).abs() <= 1.5, "{:?} vs {got}", read.bbox_obj);
            }
            // The object's pose follows the configured ranges: the camera, seen from the
            // model's centre, is 350..900 mm away at an elevation of -15..90 degrees.
            let eye = linalg::sub(read.pose.inverse().apply([0.0; 3]), object.center);
            let d = linalg::norm(eye);
            assert!((350.0 - 1e-6..=900.0 + 1e-6).contains(&d), "{d}");
            let elevation = (eye[2] / d).asin().to_degrees();
            assert!(elevation >= -15.0 - 1e-6, "{elevation}");
            // Depth is written where the object is seen.
            let seen = image::open(&mask).unwrap().to_luma8();
            let (px, py, _) = seen.enumerate_pixels().find(|p| p.2.0[0] == 255).unwrap();
            let z = f64::from(depth.get_pixel(px, py).0[0]);
            // (z is along the optical axis, d along the ray: cos 22 degrees = 0.93 at the
            // image's edge.)
            assert!(
                z > 0.9 * (d - object.radius) && z < d + object.radius + 1.0,
                "{z}"
            );
        }
    }
    assert!(occluded > 0, "no instance was occluded in 6 images");
    let dataset = import_bop(&out, &root.path().join("models")).unwrap();
    assert_eq!(dataset.samples.len(), 6);
    assert_eq!(dataset.class_ids, [1, 2, 3]);
    let labels: usize = dataset
        .samples
        .iter()
        .map(|s| s.bbox_label_id.as_ref().unwrap().len())
        .sum();
    assert_eq!(
        labels,
        images.iter().map(|i| i.instances.len()).sum::<usize>()
    );
}

#[test]
fn a_lone_object_is_fully_visible_and_an_occluder_hides_part_of_it() {
    let root = tempfile::tempdir().unwrap();
    let mut c = config(root.path(), 0);
    c.poses.objects_per_image = [1, 1];
    c.occluders.per_image = [0, 0];
    let lone = SynthGenerator::new(c.clone()).unwrap();
    for i in 0..6 {
        let image = lone.render_image(i).unwrap();
        assert_eq!(image.instances.len(), 1);
        let inst = &image.instances[0];
        assert_eq!(inst.visib_fract, 1.0);
        assert_eq!(inst.px_count_visib, inst.px_count_all);
    }
    c.occluders.per_image = [1, 1];
    c.occluders.cad_probability = 0.0;
    c.occluders.offset_fraction = [0.0, 0.3];
    c.occluders.size_fraction = [0.5, 0.8];
    c.min_visib_fract = 0.0;
    let occluded = SynthGenerator::new(c).unwrap();
    let mut hidden = 0;
    for i in 0..6 {
        let image = occluded.render_image(i).unwrap();
        assert_eq!(image.instances.len(), 1, "the primitive is not annotated");
        let inst = &image.instances[0];
        assert!(inst.px_count_all > 0);
        if inst.visib_fract < 1.0 {
            hidden += 1;
        }
    }
    assert!(hidden >= 5, "only {hidden} of 6 objects partly hidden");
}

#[test]
fn objects_too_hidden_are_removed_from_the_picture() {
    let root = tempfile::tempdir().unwrap();
    let mut c = config(root.path(), 0);
    c.poses.objects_per_image = [3, 3];
    c.occluders.per_image = [3, 3];
    c.occluders.offset_fraction = [0.0, 0.1];
    c.occluders.size_fraction = [1.0, 1.5];
    c.min_visib_fract = 0.6;
    let generator = SynthGenerator::new(c).unwrap();
    let mut dropped = 0;
    for i in 0..6 {
        let image = generator.render_image(i).unwrap();
        dropped += image.dropped;
        for inst in &image.instances {
            assert!(inst.visib_fract >= 0.6, "{}", inst.visib_fract);
        }
    }
    assert!(dropped > 0, "no object was hidden enough to be dropped");
}

#[test]
fn bad_inputs_are_clear_errors() {
    let root = tempfile::tempdir().unwrap();
    let good = config(root.path(), 2);
    let err = |c: SynthConfig| SynthGenerator::new(c).unwrap_err();
    let field_of = |e: &Error3d| match e {
        Error3d::Config { field, .. } => field.clone(),
        other => panic!("not a configuration error: {other}"),
    };

    // No objects.
    let mut c = good.clone();
    c.bop_models = None;
    assert_eq!(field_of(&err(c)), "objects");
    // A CAD file without faces.
    let no_faces = root.path().join("points.ply");
    std::fs::write(
        &no_faces,
        "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\n\
         property float z\nend_header\n0 0 0\n1 0 0\n0 1 0\n",
    )
    .unwrap();
    let mut c = good.clone();
    c.objects = vec![ObjectFile {
        obj_id: 7,
        ply: no_faces.clone(),
    }];
    let m = err(c).to_string();
    assert!(m.contains("points.ply") && m.contains("no faces"), "{m}");
    // A missing CAD file.
    let mut c = good.clone();
    c.objects = vec![ObjectFile {
        obj_id: 7,
        ply: root.path().join("missing.ply"),
    }];
    assert!(err(c).to_string().contains("missing.ply"));
    // An id twice.
    let mut c = good.clone();
    c.objects = vec![ObjectFile {
        obj_id: 2,
        ply: model_path(&root.path().join("models"), 2),
    }];
    c.bop_models.as_mut().unwrap().obj_ids = Some(vec![1, 2]);
    assert_eq!(field_of(&err(c)), "objects");
    // Units: a model in metres and one in micrometres are warnings, naming the file.
    for (name, half) in [("metres.ply", 0.04f32), ("micrometres.ply", 40_000.0)] {
        let path = root.path().join(name);
        write_ply(&path, &Primitive::Box.mesh([half; 3], [9, 9, 9]));
        let mut c = good.clone();
        c.bop_models = None;
        c.objects = vec![ObjectFile {
            obj_id: 1,
            ply: path,
        }];
        let g = SynthGenerator::new(c).unwrap();
        assert_eq!(g.warnings().len(), 1, "{:?}", g.warnings());
        assert!(g.warnings()[0].contains(name) && g.warnings()[0].contains("millimetres"));
    }
    // Cameras.
    let mut c = good.clone();
    c.camera.fx = 0.0;
    assert_eq!(field_of(&err(c)), "camera.fx");
    let mut c = good.clone();
    c.camera.height = 0;
    assert_eq!(field_of(&err(c)), "camera.height");
    // Backgrounds: none given, a missing folder, a folder without images.
    let mut c = good.clone();
    c.backgrounds.clear();
    assert_eq!(field_of(&err(c)), "backgrounds");
    let mut c = good.clone();
    c.backgrounds = vec![BackgroundSource::Path(root.path().join("nowhere"))];
    let e = err(c);
    assert!(
        matches!(e, Error3d::Io { .. }) && e.to_string().contains("nowhere"),
        "{e}"
    );
    let empty = root.path().join("empty");
    std::fs::create_dir_all(empty.join("sub")).unwrap();
    std::fs::write(empty.join("sub/readme.txt"), b"no images").unwrap();
    let mut c = good.clone();
    c.backgrounds = vec![BackgroundSource::Path(empty.clone())];
    let e = err(c);
    assert_eq!(field_of(&e), "backgrounds");
    assert!(e.to_string().contains("no background images found"), "{e}");
    // A source without images beside one with: a warning.
    let mut c = good.clone();
    c.backgrounds.push(BackgroundSource::Path(empty));
    let g = SynthGenerator::new(c).unwrap();
    assert!(
        g.warnings().iter().any(|w| w.contains("empty")),
        "{:?}",
        g.warnings()
    );
    // Ranges.
    let mut c = good.clone();
    c.poses.distance_mm = [900.0, 300.0];
    assert_eq!(field_of(&err(c)), "poses.distance_mm");
    let mut c = good.clone();
    c.poses.elevation_deg = [-100.0, 10.0];
    assert_eq!(field_of(&err(c)), "poses.elevation_deg");
    let mut c = good.clone();
    c.occluders.cad_probability = 1.5;
    assert_eq!(field_of(&err(c)), "occluders.cad_probability");
    let mut c = good.clone();
    c.randomization.noise_sigma = [-1.0, 2.0];
    assert_eq!(field_of(&err(c)), "randomization.noise_sigma");
    let mut c = good;
    c.poses.objects_per_image = [0, 0];
    assert_eq!(field_of(&err(c)), "poses.objects_per_image");
}

#[test]
fn a_json_configuration_has_defaults_and_paths_from_its_folder() {
    let root = tempfile::tempdir().unwrap();
    let _ = config(root.path(), 1); // makes the models and backgrounds
    let path = root.path().join("synth.json");
    std::fs::write(
        &path,
        r#"{
  "bop_models": { "dir": "models", "obj_ids": [1, 3] },
  "camera": { "fx": 200, "fy": 200, "cx": 79.5, "cy": 59.5, "width": 160, "height": 120,
              "depth_scale": 1.0 },
  "backgrounds": ["bg/png", { "dir": "bg/jpg", "extensions": ["JPG"] }],
  "num_images": 2,
  "poses": { "distance_mm": [400, 800] },
  "randomization": { "noise_sigma": [0, 0] }
}"#,
    )
    .unwrap();
    let c = SynthConfig::from_json_file(&path).unwrap();
    assert_eq!(
        c.bop_models.as_ref().unwrap().dir,
        root.path().join("models")
    );
    assert_eq!(c.poses.distance_mm, [400.0, 800.0]);
    assert_eq!(c.poses.elevation_deg, [-15.0, 90.0]);
    assert_eq!(c.randomization.noise_sigma, [0.0, 0.0]);
    assert_eq!(c.randomization.contrast, [0.8, 1.2]);
    assert_eq!((c.min_visib_fract, c.seed, c.write_depth), (0.1, 0, false));
    let g = SynthGenerator::new(c.clone()).unwrap();
    assert_eq!(
        g.objects().iter().map(|o| o.obj_id).collect::<Vec<_>>(),
        [1, 3]
    );
    assert_eq!(
        g.backgrounds().iter().map(Vec::len).collect::<Vec<_>>(),
        [3, 2]
    );
    let report = g.generate(&root.path().join("out")).unwrap();
    assert_eq!(report.rendered, 2);
    // The stored configuration reads back as the same configuration.
    let stored: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.path().join("out/synth/config.json")).unwrap(),
    )
    .unwrap();
    let back: SynthConfig = serde_json::from_value(stored["config"].clone()).unwrap();
    assert_eq!(back, c);

    // Errors name the file and the field.
    let bad = |text: &str| {
        std::fs::write(&path, text).unwrap();
        SynthConfig::from_json_file(&path).unwrap_err().to_string()
    };
    let m = bad(
        r#"{"bop_models": {"dir": "models"}, "camera": {"fy": 1, "cx": 0, "cy": 0, "width": 4, "height": 4}, "backgrounds": ["bg"]}"#,
    );
    assert!(
        m.contains("synth.json") && m.contains("missing field `fx`"),
        "{m}"
    );
    let m = bad(
        r#"{"bop_models": {"dir": "models"}, "camera": {"fx": 0, "fy": 1, "cx": 0, "cy": 0, "width": 4, "height": 4}, "backgrounds": ["bg"]}"#,
    );
    assert!(m.contains("synth.json") && m.contains("camera.fx"), "{m}");
    let m = bad(
        r#"{"bop_models": {"dir": "models"}, "camera": {"fx": 1, "fy": 1, "cx": 0, "cy": 0, "width": 4, "height": 4}, "backgrounds": ["bg"], "poses": {"distance": [1, 2]}}"#,
    );
    assert!(m.contains("unknown field `distance`"), "{m}");
    let m = bad(
        r#"{"camera": {"fx": 1, "fy": 1, "cx": 0, "cy": 0, "width": 4, "height": 4}, "backgrounds": ["bg"]}"#,
    );
    assert!(m.contains("synth.json") && m.contains("objects"), "{m}");
}

#[test]
fn lmo_models_render_at_their_size() {
    let Some(data) = common::shared_data("lmo") else {
        return;
    };
    let Some(images) = common::shared_data("images") else {
        return;
    };
    let root = tempfile::tempdir().unwrap();
    let lmo_camera = CameraConfig::read_bop_camera(&data.join("camera.json")).unwrap();
    assert_eq!((lmo_camera.width, lmo_camera.height), (640, 480));
    // The LM-O camera at half resolution.
    let camera = CameraConfig {
        fx: lmo_camera.fx / 2.0,
        fy: lmo_camera.fy / 2.0,
        cx: lmo_camera.cx / 2.0,
        cy: lmo_camera.cy / 2.0,
        width: 320,
        height: 240,
    };
    let mut c = SynthConfig::new(Vec::new(), camera, vec![BackgroundSource::Path(images)]);
    c.bop_models = Some(BopModels {
        dir: data.join("models"),
        obj_ids: None,
    });
    c.num_images = 3;
    let generator = SynthGenerator::new(c).unwrap();
    assert!(
        generator.warnings().is_empty(),
        "{:?}",
        generator.warnings()
    );
    let info = kestrel_3d::read_models_info(&data.join("models/models_info.json")).unwrap();
    for o in generator.objects() {
        let d = info[&o.obj_id].diameter;
        assert!(
            (o.diameter - d).abs() < 0.01 * d,
            "object {}: {} vs {d}",
            o.obj_id,
            o.diameter
        );
    }
    let out = root.path().join("lmo_synth");
    let report = generator.generate(&out).unwrap();
    assert!(report.instances >= 3, "{report:?}");
    let dataset = import_bop(&out, &data.join("models")).unwrap();
    assert_eq!(dataset.samples.len(), 3);
    for image in read_bop_scene(&out).unwrap() {
        for inst in &image.instances {
            // Seen from 350..1500 mm, an object of diameter d spans about f d / z pixels.
            let z = inst.pose.translation()[2];
            let d = info[&inst.obj_id].diameter;
            let span = inst.bbox_obj[2].max(inst.bbox_obj[3]) as f64;
            let expected = camera.fx * d / z;
            assert!(
                span > 0.3 * expected && span < 1.3 * expected,
                "{span} vs {expected}"
            );
        }
    }
}
