//! Folder-per-class importer: `src/<class>/**/<image>`.

use std::path::Path;

use super::labelled::{absolute_dir_string, dataset_from_labelled};
use crate::dataset::Dataset;
use crate::error::DataError;
use crate::scan::find_images;

/// Imports a folder whose sub-folders are the classes (label = sub-folder name).
///
/// Images (png, jpg, jpeg, bmp, tif, tiff, any case) are found recursively inside each
/// class folder and sorted; images directly in `src` have no class and are ignored, as
/// are hidden files and folders. Classes are sorted by name with ids `0..n`.
/// `image_dir` is `src` made absolute; file names are relative to it.
pub fn import_folder(src: &Path) -> Result<Dataset, DataError> {
    let image_dir = absolute_dir_string(src)?;
    let files: Vec<(String, String)> = find_images(src)?
        .into_iter()
        .filter_map(|rel| {
            let (class, _) = rel.split_once('/')?;
            let class = class.to_string();
            Some((rel, class))
        })
        .collect();
    if files.is_empty() {
        return Err(DataError::NoImages {
            path: src.to_path_buf(),
        });
    }
    Ok(dataset_from_labelled(image_dir, files))
}
