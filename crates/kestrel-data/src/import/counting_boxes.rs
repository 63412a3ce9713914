//! Counting datasets from detection datasets: the boxes of one class are the objects to
//! count, and a few of them the examples.

use std::path::Path;

use crate::counting::{EXEMPLAR_SEED, MIN_EXEMPLAR_SIDE, NUM_EXEMPLARS, seeded_order};
use crate::dataset::Dataset;
use crate::error::DataError;
use crate::instances::BoxAnnotation;

/// Turns the detection dataset `ds` (imported from `source`) into a counting dataset of
/// the class `class` (required when `ds` has several classes).
///
/// Each sample keeps only the boxes of that class, relabelled to id 0 (the dataset's one
/// class keeps its name), drops instance masks, and gets up to [`NUM_EXEMPLARS`] of its
/// boxes as example boxes: the boxes are put in an order that depends only on
/// [`EXEMPLAR_SEED`], and the first ones in it are taken that are at least
/// [`MIN_EXEMPLAR_SIDE`] high and wide and do not touch the image border (objects cut by
/// the edge are poor examples); boxes touching the border complete the set when there are
/// too few others. An image without a box of the class gets no example (its count is 0).
///
/// Errors: `class` not among the classes or missing while there are several
/// ([`DataError::Format`] for `source`), and images whose header cannot be read (their
/// size tells which boxes touch the border; all listed, [`DataError::Problems`]).
pub(super) fn counting_from_detection(
    mut ds: Dataset,
    class: Option<&str>,
    source: &Path,
) -> Result<Dataset, DataError> {
    let listed = ds.class_names.join(", ");
    let index = match class {
        Some(name) => Some(
            ds.class_names
                .iter()
                .position(|c| c == name)
                .ok_or_else(|| {
                    DataError::format(
                        source,
                        format!("class {name:?} is not in the annotations (classes: {listed})"),
                    )
                })?,
        ),
        None if ds.class_names.len() > 1 => {
            return Err(DataError::format(
                source,
                format!(
                    "the annotations have several classes ({listed}): name the one to count \
                     (--class-names)"
                ),
            ));
        }
        None => (!ds.class_names.is_empty()).then_some(0),
    };
    let name = index.map_or(class.unwrap_or(crate::COUNTING_CLASS), |i| {
        ds.class_names[i].as_str()
    });
    let name = name.to_string();
    let label = index.map(|i| ds.class_ids[i]);
    let paths: Vec<_> = ds.samples.iter().map(|s| ds.image_path(s)).collect();
    let mut errors = Vec::new();
    for (s, path) in ds.samples.iter_mut().zip(paths) {
        let all = match s.boxes() {
            Ok(all) => all,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let boxes: Vec<BoxAnnotation> = all
            .into_iter()
            .filter(|b| Some(b.label_id) == label)
            .map(|b| BoxAnnotation { label_id: 0, ..b })
            .collect();
        let size = match image::image_dimensions(&path) {
            Ok(size) => size,
            Err(e) => {
                errors.push(DataError::format(
                    &path,
                    format!("cannot read image header: {e}"),
                ));
                continue;
            }
        };
        s.set_boxes(&boxes);
        s.mask_polygons = None;
        s.set_exemplar_boxes(&example_boxes(&boxes, size));
    }
    DataError::collect(source, errors)?;
    ds.class_names = vec![name];
    ds.class_ids = vec![0];
    Ok(ds)
}

/// Up to [`NUM_EXEMPLARS`] of `boxes` as example boxes `[row1, col1, row2, col2]`, chosen
/// as [`counting_from_detection`] describes, in an image of `(width, height)`.
fn example_boxes(boxes: &[BoxAnnotation], (width, height): (u32, u32)) -> Vec<[f64; 4]> {
    let (w, h) = (f64::from(width), f64::from(height));
    let usable = |b: &BoxAnnotation| {
        b.row2 - b.row1 >= MIN_EXEMPLAR_SIDE && b.col2 - b.col1 >= MIN_EXEMPLAR_SIDE
    };
    let inner = |b: &BoxAnnotation| b.row1 > 0.0 && b.col1 > 0.0 && b.row2 < h && b.col2 < w;
    let order = seeded_order(boxes.len(), EXEMPLAR_SEED);
    let first = order
        .iter()
        .filter(|&&i| usable(&boxes[i]) && inner(&boxes[i]));
    let then = order
        .iter()
        .filter(|&&i| usable(&boxes[i]) && !inner(&boxes[i]));
    first
        .chain(then)
        .take(NUM_EXEMPLARS)
        .map(|&i| [boxes[i].row1, boxes[i].col1, boxes[i].row2, boxes[i].col2])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_avoid_the_border_and_tiny_boxes() {
        let b = |row1, col1, row2, col2| BoxAnnotation {
            label_id: 0,
            row1,
            col1,
            row2,
            col2,
        };
        let boxes = [
            b(0.0, 10.0, 20.0, 30.0),  // touches the top
            b(10.0, 10.0, 12.0, 30.0), // 2 pixels high
            b(30.0, 30.0, 50.0, 50.0),
            b(60.0, 60.0, 80.0, 80.0),
            b(80.0, 80.0, 100.0, 100.0), // touches the bottom-right corner
        ];
        let ex = example_boxes(&boxes, (100, 100));
        assert_eq!(ex.len(), 3);
        assert!(ex[..2].contains(&[30.0, 30.0, 50.0, 50.0]));
        assert!(ex[..2].contains(&[60.0, 60.0, 80.0, 80.0]));
        assert!(!ex.contains(&[10.0, 10.0, 12.0, 30.0]));
        assert!(example_boxes(&[], (10, 10)).is_empty());
    }
}
