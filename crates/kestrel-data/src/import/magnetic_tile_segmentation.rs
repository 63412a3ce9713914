//! Magnetic-Tile importer for semantic segmentation: masks become label images.

use std::path::Path;

use rayon::prelude::*;

use super::grey_png::write_grey_png_atomic;
use super::labelled::absolute_dir_string;
use super::magnetic_tile_layout::{FREE, MtImage, find_mt_images};
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;

/// The classes, in id order: background (0) and the five defect types.
const CLASSES: [&str; 6] = ["background", "Blowhole", "Break", "Crack", "Fray", "Uneven"];

/// Mask values from this one up are defect pixels.
const MASK_THRESHOLD: u8 = 128;

/// Imports the Magnetic-Tile defect folder (`root/MT_<Class>/Imgs/<name>.jpg` + mask
/// `<name>.png`) as a semantic-segmentation dataset, writing its label images.
///
/// Classes are fixed: `background` (0), `Blowhole` (1), `Break` (2), `Crack` (3), `Fray`
/// (4), `Uneven` (5); `class_ids_background = [0]`. For every image one 8-bit grey label
/// PNG is written (in parallel, each atomically) to `label_dir/MT_<Class>/<name>.png`:
/// mask pixels >= 128 get the folder's class id, the others 0; `MT_Free` images are all
/// background (their masks are not read). `label_dir` is created if needed and existing
/// label files are replaced.
///
/// `image_dir` is `root` and `segmentation_dir` is `label_dir`, both made absolute (so
/// the dataset file can be saved anywhere). Each sample's `image_label_id` is its image's
/// class (`MT_Free` = background 0), so [`split`](crate::split()) stratifies by defect
/// type. Samples are in folder-name order, then by file name; image ids are `0..n`.
///
/// Errors, all reported at once ([`DataError::Problems`]): an `MT_<Class>` folder whose
/// class is not one of the above, a defect image without its mask, a mask that cannot be
/// decoded or whose size differs from its image's. A root without `MT_*` folders is
/// [`DataError::NoImages`].
pub fn import_magnetic_tile_segmentation(
    root: &Path,
    label_dir: &Path,
) -> Result<Dataset, DataError> {
    let image_dir = absolute_dir_string(root)?;
    let images = find_mt_images(root)?;
    let mut errors = Vec::new();
    let mut jobs: Vec<(&MtImage, u32, String)> = Vec::with_capacity(images.len());
    for m in &images {
        let class_id = if m.class == FREE {
            Some(0)
        } else {
            CLASSES.iter().position(|&c| c == m.class).map(|i| i as u32)
        };
        let Some(class_id) = class_id else {
            errors.push(DataError::format(
                root.join(&m.image),
                format!(
                    "unknown class folder MT_{} (expected MT_Free or MT_{})",
                    m.class,
                    CLASSES[1..].join(", MT_")
                ),
            ));
            continue;
        };
        if class_id != 0 && !m.has_mask {
            errors.push(DataError::format(
                root.join(&m.mask),
                format!("mask of {} not found", m.image),
            ));
        }
        let folder = m.image.split('/').next().unwrap_or_default();
        let stem = m.mask.rsplit('/').next().unwrap_or_default();
        jobs.push((m, class_id, format!("{folder}/{stem}")));
    }
    DataError::collect(root, errors)?;

    std::fs::create_dir_all(label_dir).map_err(|e| DataError::io(label_dir, e))?;
    let segmentation_dir = absolute_dir_string(label_dir)?;
    let mut folders: Vec<&str> = jobs
        .iter()
        .filter_map(|j| j.2.split_once('/'))
        .map(|p| p.0)
        .collect();
    folders.dedup();
    for folder in folders {
        let dir = label_dir.join(folder);
        std::fs::create_dir_all(&dir).map_err(|e| DataError::io(&dir, e))?;
    }
    let errors: Vec<DataError> = jobs
        .par_iter()
        .filter_map(|(m, class_id, label)| {
            write_label_image(root, m, *class_id, &label_dir.join(label)).err()
        })
        .collect();
    DataError::collect(root, errors)?;

    let samples = jobs
        .into_iter()
        .enumerate()
        .map(|(i, (m, class_id, label))| Sample {
            image_id: i as u64,
            image_file_name: m.image.clone(),
            image_label_id: Some(class_id),
            segmentation_file_name: Some(label),
            ..Default::default()
        })
        .collect();
    Ok(Dataset {
        class_names: CLASSES.map(String::from).to_vec(),
        class_ids: (0..CLASSES.len() as u32).collect(),
        image_dir,
        samples,
        segmentation_dir: Some(segmentation_dir),
        class_ids_background: vec![0],
        ..Default::default()
    })
}

/// Writes the label image of `m` to `out`: its thresholded mask times `class_id`, or all
/// zeros (of the image's size) for class 0.
fn write_label_image(root: &Path, m: &MtImage, class_id: u32, out: &Path) -> Result<(), DataError> {
    let image_path = root.join(&m.image);
    let (width, height) = image::image_dimensions(&image_path)
        .map_err(|e| DataError::format(&image_path, format!("cannot read image header: {e}")))?;
    let pixels = if class_id == 0 {
        vec![0; width as usize * height as usize]
    } else {
        let mask_path = root.join(&m.mask);
        let mask = image::open(&mask_path)
            .map_err(|e| DataError::format(&mask_path, format!("cannot decode mask: {e}")))?
            .into_luma8();
        if mask.dimensions() != (width, height) {
            return Err(DataError::format(
                &mask_path,
                format!(
                    "mask is {} x {} but its image {} is {width} x {height}",
                    mask.width(),
                    mask.height(),
                    m.image
                ),
            ));
        }
        let id = class_id as u8;
        mask.into_raw()
            .into_iter()
            .map(|v| if v >= MASK_THRESHOLD { id } else { 0 })
            .collect()
    };
    write_grey_png_atomic(out, width, height, &pixels)
}
