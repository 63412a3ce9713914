//! Segmentation importer for an image folder and a label-image folder paired by name.

use std::collections::BTreeMap;
use std::path::Path;

use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::scan::find_images;

/// Imports a semantic-segmentation dataset from `image_dir` and `label_dir`, pairing each
/// image with the label image of the same relative path without extension (`a/x.jpg`
/// with `a/x.png`; any image extension on either side, found recursively).
///
/// Label images hold one class id per pixel (8-bit grey); their values are not read here
/// ([`validate`](crate::validate()) checks them). Classes are `class_names` with ids
/// `0..n`; samples are sorted by image path with ids `0..n` and have no `image_label_id`.
/// `image_dir` and `segmentation_dir` are the folders made absolute.
///
/// Errors, all reported at once ([`DataError::Problems`]): an image without a label image,
/// a label image without an image, and two files on one side with the same name but
/// different extensions. Neither folder holding an image is [`DataError::NoImages`].
pub fn import_segmentation_folders(
    image_dir: &Path,
    label_dir: &Path,
    class_names: Vec<String>,
) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(image_dir)?;
    let label_root = absolute_dir_string(label_dir)?;
    let mut errors = Vec::new();
    let images = by_stem(image_dir, find_images(image_dir)?, &mut errors);
    let mut labels = by_stem(label_dir, find_images(label_dir)?, &mut errors);
    if images.is_empty() && labels.is_empty() {
        return Err(DataError::NoImages {
            path: image_dir.to_path_buf(),
        });
    }
    let mut samples = Vec::new();
    for (stem, image) in images {
        match labels.remove(stem.as_str()) {
            Some(label) => samples.push(Sample {
                image_id: samples.len() as u64,
                image_file_name: image,
                segmentation_file_name: Some(label),
                ..Default::default()
            }),
            None => errors.push(DataError::format(
                image_dir.join(&image),
                format!("no label image {stem}.<ext> in {}", label_dir.display()),
            )),
        }
    }
    for (stem, label) in labels {
        errors.push(DataError::format(
            label_dir.join(&label),
            format!("no image {stem}.<ext> in {}", image_dir.display()),
        ));
    }
    DataError::collect(image_dir, errors)?;
    Ok(Dataset {
        class_ids: (0..class_names.len() as u32).collect(),
        class_names,
        image_dir: image_root,
        samples,
        segmentation_dir: Some(label_root),
        ..Default::default()
    })
}

/// `relative path without extension -> relative path`, reporting names that occur with
/// two extensions.
fn by_stem(
    dir: &Path,
    files: Vec<String>,
    errors: &mut Vec<DataError>,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for file in files {
        let stem = match file.rsplit_once('.') {
            Some((stem, _)) if !stem.ends_with('/') && !stem.is_empty() => stem.to_string(),
            _ => file.clone(),
        };
        if let Some(first) = out.get(&stem) {
            errors.push(DataError::format(
                dir.join(&file),
                format!("ambiguous: {first} has the same name"),
            ));
        } else {
            out.insert(stem, file);
        }
    }
    out
}
