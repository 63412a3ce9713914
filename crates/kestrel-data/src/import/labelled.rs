//! Shared helpers of the importers: absolute image folders and datasets from labelled files.

use std::collections::BTreeMap;
use std::path::Path;

use crate::dataset::{Dataset, Sample};
use crate::error::DataError;

/// The absolute form of `dir` as a UTF-8 string (for `Dataset::image_dir`).
pub(crate) fn absolute_dir_string(dir: &Path) -> Result<String, DataError> {
    let abs = std::path::absolute(dir).map_err(|e| DataError::io(dir, e))?;
    abs.to_str()
        .map(str::to_string)
        .ok_or_else(|| DataError::format(dir, "folder path is not valid UTF-8"))
}

/// Builds a dataset from `(file name, class name)` pairs, in the given order.
///
/// Classes are sorted by name and get ids `0..n`; image ids are `0..samples`.
pub(crate) fn dataset_from_labelled(image_dir: String, files: Vec<(String, String)>) -> Dataset {
    let mut ids: BTreeMap<&str, u32> = BTreeMap::new();
    for (_, class) in &files {
        ids.insert(class.as_str(), 0);
    }
    for (i, id) in ids.values_mut().enumerate() {
        // More than u32::MAX classes cannot occur in practice; saturate rather than panic.
        *id = u32::try_from(i).unwrap_or(u32::MAX);
    }
    let class_names: Vec<String> = ids.keys().map(|s| s.to_string()).collect();
    let class_ids: Vec<u32> = ids.values().copied().collect();
    let samples = files
        .iter()
        .enumerate()
        .map(|(i, (file, class))| Sample {
            image_id: i as u64,
            image_file_name: file.clone(),
            image_label_id: ids.get(class.as_str()).copied(),
            split: None,
            ..Default::default()
        })
        .collect();
    Dataset {
        class_names,
        class_ids,
        image_dir,
        samples,
        ..Default::default()
    }
}
