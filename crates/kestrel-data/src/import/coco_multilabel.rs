//! Multi-label importer from a COCO instances file: each image's classes are the
//! categories of its annotations.

use std::collections::BTreeSet;
use std::path::Path;

use super::coco_format::CocoFile;
use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;

/// Imports a COCO instances JSON file as a multi-label classification dataset.
///
/// Each image gets `image_label_ids` = the sorted set of the category ids of its
/// annotations (crowd annotations included); images without annotations get an empty set.
/// Classes are the categories used by at least one annotation, sorted by id, keeping the
/// COCO category ids as `class_ids` and their names as `class_names`. Categories without
/// annotations are dropped (such as the unused parent category 0 `solar-panel-fault` of
/// Roboflow exports), so an image can never be labelled with them.
///
/// Samples keep COCO's image order, image ids and file names (relative to `image_dir`,
/// which is made absolute). Errors: an unreadable or malformed file (with line and
/// column), duplicate image or category ids, and annotations naming an unknown image or
/// category (all listed, [`DataError::Problems`]); a file without images is
/// [`DataError::NoImages`].
pub fn import_coco_multilabel(coco_json: &Path, image_dir: &Path) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(image_dir)?;
    let coco = CocoFile::load(coco_json)?;
    coco.check(coco_json)?;
    if coco.images.is_empty() {
        return Err(DataError::NoImages {
            path: coco_json.to_path_buf(),
        });
    }
    let used: BTreeSet<u32> = coco.annotations.iter().map(|a| a.category_id).collect();
    let mut categories: Vec<_> = coco
        .categories
        .iter()
        .filter(|c| used.contains(&c.id))
        .collect();
    categories.sort_by_key(|c| c.id);
    let by_image = coco.annotations_by_image();
    let samples = coco
        .images
        .iter()
        .map(|image| {
            let ids: BTreeSet<u32> = by_image
                .get(&image.id)
                .into_iter()
                .flatten()
                .map(|a| a.category_id)
                .collect();
            Sample {
                image_id: image.id,
                image_file_name: image.file_name.clone(),
                image_label_ids: Some(ids.into_iter().collect()),
                ..Default::default()
            }
        })
        .collect();
    Ok(Dataset {
        class_names: categories.iter().map(|c| c.name.clone()).collect(),
        class_ids: categories.iter().map(|c| c.id).collect(),
        image_dir: image_root,
        samples,
        ..Default::default()
    })
}
