//! Object detection and instance segmentation importer from a COCO instances file.

use std::collections::BTreeSet;
use std::path::Path;

use super::coco_format::{CocoAnnotation, CocoFile};
use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::instances::BoxAnnotation;

/// Imports a COCO instances JSON file as an object detection dataset (axis-aligned boxes)
/// with instance masks when the file has them.
///
/// Each annotation becomes an object of its image: `bbox` `[x, y, w, h]` gives
/// `col1 = x, row1 = y, col2 = x + w, row2 = y + h` (COCO and this crate use the same
/// continuous coordinates, see [`instances`](crate::instances)), `category_id` the
/// `bbox_label_id`, and `segmentation` (polygons or RLE, kept as they are) the entry of
/// `mask_polygons`. Masks are imported only when every imported annotation has a
/// `segmentation`; otherwise no sample gets `mask_polygons`.
///
/// Crowd annotations (`iscrowd` 1) are skipped: they mark regions of many objects that an
/// evaluation ignores, which the dataset model has no field for (evaluate against the
/// COCO file itself to honour them).
///
/// Classes are the categories used by at least one imported annotation, sorted by id,
/// keeping COCO's ids and names (so an unused parent category such as Roboflow's
/// `solar-panel-fault` 0 is dropped). Samples keep COCO's image order, ids and file names;
/// images without annotations get empty box lists. `image_dir` is made absolute.
///
/// Errors: an unreadable or malformed file (with line and column); duplicate image or
/// category ids, annotations naming an unknown image or category, and annotations without
/// `bbox` (all listed, [`DataError::Problems`]); a file without images is
/// [`DataError::NoImages`].
pub fn import_coco_detection(coco_json: &Path, image_dir: &Path) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(image_dir)?;
    let coco = CocoFile::load(coco_json)?;
    coco.check(coco_json)?;
    if coco.images.is_empty() {
        return Err(DataError::NoImages {
            path: coco_json.to_path_buf(),
        });
    }
    let kept: Vec<(usize, &CocoAnnotation)> = coco
        .annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| a.iscrowd == 0)
        .collect();
    let problems: Vec<String> = kept
        .iter()
        .filter(|(_, a)| a.bbox.is_none())
        .map(|(i, a)| format!("annotation {i} (id {}): no bbox", a.id))
        .collect();
    if !problems.is_empty() {
        return Err(DataError::Problems {
            path: coco_json.to_path_buf(),
            problems,
        });
    }
    let with_masks = !kept.is_empty() && kept.iter().all(|(_, a)| a.segmentation.is_some());
    let used: BTreeSet<u32> = kept.iter().map(|(_, a)| a.category_id).collect();
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
            let annotations: Vec<&CocoAnnotation> = by_image
                .get(&image.id)
                .into_iter()
                .flatten()
                .copied()
                .filter(|a| a.iscrowd == 0)
                .collect();
            let boxes: Vec<BoxAnnotation> = annotations
                .iter()
                .map(|a| BoxAnnotation::from_xywh(a.category_id, a.bbox.unwrap_or_default()))
                .collect();
            let mut s = Sample {
                image_id: image.id,
                image_file_name: image.file_name.clone(),
                ..Default::default()
            };
            s.set_boxes(&boxes);
            if with_masks {
                s.mask_polygons = Some(
                    annotations
                        .iter()
                        .filter_map(|a| a.segmentation.clone())
                        .collect(),
                );
            }
            s
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
