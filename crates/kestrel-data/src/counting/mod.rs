//! Counting annotations: images with example boxes (what one object looks like) and the
//! true positions of the objects to count.
//!
//! A counting sample holds
//! - its **example boxes** in `exemplar_row1`, `exemplar_col1`, `exemplar_row2`,
//!   `exemplar_col2` (parallel, one entry per box, `row2`/`col2` exclusive like the
//!   `bbox_*` fields), read and written through [`Sample::exemplar_boxes`] and
//!   [`Sample::set_exemplar_boxes`];
//! - its **ground truth**, either dots in `point_row`/`point_col` (parallel, one entry per
//!   object) or, where a source has boxes, the axis-aligned boxes `bbox_row1` ...
//!   `bbox_col2` with `bbox_label_id`. [`Sample::count_points`] gives the dots, or the box
//!   centres when there are no dots; its length is the true count ([`Sample::true_count`]).
//!
//! Coordinates are the continuous pixel coordinates of [`instances`](crate::instances):
//! the centre of pixel `(row r, column c)` is `(r + 0.5, c + 0.5)`, and a point is written
//! `(row, col)`. An example box is written `[row1, col1, row2, col2]`.
//!
//! The importers build one class, [`COUNTING_CLASS`] unless a class name is given (id 0).
//! Where a source has dots but no example boxes, [`exemplars_from_points`] makes them by
//! the documented rule; where it has boxes, [`NUM_EXEMPLARS`] of them are chosen with
//! [`EXEMPLAR_SEED`] (see [`import_counting_voc`](crate::import_counting_voc)).

mod exemplar_rule;

use crate::dataset::Sample;
use crate::error::DataError;
use crate::shuffle::Shuffler;

pub use exemplar_rule::{EXEMPLAR_SIDE_FACTOR, exemplars_from_points};

/// The class name of the counting datasets the importers build when no name is given.
pub const COUNTING_CLASS: &str = "object";

/// How many example boxes the importers give each image (fewer when it has fewer
/// objects).
pub const NUM_EXEMPLARS: usize = 3;

/// The seed with which the importers choose the dots or boxes that become example boxes
/// (the same for every image, so an image's examples do not depend on the others).
pub const EXEMPLAR_SEED: u64 = 42;

/// The smallest height and width of an example box, in pixels: smaller ones are reported
/// by [`validate`](crate::validate()) and the dot rule never makes them.
pub const MIN_EXEMPLAR_SIDE: f64 = 4.0;

/// Names of the point fields.
pub(crate) const POINT_FIELDS: [&str; 2] = ["point_row", "point_col"];

/// Names of the example box fields.
pub(crate) const EXEMPLAR_FIELDS: [&str; 4] = [
    "exemplar_row1",
    "exemplar_col1",
    "exemplar_row2",
    "exemplar_col2",
];

impl Sample {
    /// Whether the sample has any counting field (`point_*` or `exemplar_*`).
    pub fn is_counting(&self) -> bool {
        self.point_fields().iter().any(Option::is_some)
            || self.exemplar_fields().iter().any(Option::is_some)
    }

    /// The true object positions `(row, col)`: the dots `point_row`/`point_col` when set,
    /// else the centres of the axis-aligned boxes (every box, whatever its
    /// `bbox_label_id`).
    ///
    /// Fails ([`DataError::InvalidSample`], naming the field) when only one of the point
    /// fields is set or their lengths differ, when the boxes are inconsistent (see
    /// [`Sample::boxes`]), and when the sample has no ground truth at all (neither points
    /// nor `bbox_label_id`).
    pub fn count_points(&self) -> Result<Vec<(f64, f64)>, DataError> {
        if let Some([rows, cols]) = self.parallel_counting(POINT_FIELDS, self.point_fields())? {
            return Ok(rows.iter().copied().zip(cols.iter().copied()).collect());
        }
        if self.bbox_label_id.is_none() {
            return Err(self.counting_error(
                "point_row",
                "no ground truth: neither point_row/point_col nor bbox_label_id with boxes".into(),
            ));
        }
        Ok(self
            .boxes()?
            .iter()
            .map(|b| ((b.row1 + b.row2) / 2.0, (b.col1 + b.col2) / 2.0))
            .collect())
    }

    /// The true count: the number of [`Sample::count_points`] (and fails like it).
    pub fn true_count(&self) -> Result<usize, DataError> {
        Ok(self.count_points()?.len())
    }

    /// Replaces `point_row`/`point_col` by `points` (`(row, col)` each; an empty slice
    /// makes an image without objects).
    pub fn set_count_points(&mut self, points: &[(f64, f64)]) {
        self.point_row = Some(points.iter().map(|p| p.0).collect());
        self.point_col = Some(points.iter().map(|p| p.1).collect());
    }

    /// The example boxes `[row1, col1, row2, col2]`, in order; empty when no example
    /// field is set.
    ///
    /// Fails ([`DataError::InvalidSample`], naming the field) when the four fields are
    /// set only in part or their lengths differ.
    pub fn exemplar_boxes(&self) -> Result<Vec<[f64; 4]>, DataError> {
        let Some([r1, c1, r2, c2]) =
            self.parallel_counting(EXEMPLAR_FIELDS, self.exemplar_fields())?
        else {
            return Ok(Vec::new());
        };
        Ok((0..r1.len())
            .map(|i| [r1[i], c1[i], r2[i], c2[i]])
            .collect())
    }

    /// Replaces the four example box fields by `boxes` (`[row1, col1, row2, col2]` each).
    pub fn set_exemplar_boxes(&mut self, boxes: &[[f64; 4]]) {
        let field = |k: usize| Some(boxes.iter().map(|b| b[k]).collect());
        self.exemplar_row1 = field(0);
        self.exemplar_col1 = field(1);
        self.exemplar_row2 = field(2);
        self.exemplar_col2 = field(3);
    }

    /// The point fields, in [`POINT_FIELDS`] order.
    pub(crate) fn point_fields(&self) -> [Option<&Vec<f64>>; 2] {
        [self.point_row.as_ref(), self.point_col.as_ref()]
    }

    /// The example box fields, in [`EXEMPLAR_FIELDS`] order.
    pub(crate) fn exemplar_fields(&self) -> [Option<&Vec<f64>>; 4] {
        [
            self.exemplar_row1.as_ref(),
            self.exemplar_col1.as_ref(),
            self.exemplar_row2.as_ref(),
            self.exemplar_col2.as_ref(),
        ]
    }

    /// A group of parallel fields: `None` when none is set, all of them when every one is
    /// set with the length of the first; else the error naming the field at fault.
    fn parallel_counting<'a, const N: usize>(
        &self,
        names: [&str; N],
        fields: [Option<&'a Vec<f64>>; N],
    ) -> Result<Option<[&'a [f64]; N]>, DataError> {
        let Some(first) = fields.iter().flatten().next() else {
            return Ok(None);
        };
        let set = names
            .iter()
            .zip(&fields)
            .find(|(_, f)| f.is_some())
            .map_or("", |(n, _)| n);
        let mut out = [&[][..]; N];
        for (i, field) in fields.iter().enumerate() {
            match field {
                None => {
                    return Err(self.counting_error(names[i], format!("missing, but {set} is set")));
                }
                Some(v) if v.len() != first.len() => {
                    return Err(self.counting_error(
                        names[i],
                        format!("{} entries but {set} has {}", v.len(), first.len()),
                    ));
                }
                Some(v) => out[i] = v.as_slice(),
            }
        }
        Ok(Some(out))
    }

    /// An [`DataError::InvalidSample`] of this sample.
    fn counting_error(&self, field: &str, message: String) -> DataError {
        DataError::InvalidSample {
            image_id: self.image_id,
            field: field.to_string(),
            message,
        }
    }
}

/// The indices `0..len` in an order that depends only on `seed` (the importers take the
/// first ones they can use as examples).
pub(crate) fn seeded_order(len: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    Shuffler::new(seed).shuffle(&mut order);
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::BoxAnnotation;

    #[test]
    fn points_come_from_dots_or_box_centres() {
        let mut s = Sample::default();
        let e = s.count_points().unwrap_err().to_string();
        assert!(e.contains("field point_row: no ground truth"), "{e}");
        s.set_boxes(&[BoxAnnotation::from_xywh(0, [10.0, 20.0, 4.0, 6.0])]);
        assert_eq!(s.count_points().unwrap(), vec![(23.0, 12.0)]);
        s.set_count_points(&[(1.5, 2.5), (3.5, 4.5)]);
        assert_eq!(s.count_points().unwrap(), vec![(1.5, 2.5), (3.5, 4.5)]);
        assert_eq!(s.true_count().unwrap(), 2);
        s.set_count_points(&[]);
        assert_eq!(s.true_count().unwrap(), 0);
        assert!(s.is_counting());
    }

    #[test]
    fn inconsistent_points_are_errors() {
        let mut s = Sample {
            image_id: 7,
            point_col: Some(vec![1.0]),
            ..Default::default()
        };
        let e = s.count_points().unwrap_err().to_string();
        assert_eq!(
            e,
            "image_id 7, field point_row: missing, but point_col is set"
        );
        s.point_row = Some(vec![1.0, 2.0]);
        let e = s.count_points().unwrap_err().to_string();
        assert!(
            e.contains("field point_col: 1 entries but point_row has 2"),
            "{e}"
        );
    }

    #[test]
    fn exemplar_boxes_round_trip() {
        let mut s = Sample::default();
        assert!(!s.is_counting());
        assert!(s.exemplar_boxes().unwrap().is_empty());
        let boxes = [[1.0, 2.0, 11.0, 12.0], [5.0, 5.0, 9.0, 9.0]];
        s.set_exemplar_boxes(&boxes);
        assert_eq!(s.exemplar_boxes().unwrap(), boxes);
        s.exemplar_col2 = None;
        let e = s.exemplar_boxes().unwrap_err().to_string();
        assert!(
            e.contains("exemplar_col2: missing, but exemplar_row1"),
            "{e}"
        );
    }

    #[test]
    fn seeded_order_is_a_fixed_permutation() {
        let order = seeded_order(10, EXEMPLAR_SEED);
        assert_eq!(order, seeded_order(10, EXEMPLAR_SEED));
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }
}
