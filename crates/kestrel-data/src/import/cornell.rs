//! The Cornell grasping layout: a folder of scenes `pcdXXXXr.png` (colour image),
//! `pcdXXXXd.png` (depth, 16-bit PNG of millimetres), `pcdXXXXcpos.txt` and
//! `pcdXXXXcneg.txt` (good and bad grasp rectangles, see [`cornell_rects`](super::cornell_rects)
//! for their conventions).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use image::ImageDecoder;

use super::cornell_rects::{NanRectangles, read_rect_file};
use crate::dataset::{Dataset, Sample, Split};
use crate::error::DataError;
use crate::gripping::{DepthKind, Grasp};
use crate::shuffle::Shuffler;

/// The Kinect v1's nominal camera matrix (`cam_K`, row-major, pixel centres at integer
/// coordinates): fx = fy = 585, cx = 320, cy = 240. Cornell publishes no intrinsics.
pub const CORNELL_CAM_K: [f64; 9] = [585.0, 0.0, 320.0, 0.0, 585.0, 240.0, 0.0, 0.0, 1.0];

/// The seed of the Cornell split by scene ([`cornell_test_scenes`]).
pub const CORNELL_SPLIT_SEED: u64 = 42;

/// The share of the scenes that go to the test split: a quarter (15 of the 60 scenes in
/// `../shared`, 45 train).
pub const CORNELL_TEST_FRACTION: f64 = 0.25;

/// How [`import_cornell`] reads a Cornell folder.
#[derive(Debug, Clone, PartialEq)]
pub struct CornellOptions {
    /// The camera of every scene (`cam_K`), default [`CORNELL_CAM_K`].
    pub cam_k: [f64; 9],
    /// What to do with rectangles that have `NaN` corners (default: skip them).
    pub nan_rectangles: NanRectangles,
    /// The seed of the train/test split by scene ([`cornell_test_scenes`]), default
    /// [`CORNELL_SPLIT_SEED`]; `None` leaves `split` unset.
    pub split_seed: Option<u64>,
}

impl Default for CornellOptions {
    fn default() -> Self {
        Self {
            cam_k: CORNELL_CAM_K,
            nan_rectangles: NanRectangles::Skip,
            split_seed: Some(CORNELL_SPLIT_SEED),
        }
    }
}

/// A Cornell import: the dataset and the rectangles dropped for `NaN` corners.
#[derive(Debug, Clone, PartialEq)]
pub struct CornellImport {
    /// The gripping dataset: one sample per scene, `image_id` = the scene number.
    pub dataset: Dataset,
    /// One message per rectangle dropped under [`NanRectangles::Skip`], naming its file and
    /// lines.
    pub skipped: Vec<String>,
}

/// The scenes that go to the test split: the scene ids sorted, shuffled with `seed`
/// (ChaCha8, the same on every platform), and the first [`CORNELL_TEST_FRACTION`] of them
/// (rounded); returned sorted.
pub fn cornell_test_scenes(scene_ids: &[u64], seed: u64) -> Vec<u64> {
    let mut ids = scene_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Shuffler::new(seed).shuffle(&mut ids);
    let n = (ids.len() as f64 * CORNELL_TEST_FRACTION).round() as usize;
    let mut test = ids[..n].to_vec();
    test.sort_unstable();
    test
}

/// Imports a Cornell grasping folder as a gripping dataset.
///
/// Every `pcdXXXXr.png` is a scene; its sample has `image_id` XXXX, the image, the depth
/// image (`depth_file_name`, `depth_scale` 1 mm, `depth_kind` range: the values are
/// distances from the camera centre, see `docs/RESULTS.md`), `cam_K` from `options`, and
/// the positive then the negative grasps. `image_dir` is `src`; the class list is empty.
/// With `options.split_seed` set, the scenes of [`cornell_test_scenes`] are `test`, the
/// others `train`.
///
/// Errors, all collected and each naming its file (and line): a scene without its depth
/// image or either rectangle file, a depth image that is not single-channel grey or whose
/// size differs from the image's, an unreadable image header, and the rectangle files'
/// problems (lines that are not two numbers, a number of corner lines that is not a
/// multiple of 4, sides of zero length, and `NaN` corners under
/// [`NanRectangles::Error`]). A folder without scenes is [`DataError::NoImages`].
pub fn import_cornell(src: &Path, options: &CornellOptions) -> Result<CornellImport, DataError> {
    let scenes = find_scenes(src)?;
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    let mut samples = Vec::new();
    for (&id, stem) in &scenes {
        let file = |suffix: &str| src.join(format!("{stem}{suffix}"));
        let (image, depth) = (file("r.png"), file("d.png"));
        let mut grasps = Vec::new();
        for (suffix, positive) in [("cpos.txt", true), ("cneg.txt", false)] {
            let path = file(suffix);
            if !path.is_file() {
                problems.push(DataError::format(&path, "rectangle file missing"));
                continue;
            }
            let read = read_rect_file(&path, options.nan_rectangles);
            problems.extend(read.problems);
            skipped.extend(read.skipped);
            grasps.extend(read.rects.into_iter().map(|rect| Grasp { rect, positive }));
        }
        if let Some(problem) = size_problem(&image, &depth) {
            problems.push(problem);
        }
        let mut sample = Sample {
            image_id: id,
            image_file_name: format!("{stem}r.png"),
            depth_file_name: Some(format!("{stem}d.png")),
            depth_scale: Some(1.0),
            depth_kind: Some(DepthKind::Range),
            cam_k: Some(options.cam_k),
            ..Default::default()
        };
        sample.set_grasps(&grasps);
        samples.push(sample);
    }
    DataError::collect(src, problems)?;
    if let Some(seed) = options.split_seed {
        let ids: Vec<u64> = samples.iter().map(|s| s.image_id).collect();
        let test = cornell_test_scenes(&ids, seed);
        for s in &mut samples {
            let is_test = test.binary_search(&s.image_id).is_ok();
            s.split = Some(if is_test { Split::Test } else { Split::Train });
        }
    }
    Ok(CornellImport {
        dataset: Dataset {
            image_dir: src.display().to_string(),
            samples,
            ..Default::default()
        },
        skipped,
    })
}

/// The scenes of `src` by number: `pcdXXXXr.png` → (XXXX, `pcdXXXX`).
fn find_scenes(src: &Path) -> Result<BTreeMap<u64, String>, DataError> {
    let entries = std::fs::read_dir(src).map_err(|e| DataError::io(src, e))?;
    let mut scenes = BTreeMap::new();
    for entry in entries {
        let name = entry.map_err(|e| DataError::io(src, e))?.file_name();
        let name = name.to_string_lossy();
        let Some(stem) = name.strip_suffix("r.png") else {
            continue;
        };
        if let Some(id) = stem.strip_prefix("pcd").and_then(|n| n.parse().ok()) {
            scenes.insert(id, stem.to_string());
        }
    }
    if scenes.is_empty() {
        return Err(DataError::NoImages {
            path: src.to_path_buf(),
        });
    }
    Ok(scenes)
}

/// The problem with a scene's image and depth image, if any: a missing or unreadable file,
/// a depth image that is not single-channel grey, or one of another size.
fn size_problem(image: &Path, depth: &Path) -> Option<DataError> {
    let (image_size, _) = match header(image) {
        Ok(h) => h,
        Err(message) => return Some(DataError::format(image, message)),
    };
    let (depth_size, colour) = match header(depth) {
        Ok(h) => h,
        Err(message) => return Some(DataError::format(depth, message)),
    };
    if !matches!(colour, image::ColorType::L16 | image::ColorType::L8) {
        return Some(DataError::format(
            depth,
            format!("a depth image must be single-channel grey, not {colour:?}"),
        ));
    }
    (depth_size != image_size).then(|| {
        DataError::format(
            depth,
            format!(
                "depth image is {} x {} but its image {} is {} x {}",
                depth_size.0,
                depth_size.1,
                file_name(image).display(),
                image_size.0,
                image_size.1
            ),
        )
    })
}

/// The size and colour type of an image, read from its header.
fn header(path: &Path) -> Result<((u32, u32), image::ColorType), String> {
    if !path.is_file() {
        return Err("file missing".into());
    }
    let decoder = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| format!("cannot read the image header: {e}"))?;
    Ok((decoder.dimensions(), decoder.color_type()))
}

/// The last component of `path`.
fn file_name(path: &Path) -> PathBuf {
    path.file_name().map(PathBuf::from).unwrap_or_default()
}
