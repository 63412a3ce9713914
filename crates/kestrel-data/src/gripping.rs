//! Gripping-point detection samples ([`DatasetKind::Gripping`](crate::DatasetKind)): an
//! image with its registered depth image (`depth_file_name`, `depth_scale`, `depth_kind`),
//! the camera (`cam_K`), and labels as parallel-jaw grasp rectangles (`grasp_*`) and/or a
//! gripping-map label image (`gripping_file_name`, non-zero = grippable).
//!
//! # Grasp rectangles
//!
//! A grasp is a HALCON `rectangle2` ([`RotatedBox`]) in the continuous pixel coordinates
//! of [`instances`](crate::instances) (pixel `(r, c)` covers `[r, r + 1) x [c, c + 1)`):
//! centre `(row, col)`; `phi` the angle of the **opening direction** (the line from one
//! jaw to the other) counter-clockwise on screen from the column axis; `length1` half the
//! opening width (along `phi`); `length2` half the jaw size (across it). A parallel-jaw
//! grasp is the same after a half turn, so `phi` is kept in `(-π/2, π/2]`
//! ([`grasp_angle`]). The jaws are the two sides of length `2 * length2`, at `±length1`
//! from the centre along `phi`.
//!
//! # Depth
//!
//! The depth file holds one value per image pixel; times `depth_scale` it is millimetres.
//! [`DepthKind`] says whether a value is the distance along the optical axis (lift with
//! `kestrel_3d::XyzImage::from_depth`) or along the pixel's ray (`from_range`).

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

use crate::dataset::Sample;
use crate::error::DataError;
use crate::instances::RotatedBox;

/// What the values of a depth image measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DepthKind {
    /// The distance along the optical axis (the camera's z).
    Z,
    /// The distance from the camera centre along the pixel's ray (`sqrt(x² + y² + z²)`).
    Range,
}

/// One grasp rectangle of a parallel-jaw gripper (see the [module](self) for its
/// geometry) and whether it is a good grasp.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Grasp {
    /// The rectangle: `length1` along the opening direction `phi`, `length2` along the
    /// jaws.
    pub rect: RotatedBox,
    /// Whether the grasp holds the object (Cornell `cpos`) or not (`cneg`).
    pub positive: bool,
}

impl Grasp {
    /// The opening width in pixels (`2 * length1`).
    pub fn opening_width(&self) -> f64 {
        2.0 * self.rect.length1
    }

    /// The jaw size in pixels (`2 * length2`).
    pub fn jaw_size(&self) -> f64 {
        2.0 * self.rect.length2
    }
}

/// `phi` shifted by a multiple of π into `(-π/2, π/2]`: a grasp's angle, which a half
/// turn leaves unchanged.
pub fn grasp_angle(phi: f64) -> f64 {
    let a = (phi + PI / 2.0).rem_euclid(PI) - PI / 2.0;
    // rem_euclid gives [-π/2, π/2); -π/2 and π/2 are the same grasp.
    if a <= -PI / 2.0 { a + PI } else { a }
}

/// Names of the grasp fields, in the order of [`Sample::grasps`]'s checks.
pub(crate) const GRASP_FIELDS: [&str; 6] = [
    "grasp_row",
    "grasp_col",
    "grasp_phi",
    "grasp_length1",
    "grasp_length2",
    "grasp_positive",
];

impl Sample {
    /// Whether the sample has any gripping field (`depth_*`, `grasp_*`,
    /// `gripping_file_name`).
    pub fn is_gripping(&self) -> bool {
        self.depth_file_name.is_some()
            || self.depth_scale.is_some()
            || self.depth_kind.is_some()
            || self.grasp_lengths().iter().any(Option::is_some)
            || self.gripping_file_name.is_some()
    }

    /// The grasp rectangles in order; empty when no `grasp_*` field is set.
    ///
    /// Fails ([`DataError::InvalidSample`], naming the field) when some but not all six
    /// `grasp_*` fields are set, or their lengths differ from `grasp_row`'s.
    pub fn grasps(&self) -> Result<Vec<Grasp>, DataError> {
        let lengths = self.grasp_lengths();
        if lengths.iter().all(Option::is_none) {
            return Ok(Vec::new());
        }
        let error = |field: &str, message: String| DataError::InvalidSample {
            image_id: self.image_id,
            field: field.to_string(),
            message,
        };
        let n = lengths[0].ok_or_else(|| error("grasp_row", "missing".into()))?;
        for (name, len) in GRASP_FIELDS.iter().zip(lengths).skip(1) {
            match len {
                None => {
                    return Err(error(
                        name,
                        format!("missing ({n} rectangles in grasp_row)"),
                    ));
                }
                Some(len) if len != n => {
                    return Err(error(name, format!("{len} entries but grasp_row has {n}")));
                }
                Some(_) => {}
            }
        }
        let v = |f: &Option<Vec<f64>>, i: usize| f.as_ref().map_or(f64::NAN, |f| f[i]);
        let positive = self.grasp_positive.as_deref().unwrap_or(&[]);
        Ok((0..n)
            .map(|i| Grasp {
                rect: RotatedBox {
                    row: v(&self.grasp_row, i),
                    col: v(&self.grasp_col, i),
                    phi: v(&self.grasp_phi, i),
                    length1: v(&self.grasp_length1, i),
                    length2: v(&self.grasp_length2, i),
                },
                positive: positive[i],
            })
            .collect())
    }

    /// Replaces the six `grasp_*` fields by `grasps` (an empty slice: an image labelled
    /// without any rectangle).
    pub fn set_grasps(&mut self, grasps: &[Grasp]) {
        let field = |f: fn(&Grasp) -> f64| Some(grasps.iter().map(f).collect());
        self.grasp_row = field(|g| g.rect.row);
        self.grasp_col = field(|g| g.rect.col);
        self.grasp_phi = field(|g| g.rect.phi);
        self.grasp_length1 = field(|g| g.rect.length1);
        self.grasp_length2 = field(|g| g.rect.length2);
        self.grasp_positive = Some(grasps.iter().map(|g| g.positive).collect());
    }

    /// The number of entries of each grasp field, in [`GRASP_FIELDS`] order.
    pub(crate) fn grasp_lengths(&self) -> [Option<usize>; 6] {
        let len = |f: &Option<Vec<f64>>| f.as_ref().map(Vec::len);
        [
            len(&self.grasp_row),
            len(&self.grasp_col),
            len(&self.grasp_phi),
            len(&self.grasp_length1),
            len(&self.grasp_length2),
            self.grasp_positive.as_ref().map(Vec::len),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grasp(row: f64, phi: f64, positive: bool) -> Grasp {
        Grasp {
            rect: RotatedBox {
                row,
                col: 20.0,
                phi,
                length1: 15.0,
                length2: 5.0,
            },
            positive,
        }
    }

    #[test]
    fn grasps_round_trip_through_the_fields_and_json() {
        let mut s = Sample::default();
        assert!(s.grasps().unwrap().is_empty());
        assert!(!s.is_gripping());
        let grasps = [grasp(10.0, 0.3, true), grasp(40.0, -1.2, false)];
        s.set_grasps(&grasps);
        assert!(s.is_gripping());
        assert_eq!(s.grasps().unwrap(), grasps);
        assert_eq!(grasps[0].opening_width(), 30.0);
        assert_eq!(grasps[0].jaw_size(), 10.0);
        s.depth_kind = Some(DepthKind::Range);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"depth_kind\":\"range\""), "{json}");
        assert!(json.contains("\"grasp_positive\":[true,false]"), "{json}");
        assert_eq!(serde_json::from_str::<Sample>(&json).unwrap(), s);
        // Unset gripping fields stay out of the file.
        let plain = serde_json::to_string(&Sample::default()).unwrap();
        assert!(
            !plain.contains("grasp") && !plain.contains("depth"),
            "{plain}"
        );
    }

    #[test]
    fn partial_or_mismatched_grasp_fields_are_errors_naming_the_field() {
        let mut s = Sample {
            image_id: 7,
            ..Default::default()
        };
        s.set_grasps(&[grasp(1.0, 0.0, true)]);
        s.grasp_length2 = None;
        let e = s.grasps().unwrap_err().to_string();
        assert_eq!(
            e,
            "image_id 7, field grasp_length2: missing (1 rectangles in grasp_row)"
        );
        s.grasp_length2 = Some(vec![1.0, 2.0]);
        let e = s.grasps().unwrap_err().to_string();
        assert!(
            e.contains("grasp_length2: 2 entries but grasp_row has 1"),
            "{e}"
        );
        s.grasp_row = None;
        let e = s.grasps().unwrap_err().to_string();
        assert!(e.contains("field grasp_row: missing"), "{e}");
    }

    #[test]
    fn grasp_angles_fold_into_a_half_turn() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
        assert!(close(grasp_angle(0.3), 0.3));
        assert!(close(grasp_angle(0.3 + PI), 0.3));
        assert!(close(grasp_angle(0.3 - 3.0 * PI), 0.3));
        assert!(close(grasp_angle(PI / 2.0), PI / 2.0));
        assert!(close(grasp_angle(-PI / 2.0), PI / 2.0));
        assert!(close(grasp_angle(2.0), 2.0 - PI));
    }
}
