//! Counting importer for a COCO instances file: the boxes of one category.

use std::path::Path;

use super::coco_detection::import_coco_detection;
use super::counting_boxes::counting_from_detection;
use crate::dataset::Dataset;
use crate::error::DataError;

/// Imports a COCO instances JSON file (images in `image_dir`, read as
/// [`import_coco_detection`] does, crowd annotations skipped) as a counting dataset of the
/// category named `class`: its boxes are the objects to count and up to
/// [`NUM_EXEMPLARS`](crate::NUM_EXEMPLARS) of them the example boxes, chosen as
/// [`import_counting_voc`](crate::import_counting_voc) describes. The dataset has the one
/// class `class`, id 0; masks are dropped.
///
/// `class` may be left out when the annotations use one category only. Errors: those of
/// [`import_coco_detection`]; `class` missing while several categories are used, or not
/// among them; image headers that cannot be read (all listed).
pub fn import_counting_coco(
    coco_json: &Path,
    image_dir: &Path,
    class: Option<&str>,
) -> Result<Dataset, DataError> {
    let ds = import_coco_detection(coco_json, image_dir)?;
    counting_from_detection(ds, class, coco_json)
}
