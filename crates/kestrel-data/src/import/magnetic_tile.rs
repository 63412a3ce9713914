//! Magnetic-Tile importer for anomaly detection: `MT_Free` is ok, every other class nok.

use std::path::Path;

use super::labelled::absolute_dir_string;
use super::magnetic_tile_layout::{FREE, find_mt_images};
use super::magnetic_tile_split::apply_split_file;
use crate::dataset::{AnomalyLabel, Dataset, Sample};
use crate::error::DataError;

/// Imports the Magnetic-Tile defect folder (`root/MT_<Class>/Imgs/<name>.jpg` with the
/// mask `<name>.png` next to it) as an anomaly-detection dataset.
///
/// `MT_Free` images are [`AnomalyLabel::Ok`] without a mask; the images of every other
/// `MT_<Class>` folder are [`AnomalyLabel::Nok`] with `anomaly_file_name` = their mask.
/// The masks are used as they are: 0 / 255 with a few soft values along defect edges, so a
/// consumer should threshold them at 128 (some `MT_Uneven` masks are empty).
///
/// Classes: the folder names without `MT_`, `Free` first (id 0), then the others sorted
/// by name (`Free, Blowhole, Break, Crack, Fray, Uneven` for the full data set); each
/// sample's `image_label_id` is its folder's class, so results can be broken down per
/// defect type. `image_dir` is `root` made absolute and file names are relative to it
/// (`MT_Crack/Imgs/x.jpg`); masks are relative to it too (`anomaly_dir` is unset).
/// Samples are in class order, then by file name; image ids are `0..n`.
///
/// With `split_file` (e.g. `splits/magnetic_tile.json`: lists `train`, `test_good` and
/// `test_defect` of paths relative to `root`; its `root` key is ignored), `train` images
/// get [`Split::Train`](crate::Split::Train) and the two test lists
/// [`Split::Test`](crate::Split::Test). Images in none of the lists keep `split: None`
/// (count them to notice); a listed path that is not an image under `root`, a path listed
/// twice, a defective image in `test_good` or a defect-free one in `test_defect` are
/// errors, all reported at once ([`DataError::Problems`]).
///
/// A nok image without its mask is an error (all are listed). A root without `MT_*`
/// folders is [`DataError::NoImages`].
pub fn import_magnetic_tile_anomaly(
    root: &Path,
    split_file: Option<&Path>,
) -> Result<Dataset, DataError> {
    let image_dir = absolute_dir_string(root)?;
    let images = find_mt_images(root)?;
    let mut class_names: Vec<String> = Vec::new();
    for image in &images {
        if !class_names.contains(&image.class) {
            class_names.push(image.class.clone());
        }
    }
    // Free first, the rest by name (the folder listing is sorted already).
    class_names.sort_by_key(|c| c != FREE);
    let class_of = |name: &str| class_names.iter().position(|c| c == name).unwrap_or(0) as u32;

    let mut errors = Vec::new();
    let mut samples: Vec<Sample> = Vec::with_capacity(images.len());
    let mut ordered: Vec<_> = images.iter().collect();
    ordered.sort_by_key(|m| class_of(&m.class));
    for m in ordered {
        let ok = m.class == FREE;
        if !ok && !m.has_mask {
            errors.push(DataError::format(
                root.join(&m.mask),
                format!("anomaly mask of {} not found", m.image),
            ));
        }
        samples.push(Sample {
            image_id: samples.len() as u64,
            image_file_name: m.image.clone(),
            image_label_id: Some(class_of(&m.class)),
            anomaly_label: Some(if ok {
                AnomalyLabel::Ok
            } else {
                AnomalyLabel::Nok
            }),
            anomaly_file_name: (!ok).then(|| m.mask.clone()),
            ..Default::default()
        });
    }
    DataError::collect(root, errors)?;
    if let Some(split_file) = split_file {
        apply_split_file(split_file, &mut samples)?;
    }
    Ok(Dataset {
        class_ids: (0..class_names.len() as u32).collect(),
        class_names,
        image_dir,
        samples,
        ..Default::default()
    })
}
