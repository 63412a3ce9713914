//! Gripping-point detection measures: the Cornell rectangle metric for the top grasp,
//! point precision (are the best points inside a good grasp rectangle or a labelled
//! region), and gripping-map IoU/F1 against labelled regions.
//!
//! Rectangles are `kestrel-geom`'s [`RotatedBox`](crate::RotatedBox) (HALCON `rectangle2`:
//! `phi` the opening direction, counter-clockwise on screen; `length1` half the opening
//! width, `length2` half the jaw size); points are `(row, col)` in the same continuous
//! pixel coordinates (pixel `(r, c)` covers `[r, r + 1) x [c, c + 1)`).

mod map;
mod points;
mod rectangle;

pub use map::{GrippingMapAccumulator, GrippingMapEvaluation};
pub use points::{GripTruth, PointEvaluation, PointImage, evaluate_points, point_in_grasp};
pub use rectangle::{
    CORNELL_ANGLE_THRESHOLD_DEG, CORNELL_IOU_THRESHOLD, GraspImage, RectangleEvaluation,
    cornell_match, evaluate_cornell, grasp_angle_difference,
};
