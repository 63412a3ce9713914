//! The LM-O scene of the shared data (8 CAD models, 20 real images with ground-truth poses):
//! import, model measures, and rendered silhouettes against BOP's boxes. Runs when
//! `KESTREL_SHARED` is set and says that it was skipped otherwise.

mod common;

use std::collections::BTreeMap;

use kestrel_3d::bop::{model_path, read_bop_scene, sample_camera, sample_poses};
use kestrel_3d::{Mesh, RenderObject, RenderOptions, import_bop, read_models_info, render};

/// Every model of `models_info.json`, read.
fn models(models_dir: &std::path::Path) -> BTreeMap<u32, Mesh> {
    let info = read_models_info(&models_dir.join("models_info.json")).unwrap();
    info.keys()
        .map(|&id| (id, Mesh::read_ply(&model_path(models_dir, id)).unwrap()))
        .collect()
}

#[test]
fn rendered_silhouettes_match_bop_boxes() {
    let Some(lmo) = common::shared_data("lmo") else {
        return;
    };
    let models = models(&lmo.join("models"));
    let images = read_bop_scene(&lmo.join("test/000002")).unwrap();
    assert_eq!(images.len(), 20);
    let mut checked = 0;
    let mut worst = 0;
    let mut outside_count = 0;
    for image in &images {
        // BOP computes bbox_obj on a canvas three times the image's size, centred on it,
        // so that the box of an object cut by the image edge is whole: do the same.
        let cam = image.camera;
        let (w, h) = (cam.width, cam.height);
        let big = cam
            .shifted(-f64::from(w), -f64::from(h), 3 * w, 3 * h)
            .unwrap();
        for inst in &image.instances {
            let object = RenderObject {
                mesh: &models[&inst.obj_id],
                pose: inst.pose,
            };
            let rendering = render(&big, &[object], &RenderOptions::default(), None).unwrap();
            let b = rendering.mask.bbox(1).expect("object not rendered");
            let [x, y, bw, bh] = b.to_bop();
            let got = [x - i64::from(w), y - i64::from(h), bw, bh];
            let want = inst.bbox_obj;
            if want == [-1; 4] {
                // BOP's mark for an object with no pixel in the image.
                let outside = got[0] >= i64::from(w)
                    || got[1] >= i64::from(h)
                    || got[0] + got[2] < 0
                    || got[1] + got[3] < 0;
                assert!(
                    outside,
                    "image {} object {}: rendered box {got:?} but BOP says outside",
                    image.im_id, inst.obj_id
                );
                outside_count += 1;
                continue;
            }
            let diff = [
                got[0] - want[0],
                got[1] - want[1],
                got[0] + got[2] - want[0] - want[2],
                got[1] + got[3] - want[1] - want[3],
            ]
            .map(i64::abs)
            .into_iter()
            .max()
            .unwrap();
            assert!(
                diff <= 2,
                "image {} object {}: rendered box {got:?}, BOP bbox_obj {want:?}",
                image.im_id,
                inst.obj_id
            );
            worst = worst.max(diff);
            checked += 1;
        }
    }
    eprintln!(
        "{checked} objects in the images, largest box corner difference {worst} px; {outside_count} outside"
    );
    assert!(checked >= 20 * 6, "only {checked} objects");
}

#[test]
fn model_measures_agree_with_models_info() {
    let Some(lmo) = common::shared_data("lmo") else {
        return;
    };
    let models_dir = lmo.join("models");
    let info = read_models_info(&models_dir.join("models_info.json")).unwrap();
    assert_eq!(
        info.keys().copied().collect::<Vec<_>>(),
        [1, 5, 6, 8, 9, 10, 11, 12]
    );
    assert_eq!(info[&10].symmetries_discrete.len(), 1);
    assert!(info[&1].symmetries_discrete.is_empty());
    for (&id, mesh) in &models(&models_dir) {
        let i = &info[&id];
        assert!(mesh.colors.is_some(), "obj {id} has no colours");
        let bb = mesh.bounding_box();
        for k in 0..3 {
            assert!(
                (bb.min[k] - i.min[k]).abs() < 0.01,
                "obj {id} min {:?} vs {:?}",
                bb.min,
                i.min
            );
            assert!(
                (bb.size()[k] - i.size[k]).abs() < 0.01,
                "obj {id} size {:?} vs {:?}",
                bb.size(),
                i.size
            );
        }
        let d = mesh.diameter();
        assert!(
            (d - i.diameter).abs() < 0.01 * i.diameter,
            "obj {id}: diameter {d} vs {}",
            i.diameter
        );
    }
}

#[test]
fn import_gives_a_pose_dataset() {
    let Some(lmo) = common::shared_data("lmo") else {
        return;
    };
    let scene = lmo.join("test/000002");
    let ds = import_bop(&scene, &lmo.join("models")).unwrap();
    assert_eq!(ds.class_ids, [1, 5, 6, 8, 9, 10, 11, 12]);
    assert_eq!(ds.class_names[0], "obj_000001");
    assert_eq!(ds.samples.len(), 20);
    let first = &ds.samples[0];
    assert_eq!(first.image_id, 3);
    assert_eq!(first.image_file_name, "rgb/000003.png");
    let poses = sample_poses(first).unwrap();
    assert_eq!(poses[0].obj_id, 1);
    assert!((poses[0].pose.translation()[2] - 1112.83112737).abs() < 1e-6);
    // scene_gt_info's first box is [388, 164, 34, 45]: rows 164..=209, columns 388..=422.
    assert_eq!(first.bbox_row1.as_ref().unwrap()[0], 164.0);
    assert_eq!(first.bbox_col2.as_ref().unwrap()[0], 423.0);
    let cam = sample_camera(first, 640, 480).unwrap();
    assert!((cam.fx - 572.4114).abs() < 1e-9);
    // The dataset survives a JSON round trip with its pose fields.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lmo.json");
    ds.save(&path, false).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"pose_cam_R_m2c\"") && text.contains("\"cam_K\""));
    let back = kestrel_data::Dataset::load(&path).unwrap();
    assert_eq!(back.samples, ds.samples);
    assert_eq!(back.models_dir, ds.models_dir);
    assert!(
        kestrel_data::validate(&back).is_ok(),
        "{}",
        kestrel_data::validate(&back)
    );
}
