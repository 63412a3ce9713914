//! MVTec AD importer: one category folder with `train/good`, `test/<type>` and
//! `ground_truth/<type>`.

use std::path::Path;

use super::labelled::absolute_dir_string;
use crate::dataset::{AnomalyLabel, Dataset, Sample, Split};
use crate::error::DataError;
use crate::scan::{find_images, sub_folders};

/// The folder name (and class name) of defect-free images.
const GOOD: &str = "good";

/// Imports one MVTec AD category folder (e.g. `bottle/`) as an anomaly-detection dataset.
///
/// `train/good/*` become [`AnomalyLabel::Ok`] / [`Split::Train`], `test/good/*`
/// [`AnomalyLabel::Ok`] / [`Split::Test`], and `test/<type>/<name>.<ext>` (any image
/// extension, found recursively) [`AnomalyLabel::Nok`] / [`Split::Test`] with the anomaly
/// mask `ground_truth/<type>/<name>_mask.png`.
///
/// Classes: `class_names = ["good", <defect types sorted by name>...]` with ids `0..n`,
/// and every sample's `image_label_id` is its folder's class, so results can be broken
/// down per defect type while `anomaly_label` carries ok / nok. `image_dir` is `root`
/// made absolute; image and mask file names are relative to it (`anomaly_dir` is unset).
///
/// Errors: a missing `train` or `test` folder ([`DataError::Io`]), a folder in `train`
/// other than `good`, or test images without their mask (all of them are listed, see
/// [`DataError::Problems`]); no images at all is [`DataError::NoImages`].
pub fn import_mvtec_ad(root: &Path) -> Result<Dataset, DataError> {
    let image_dir = absolute_dir_string(root)?;
    let mut errors = Vec::new();
    for folder in sub_folders(&root.join("train"))? {
        if folder != GOOD {
            errors.push(DataError::format(
                root.join("train").join(folder),
                "unexpected folder: MVTec AD trains on `train/good` only",
            ));
        }
    }
    let defect_types: Vec<String> = sub_folders(&root.join("test"))?
        .into_iter()
        .filter(|f| f != GOOD)
        .collect();
    let class_names: Vec<String> = std::iter::once(GOOD.to_string())
        .chain(defect_types.iter().cloned())
        .collect();

    let mut samples = Vec::new();
    // (top folder, class folder, class id, split)
    let mut parts = vec![
        ("train", GOOD, 0, Split::Train),
        ("test", GOOD, 0, Split::Test),
    ];
    for (i, t) in defect_types.iter().enumerate() {
        parts.push(("test", t.as_str(), i as u32 + 1, Split::Test));
    }
    for &(top, class, class_id, split) in &parts {
        let folder = root.join(top).join(class);
        if class == GOOD && !folder.is_dir() {
            continue;
        }
        for rel in find_images(&folder)? {
            let image_file_name = format!("{top}/{class}/{rel}");
            let (anomaly_label, anomaly_file_name) = if class == GOOD {
                (AnomalyLabel::Ok, None)
            } else {
                let stem = rel.rsplit_once('.').map_or(rel.as_str(), |(s, _)| s);
                let mask = format!("ground_truth/{class}/{stem}_mask.png");
                if !root.join(&mask).is_file() {
                    errors.push(DataError::format(
                        root.join(&mask),
                        format!("anomaly mask of {image_file_name} not found"),
                    ));
                }
                (AnomalyLabel::Nok, Some(mask))
            };
            samples.push(Sample {
                image_id: samples.len() as u64,
                image_file_name,
                image_label_id: Some(class_id),
                split: Some(split),
                anomaly_label: Some(anomaly_label),
                anomaly_file_name,
                ..Default::default()
            });
        }
    }
    DataError::collect(root, errors)?;
    if samples.is_empty() {
        return Err(DataError::NoImages {
            path: root.to_path_buf(),
        });
    }
    Ok(Dataset {
        class_ids: (0..class_names.len() as u32).collect(),
        class_names,
        image_dir,
        samples,
        ..Default::default()
    })
}
