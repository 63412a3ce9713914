//! Importer for a folder holding the standard MNIST-style `train-*` / `t10k-*` IDX files.

use std::path::{Path, PathBuf};

use super::idx::{IdxPart, default_class_names};
use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Split};
use crate::error::DataError;

/// The two file sets such a folder may hold: (prefix, split).
const PARTS: [(&str, Split); 2] = [("train", Split::Train), ("t10k", Split::Test)];

/// Finds `<prefix>-<kind>-<idx>` (or `<prefix>-<kind>.<idx>`), plain or `.gz`, in `dir`.
fn find_file(dir: &Path, prefix: &str, kind: &str, idx: &str) -> Option<PathBuf> {
    [
        format!("{prefix}-{kind}-{idx}"),
        format!("{prefix}-{kind}-{idx}.gz"),
        format!("{prefix}-{kind}.{idx}"),
        format!("{prefix}-{kind}.{idx}.gz"),
    ]
    .into_iter()
    .map(|name| dir.join(name))
    .find(|p| p.is_file())
}

/// Imports a folder with `train-images-idx3-ubyte[.gz]` + `train-labels-idx1-ubyte[.gz]`
/// and/or `t10k-images-idx3-ubyte[.gz]` + `t10k-labels-idx1-ubyte[.gz]` as one dataset.
///
/// Train images get [`Split::Train`] and are written to `out_image_dir/train`, t10k images
/// get [`Split::Test`] and go to `out_image_dir/t10k`; image ids run on across both, and
/// `image_dir` is `out_image_dir` made absolute. `class_names` default to `"0"`..`"9"`.
/// A folder with neither set is [`DataError::NoImages`]; an images file without its
/// labels file (or the reverse) is [`DataError::Format`].
pub fn import_idx_dir(
    src: &Path,
    class_names: Option<Vec<String>>,
    out_image_dir: &Path,
) -> Result<Dataset, DataError> {
    if !src.is_dir() {
        return Err(DataError::io(
            src,
            std::io::Error::new(std::io::ErrorKind::NotFound, "folder not found"),
        ));
    }
    let class_names = class_names.unwrap_or_else(default_class_names);
    let mut pairs = Vec::new();
    for (prefix, split) in PARTS {
        let images = find_file(src, prefix, "images", "idx3-ubyte");
        let labels = find_file(src, prefix, "labels", "idx1-ubyte");
        match (images, labels) {
            (Some(i), Some(l)) => pairs.push((prefix, split, i, l)),
            (None, None) => {}
            (Some(i), None) => {
                return Err(DataError::format(
                    i,
                    format!("no matching {prefix}-labels-idx1-ubyte[.gz] next to it"),
                ));
            }
            (None, Some(l)) => {
                return Err(DataError::format(
                    l,
                    format!("no matching {prefix}-images-idx3-ubyte[.gz] next to it"),
                ));
            }
        }
    }
    if pairs.is_empty() {
        return Err(DataError::NoImages {
            path: src.to_path_buf(),
        });
    }

    std::fs::create_dir_all(out_image_dir).map_err(|e| DataError::io(out_image_dir, e))?;
    let image_dir = absolute_dir_string(out_image_dir)?;
    let mut samples = Vec::new();
    for (prefix, split, images, labels) in &pairs {
        let part = IdxPart {
            images,
            labels,
            num_classes: class_names.len(),
            out_dir: out_image_dir,
            sub_dir: Some(prefix),
            first_id: samples.len() as u64,
            split: Some(*split),
        };
        samples.extend(part.import()?);
    }
    Ok(Dataset {
        class_ids: (0..class_names.len() as u32).collect(),
        class_names,
        image_dir,
        samples,
        ..Default::default()
    })
}
