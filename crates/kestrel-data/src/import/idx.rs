//! IDX (MNIST-format) importer: decodes an images/labels file pair into PNG files.

use std::path::Path;

use super::grey_png::write_grey_pngs;
use super::idx_format::read_idx;
use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Sample, Split};
use crate::error::DataError;

/// Class names used when none are given: the digits `"0"` to `"9"`.
pub(crate) fn default_class_names() -> Vec<String> {
    (0..10).map(|d| d.to_string()).collect()
}

/// Imports an IDX images file (`n x rows x cols` bytes) and its labels file (`n` bytes),
/// plain or gzip-compressed. A file may hold at most 1 GiB of data; a compressed one is
/// decompressed only as far as its header claims (a gzip bomb cannot fill the memory).
///
/// Each image is written as an 8-bit grey PNG into `out_image_dir` (created if needed,
/// existing files of the same name are replaced), named `000000.png`, `000001.png`, ...;
/// the files are written in parallel. `class_names` default to `"0"`..`"9"`; class ids are
/// `0..class_names.len()` and every label must be below that. Image ids are `0..n`, every
/// sample gets `split`, and `image_dir` is `out_image_dir` made absolute.
pub fn import_idx(
    images: &Path,
    labels: &Path,
    class_names: Option<Vec<String>>,
    out_image_dir: &Path,
    split: Option<Split>,
) -> Result<Dataset, DataError> {
    let class_names = class_names.unwrap_or_else(default_class_names);
    std::fs::create_dir_all(out_image_dir).map_err(|e| DataError::io(out_image_dir, e))?;
    let image_dir = absolute_dir_string(out_image_dir)?;
    let part = IdxPart {
        images,
        labels,
        num_classes: class_names.len(),
        out_dir: out_image_dir,
        sub_dir: None,
        first_id: 0,
        split,
    };
    let samples = part.import()?;
    Ok(Dataset {
        class_ids: (0..class_names.len() as u32).collect(),
        class_names,
        image_dir,
        samples,
        ..Default::default()
    })
}

/// One images/labels pair to import into a (possibly shared) output folder.
pub(crate) struct IdxPart<'a> {
    /// The IDX images file.
    pub images: &'a Path,
    /// The IDX labels file.
    pub labels: &'a Path,
    /// Number of classes; every label must be below it.
    pub num_classes: usize,
    /// The dataset's image folder.
    pub out_dir: &'a Path,
    /// Sub-folder of `out_dir` to write into (also prefixed to the file names).
    pub sub_dir: Option<&'a str>,
    /// Image id of the first image.
    pub first_id: u64,
    /// Split given to every sample.
    pub split: Option<Split>,
}

impl IdxPart<'_> {
    /// Decodes the pair, writes the PNG files and returns the samples.
    pub(crate) fn import(&self) -> Result<Vec<Sample>, DataError> {
        let labels = read_idx(self.labels)?;
        if labels.dims.len() != 1 {
            return Err(DataError::format(
                self.labels,
                format!(
                    "expected a 1-dimensional IDX labels file, found dimensions {:?}",
                    labels.dims
                ),
            ));
        }
        if let Some(i) = labels
            .data
            .iter()
            .position(|&l| usize::from(l) >= self.num_classes)
        {
            return Err(DataError::format(
                self.labels,
                format!(
                    "label {} of item {i} has no class name ({} classes)",
                    labels.data[i], self.num_classes
                ),
            ));
        }
        let images = read_idx(self.images)?;
        let &[count, rows, cols] = images.dims.as_slice() else {
            return Err(DataError::format(
                self.images,
                format!(
                    "expected a 3-dimensional IDX images file (count x rows x cols), found dimensions {:?}",
                    images.dims
                ),
            ));
        };
        if count != labels.data.len() {
            return Err(DataError::format(
                self.images,
                format!(
                    "{count} images but {} labels in {}",
                    labels.data.len(),
                    self.labels.display()
                ),
            ));
        }
        if count == 0 {
            return Err(DataError::NoImages {
                path: self.images.to_path_buf(),
            });
        }
        let (Ok(width), Ok(height)) = (u32::try_from(cols), u32::try_from(rows)) else {
            return Err(DataError::format(self.images, "image size too large"));
        };
        if width == 0 || height == 0 {
            return Err(DataError::format(
                self.images,
                format!("images have no pixels ({rows} x {cols})"),
            ));
        }

        let dir = match self.sub_dir {
            Some(sub) => self.out_dir.join(sub),
            None => self.out_dir.to_path_buf(),
        };
        std::fs::create_dir_all(&dir).map_err(|e| DataError::io(&dir, e))?;
        let names = write_grey_pngs(&dir, width, height, &images.data)?;

        Ok(names
            .into_iter()
            .zip(&labels.data)
            .enumerate()
            .map(|(i, (name, &label))| Sample {
                image_id: self.first_id + i as u64,
                image_file_name: match self.sub_dir {
                    Some(sub) => format!("{sub}/{name}"),
                    None => name,
                },
                image_label_id: Some(u32::from(label)),
                split: self.split,
                ..Default::default()
            })
            .collect())
    }
}
