//! The Cornell rectangle metric: the top-ranked grasp counts when it overlaps some good
//! grasp rectangle with IoU above 0.25 and its angle is within 30° of that rectangle's.

use std::f64::consts::PI;

use serde::Serialize;

use crate::RotatedBox;

/// The IoU a predicted grasp must exceed (strictly) with a good rectangle.
pub const CORNELL_IOU_THRESHOLD: f64 = 0.25;

/// The angle difference, in degrees, a predicted grasp must stay below (strictly).
pub const CORNELL_ANGLE_THRESHOLD_DEG: f64 = 30.0;

/// The difference between two grasp angles in radians, modulo π (a parallel-jaw grasp
/// is the same after a half turn): in `[0, π/2]`. NaN when either angle is not finite.
pub fn grasp_angle_difference(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(PI);
    d.min(PI - d)
}

/// Whether `predicted` counts as a correct grasp for the good rectangle `truth`: rotated
/// IoU greater than [`CORNELL_IOU_THRESHOLD`] and angle difference (modulo 180°) less than
/// [`CORNELL_ANGLE_THRESHOLD_DEG`].
pub fn cornell_match(predicted: &RotatedBox, truth: &RotatedBox) -> bool {
    grasp_angle_difference(predicted.phi, truth.phi) < CORNELL_ANGLE_THRESHOLD_DEG.to_radians()
        && predicted.iou(truth) > CORNELL_IOU_THRESHOLD
}

/// One image: its good grasp rectangles and the predicted grasps, best first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GraspImage {
    /// The good (positive) grasp rectangles.
    pub positives: Vec<RotatedBox>,
    /// The predicted grasps, best first; only the first is scored.
    pub predicted: Vec<RotatedBox>,
}

/// The Cornell rectangle metric over images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RectangleEvaluation {
    /// The number of images.
    pub num_images: usize,
    /// Images whose top grasp matches a good rectangle ([`cornell_match`]).
    pub hits: usize,
    /// `hits / num_images`.
    pub accuracy: f64,
    /// Per image, whether its top grasp matched (an image without a prediction or
    /// without good rectangles is a miss).
    pub image_hits: Vec<bool>,
    /// Per image, the top grasp's best IoU with a good rectangle whose angle is within the
    /// threshold (0 when there is none), to see how near the misses were.
    pub image_best_iou: Vec<f64>,
}

/// The Cornell rectangle metric of each image's top grasp; `None` for no images.
pub fn evaluate_cornell(images: &[GraspImage]) -> Option<RectangleEvaluation> {
    if images.is_empty() {
        return None;
    }
    let limit = CORNELL_ANGLE_THRESHOLD_DEG.to_radians();
    let mut image_hits = Vec::with_capacity(images.len());
    let mut image_best_iou = Vec::with_capacity(images.len());
    for image in images {
        let best = image.predicted.first().map_or(0.0, |top| {
            image
                .positives
                .iter()
                .filter(|t| grasp_angle_difference(top.phi, t.phi) < limit)
                .map(|t| top.iou(t))
                .fold(0.0, f64::max)
        });
        image_hits.push(best > CORNELL_IOU_THRESHOLD);
        image_best_iou.push(best);
    }
    let hits = image_hits.iter().filter(|&&h| h).count();
    Some(RectangleEvaluation {
        num_images: images.len(),
        hits,
        accuracy: hits as f64 / images.len() as f64,
        image_hits,
        image_best_iou,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(col: f64, phi_deg: f64) -> RotatedBox {
        RotatedBox {
            row: 100.0,
            col,
            phi: phi_deg.to_radians(),
            length1: 20.0,
            length2: 10.0,
        }
    }

    #[test]
    fn angle_differences_are_taken_modulo_a_half_turn() {
        let d =
            |a: f64, b: f64| grasp_angle_difference(a.to_radians(), b.to_radians()).to_degrees();
        assert!((d(10.0, 40.0) - 30.0).abs() < 1e-9);
        assert!((d(85.0, -85.0) - 10.0).abs() < 1e-9);
        assert!((d(0.0, 180.0)).abs() < 1e-9);
        assert!((d(-90.0, 90.0)).abs() < 1e-9);
        assert!((d(0.0, 90.0) - 90.0).abs() < 1e-9);
        assert!((d(370.0, 0.0) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn identical_rectangle_hits_and_the_angle_limit_is_30_degrees() {
        let truth = rect(100.0, 0.0);
        assert!(cornell_match(&truth, &truth));
        // Same centre turned by 29° vs 31°: IoU stays well above 0.25 (about 0.6).
        let turned = |deg: f64| rect(100.0, deg);
        assert!(turned(29.0).iou(&truth) > 0.5);
        assert!(cornell_match(&turned(29.0), &truth));
        assert!(!cornell_match(&turned(31.0), &truth));
        // 179° is 1° from 0° for a grasp.
        assert!(cornell_match(&turned(179.0), &truth));
        assert!(cornell_match(&turned(-29.0), &truth));
    }

    #[test]
    fn iou_just_above_and_below_a_quarter() {
        // Two 40 x 20 rectangles shifted along the opening axis by s overlap (40 - s) x 20:
        // IoU = (40 - s) / (40 + s); 0.25 at s = 24.
        let truth = rect(100.0, 0.0);
        let above = rect(100.0 + 23.9, 0.0);
        let below = rect(100.0 + 24.1, 0.0);
        assert!(above.iou(&truth) > 0.25 && above.iou(&truth) < 0.252);
        assert!(below.iou(&truth) < 0.25 && below.iou(&truth) > 0.248);
        assert!(cornell_match(&above, &truth));
        assert!(!cornell_match(&below, &truth));
        assert!(
            !cornell_match(&rect(100.0 + 24.0, 0.0), &truth),
            "IoU 0.25 is not above"
        );
    }

    #[test]
    fn only_the_top_grasp_counts_over_images() {
        let truth = vec![rect(100.0, 0.0), rect(300.0, 90.0)];
        let images = [
            // Top grasp on the second rectangle.
            GraspImage {
                positives: truth.clone(),
                predicted: vec![rect(300.0, 80.0), rect(600.0, 0.0)],
            },
            // A good grasp, but only second.
            GraspImage {
                positives: truth.clone(),
                predicted: vec![rect(600.0, 0.0), rect(100.0, 0.0)],
            },
            // Right place, wrong angle.
            GraspImage {
                positives: truth.clone(),
                predicted: vec![rect(100.0, 45.0)],
            },
            // Nothing predicted.
            GraspImage {
                positives: truth,
                predicted: Vec::new(),
            },
        ];
        let e = evaluate_cornell(&images).unwrap();
        assert_eq!(e.image_hits, [true, false, false, false]);
        assert_eq!((e.hits, e.num_images), (1, 4));
        assert_eq!(e.accuracy, 0.25);
        assert!(e.image_best_iou[0] > 0.5 && e.image_best_iou[2] == 0.0);
        assert!(evaluate_cornell(&[]).is_none());
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"accuracy\":0.25"), "{json}");
    }
}
