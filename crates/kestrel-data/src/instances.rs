//! Objects of a detection or instance-segmentation sample: typed views of the parallel
//! HALCON vectors (`bbox_label_id`, `bbox_row1`, ..., `bbox_length2`, `mask_polygons`).
//!
//! # Coordinates
//!
//! All coordinates are continuous pixel coordinates with `(0, 0)` at the top-left corner of
//! the top-left pixel: pixel `(row r, column c)` covers `[r, r + 1) x [c, c + 1)`, so a box
//! covering a whole `w x h` image is `row1 = 0, col1 = 0, row2 = h, col2 = w`. Rows are
//! y (downwards), columns are x (to the right). This is the convention of COCO (`bbox`
//! `[x, y, width, height]` is `col1 = x, row1 = y, col2 = x + width, row2 = y + height`)
//! and of COCO polygons. HALCON itself puts integer coordinates at pixel centres: a HALCON
//! coordinate is ours minus 0.5.
//!
//! Rotated boxes follow HALCON's `rectangle2`: centre `(row, col)`, `phi` the angle in
//! radians of the `length1` axis measured counter-clockwise (as seen on screen, rows
//! pointing down) from the column axis, and the half side lengths `length1` (along `phi`)
//! and `length2` (perpendicular to it). The `length1` axis points to
//! `(col + cos phi, row - sin phi)`.

use serde::{Deserialize, Serialize};

use crate::dataset::Sample;
use crate::error::DataError;
use crate::import::coco_format::CocoSegmentation;

use kestrel_geom::AxisBox;
/// A rotated rectangle (HALCON `rectangle2`, see the [module](self)): `kestrel-geom`'s.
pub use kestrel_geom::RotatedBox;

/// One object's mask: COCO polygons (`[[x0, y0, x1, y1, ...], ...]`, image pixels, several
/// polygons for an object in several parts) or a COCO run-length encoding (`{"counts":
/// ..., "size": [height, width]}`, runs column by column starting with background).
pub type InstanceMask = CocoSegmentation;

/// An axis-aligned box with its class (see the [module](self) for the coordinates).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BoxAnnotation {
    /// Class id (one of the dataset's `class_ids`).
    pub label_id: u32,
    /// Top edge (y).
    pub row1: f64,
    /// Left edge (x).
    pub col1: f64,
    /// Bottom edge (y), `row2 - row1` is the height.
    pub row2: f64,
    /// Right edge (x), `col2 - col1` is the width.
    pub col2: f64,
}

impl BoxAnnotation {
    /// The box of a COCO `bbox` `[x, y, width, height]`.
    pub fn from_xywh(label_id: u32, [x, y, w, h]: [f64; 4]) -> Self {
        BoxAnnotation {
            label_id,
            row1: y,
            col1: x,
            row2: y + h,
            col2: x + w,
        }
    }

    /// The box as a COCO `bbox` `[x, y, width, height]`.
    pub fn to_xywh(&self) -> [f64; 4] {
        self.axis_box().to_xywh()
    }

    /// The box without its class (`x` = column, `y` = row).
    pub fn axis_box(&self) -> AxisBox {
        AxisBox {
            x1: self.col1,
            y1: self.row1,
            x2: self.col2,
            y2: self.row2,
        }
    }
}

/// A rotated box with its class.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RotatedBoxAnnotation {
    /// Class id (one of the dataset's `class_ids`).
    pub label_id: u32,
    /// The rectangle.
    pub rect: RotatedBox,
}

/// Names of the axis-aligned box fields.
pub(crate) const AXIS_FIELDS: [&str; 4] = ["bbox_row1", "bbox_col1", "bbox_row2", "bbox_col2"];
/// Names of the rotated box fields.
pub(crate) const ROTATED_FIELDS: [&str; 5] = [
    "bbox_row",
    "bbox_col",
    "bbox_phi",
    "bbox_length1",
    "bbox_length2",
];

impl Sample {
    /// Number of objects: the length of `bbox_label_id` (0 when unset).
    pub fn num_instances(&self) -> usize {
        self.bbox_label_id.as_ref().map_or(0, Vec::len)
    }

    /// The axis-aligned boxes with their classes, in object order; empty when the sample
    /// has no `bbox_label_id` and no box fields.
    ///
    /// Fails ([`DataError::InvalidSample`], naming the field) when `bbox_label_id` is set
    /// but a box field is missing, a box field is set without `bbox_label_id`, or the
    /// lengths differ.
    pub fn boxes(&self) -> Result<Vec<BoxAnnotation>, DataError> {
        let [r1, c1, r2, c2] = self.parallel(AXIS_FIELDS, self.axis_fields())?;
        Ok(self
            .labels()
            .iter()
            .enumerate()
            .map(|(i, &label_id)| BoxAnnotation {
                label_id,
                row1: r1[i],
                col1: c1[i],
                row2: r2[i],
                col2: c2[i],
            })
            .collect())
    }

    /// Replaces `bbox_label_id` and the axis-aligned box fields by `boxes` (an empty slice
    /// makes an image without objects). Rotated boxes and masks are left as they are: set
    /// them for the same objects, or to `None`.
    pub fn set_boxes(&mut self, boxes: &[BoxAnnotation]) {
        self.bbox_label_id = Some(boxes.iter().map(|b| b.label_id).collect());
        self.bbox_row1 = Some(boxes.iter().map(|b| b.row1).collect());
        self.bbox_col1 = Some(boxes.iter().map(|b| b.col1).collect());
        self.bbox_row2 = Some(boxes.iter().map(|b| b.row2).collect());
        self.bbox_col2 = Some(boxes.iter().map(|b| b.col2).collect());
    }

    /// The rotated boxes with their classes, in object order; empty when the sample has no
    /// `bbox_label_id` and no rotated box fields.
    ///
    /// Fails like [`Sample::boxes`] for the fields `bbox_row`, `bbox_col`, `bbox_phi`,
    /// `bbox_length1`, `bbox_length2`.
    pub fn rotated_boxes(&self) -> Result<Vec<RotatedBoxAnnotation>, DataError> {
        let [row, col, phi, l1, l2] = self.parallel(ROTATED_FIELDS, self.rotated_fields())?;
        Ok(self
            .labels()
            .iter()
            .enumerate()
            .map(|(i, &label_id)| RotatedBoxAnnotation {
                label_id,
                rect: RotatedBox {
                    row: row[i],
                    col: col[i],
                    phi: phi[i],
                    length1: l1[i],
                    length2: l2[i],
                },
            })
            .collect())
    }

    /// Replaces `bbox_label_id` and the rotated box fields by `boxes`. Axis-aligned boxes
    /// and masks are left as they are: set them for the same objects, or to `None`.
    pub fn set_rotated_boxes(&mut self, boxes: &[RotatedBoxAnnotation]) {
        self.bbox_label_id = Some(boxes.iter().map(|b| b.label_id).collect());
        self.bbox_row = Some(boxes.iter().map(|b| b.rect.row).collect());
        self.bbox_col = Some(boxes.iter().map(|b| b.rect.col).collect());
        self.bbox_phi = Some(boxes.iter().map(|b| b.rect.phi).collect());
        self.bbox_length1 = Some(boxes.iter().map(|b| b.rect.length1).collect());
        self.bbox_length2 = Some(boxes.iter().map(|b| b.rect.length2).collect());
    }

    /// The axis-aligned box fields, in [`AXIS_FIELDS`] order.
    pub(crate) fn axis_fields(&self) -> [Option<&Vec<f64>>; 4] {
        [
            self.bbox_row1.as_ref(),
            self.bbox_col1.as_ref(),
            self.bbox_row2.as_ref(),
            self.bbox_col2.as_ref(),
        ]
    }

    /// The rotated box fields, in [`ROTATED_FIELDS`] order.
    pub(crate) fn rotated_fields(&self) -> [Option<&Vec<f64>>; 5] {
        [
            self.bbox_row.as_ref(),
            self.bbox_col.as_ref(),
            self.bbox_phi.as_ref(),
            self.bbox_length1.as_ref(),
            self.bbox_length2.as_ref(),
        ]
    }

    /// `bbox_label_id`, empty when unset.
    fn labels(&self) -> &[u32] {
        self.bbox_label_id.as_deref().unwrap_or(&[])
    }

    /// The coordinate fields of one kind of box, each with one entry per label; all empty
    /// when neither the labels nor any of the fields are set.
    fn parallel<'a, const N: usize>(
        &self,
        names: [&str; N],
        fields: [Option<&'a Vec<f64>>; N],
    ) -> Result<[&'a [f64]; N], DataError> {
        let error = |field: &str, message: String| DataError::InvalidSample {
            image_id: self.image_id,
            field: field.to_string(),
            message,
        };
        let Some(labels) = &self.bbox_label_id else {
            if let Some(i) = fields.iter().position(Option::is_some) {
                return Err(error(
                    "bbox_label_id",
                    format!("missing, but {} is set", names[i]),
                ));
            }
            return Ok([&[]; N]);
        };
        let mut out = [&[][..]; N];
        for (i, field) in fields.iter().enumerate() {
            match field {
                None => {
                    return Err(error(
                        names[i],
                        format!("missing ({} objects in bbox_label_id)", labels.len()),
                    ));
                }
                Some(v) if v.len() != labels.len() => {
                    return Err(error(
                        names[i],
                        format!("{} entries but bbox_label_id has {}", v.len(), labels.len()),
                    ));
                }
                Some(v) => out[i] = v.as_slice(),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_round_trip_and_mismatches_are_errors() {
        let mut s = Sample::default();
        assert!(s.boxes().unwrap().is_empty());
        let boxes = [
            BoxAnnotation::from_xywh(3, [1.0, 2.0, 10.0, 20.0]),
            BoxAnnotation::from_xywh(1, [0.5, 0.0, 1.0, 1.0]),
        ];
        s.set_boxes(&boxes);
        assert_eq!(s.boxes().unwrap(), boxes);
        assert_eq!(boxes[0].row2, 22.0);
        assert_eq!(boxes[0].to_xywh(), [1.0, 2.0, 10.0, 20.0]);
        assert_eq!(s.num_instances(), 2);
        // No rotated boxes although there are labels.
        let e = s.rotated_boxes().unwrap_err().to_string();
        assert!(e.contains("bbox_row") && e.contains("missing"), "{e}");
        s.bbox_col2.as_mut().unwrap().pop();
        let e = s.boxes().unwrap_err().to_string();
        assert!(
            e.contains("bbox_col2: 1 entries but bbox_label_id has 2"),
            "{e}"
        );
        s.bbox_label_id = None;
        let e = s.boxes().unwrap_err().to_string();
        assert!(e.contains("bbox_label_id: missing"), "{e}");
    }

    #[test]
    fn rotated_boxes_round_trip() {
        let mut s = Sample::default();
        let rect = RotatedBox {
            row: 10.0,
            col: 20.0,
            phi: std::f64::consts::FRAC_PI_2,
            length1: 4.0,
            length2: 1.0,
        };
        s.set_rotated_boxes(&[RotatedBoxAnnotation { label_id: 7, rect }]);
        assert_eq!(s.rotated_boxes().unwrap()[0].rect, rect);
    }
}
