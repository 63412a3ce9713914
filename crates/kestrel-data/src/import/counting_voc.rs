//! Counting importer for Pascal VOC annotation files: the boxes of one class.

use std::path::Path;

use super::counting_boxes::counting_from_detection;
use super::voc::import_voc;
use crate::dataset::Dataset;
use crate::error::DataError;

/// Imports Pascal VOC XML annotations (`annotations_dir/*.xml`, images in `images_dir`,
/// read as [`import_voc`] does) as a counting dataset of the class `class`: the boxes of
/// that class are the objects to count (`bbox_*`, their centres the true positions, see
/// [`Sample::count_points`](crate::Sample::count_points)), and up to
/// [`NUM_EXEMPLARS`](crate::NUM_EXEMPLARS) of them, chosen with
/// [`EXEMPLAR_SEED`](crate::EXEMPLAR_SEED), the example boxes of the image: boxes at
/// least [`MIN_EXEMPLAR_SIDE`](crate::MIN_EXEMPLAR_SIDE) high and wide that do not touch
/// the image border first. Boxes of other classes are dropped; the dataset has the one
/// class `class`, id 0. Images without a box of the class are kept with a count of 0 and
/// no example box.
///
/// `class` may be left out when the files have one class only. Errors: those of
/// [`import_voc`]; `class` missing while there are several classes, or not among them;
/// image headers that cannot be read (all listed).
pub fn import_counting_voc(
    annotations_dir: &Path,
    images_dir: &Path,
    class: Option<&str>,
) -> Result<Dataset, DataError> {
    let ds = import_voc(annotations_dir, images_dir)?;
    counting_from_detection(ds, class, annotations_dir)
}
