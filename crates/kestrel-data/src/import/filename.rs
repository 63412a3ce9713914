//! File-name importer: the class is the file name's prefix (`apple_01.png` is an `apple`).

use std::path::Path;

use super::labelled::{absolute_dir_string, dataset_from_labelled};
use crate::dataset::Dataset;
use crate::error::DataError;
use crate::scan::find_images;

/// The class a file name denotes, as HALCON reads it: the stem up to its last `_`, or,
/// without `_`, the stem's leading non-digit part. `None` when that is empty.
///
/// `apple_01.png` gives `apple`, `rolled-in_scale_12.jpg` gives `rolled-in_scale`,
/// `cat7.bmp` gives `cat`.
pub fn label_from_file_name(file_name: &str) -> Option<&str> {
    let base = file_name.rsplit('/').next().unwrap_or(file_name);
    let stem = match base.rfind('.') {
        Some(dot) if dot > 0 => &base[..dot],
        _ => base,
    };
    let label = match stem.rfind('_') {
        Some(i) => &stem[..i],
        None => stem
            .split(|c: char| c.is_ascii_digit())
            .next()
            .unwrap_or(""),
    };
    (!label.is_empty()).then_some(label)
}

/// Imports all images below `src` (recursively, sorted), taking each one's class from its
/// file name with [`label_from_file_name`].
///
/// Classes are sorted by name with ids `0..n`; `image_dir` is `src` made absolute and file
/// names are relative to it. A file name that yields no class is a [`DataError::Format`].
pub fn import_filename(src: &Path) -> Result<Dataset, DataError> {
    let image_dir = absolute_dir_string(src)?;
    let files = find_images(src)?
        .into_iter()
        .map(|rel| match label_from_file_name(&rel) {
            Some(label) => {
                let label = label.to_string();
                Ok((rel, label))
            }
            None => Err(DataError::format(
                src.join(&rel),
                "cannot derive a class from the file name (expected <class>_<number>.<ext>)",
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    if files.is_empty() {
        return Err(DataError::NoImages {
            path: src.to_path_buf(),
        });
    }
    Ok(dataset_from_labelled(image_dir, files))
}
