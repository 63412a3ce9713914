//! Point precision: whether the best gripping points lie on a good grasp (inside a
//! positive rectangle, or on a labelled gripping region).

use serde::Serialize;

use crate::{MetricsError, RotatedBox};

/// Where an image may be gripped.
#[derive(Debug, Clone, PartialEq)]
pub enum GripTruth {
    /// The good grasp rectangles: a point counts when it lies inside one of them.
    Rectangles(Vec<RotatedBox>),
    /// A gripping-map label image: `width * height` flags row by row, `true` =
    /// grippable; a point counts when the pixel it falls in is grippable.
    Region {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// One flag per pixel, row by row.
        mask: Vec<bool>,
    },
}

impl GripTruth {
    /// Whether the point `(row, col)` may be gripped.
    pub fn contains(&self, row: f64, col: f64) -> bool {
        match self {
            GripTruth::Rectangles(rects) => rects.iter().any(|r| point_in_grasp(r, row, col)),
            GripTruth::Region {
                width,
                height,
                mask,
            } => {
                let (r, c) = (row.floor(), col.floor());
                let inside =
                    r >= 0.0 && c >= 0.0 && r < f64::from(*height) && c < f64::from(*width);
                inside && mask.get(r as usize * *width as usize + c as usize) == Some(&true)
            }
        }
    }
}

/// Whether the point `(row, col)` lies inside (or on the edge of) the rectangle; false
/// for non-finite values.
pub fn point_in_grasp(rect: &RotatedBox, row: f64, col: f64) -> bool {
    let (sin, cos) = rect.phi.sin_cos();
    let (dx, dy) = (col - rect.col, row - rect.row);
    // The length1 axis is (cos, -sin) in (x, y); the length2 axis (sin, cos).
    let along = dx * cos - dy * sin;
    let across = dx * sin + dy * cos;
    along.abs() <= rect.length1 && across.abs() <= rect.length2
}

/// One image: where it may be gripped and the gripping points found, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct PointImage {
    /// The ground truth.
    pub truth: GripTruth,
    /// The points found `(row, col)`, best first.
    pub points: Vec<(f64, f64)>,
}

/// Point precision over images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointEvaluation {
    /// The number of images.
    pub num_images: usize,
    /// The `k` of the top-k measures.
    pub k: usize,
    /// The share of images whose best point may be gripped (an image without a point is
    /// a miss).
    pub top1_precision: f64,
    /// The share of the first `k` points of every image (fewer where an image has fewer)
    /// that may be gripped; 0 when no image has a point.
    pub topk_precision: f64,
    /// The share of images with at least one grippable point among their first `k`.
    pub topk_any: f64,
    /// Per image, how many of its first `k` points may be gripped.
    pub image_topk_hits: Vec<usize>,
}

/// Point precision of each image's first point and first `k` points; an error when there
/// are no images, `k` is 0, or a region's mask does not have `width * height` flags.
pub fn evaluate_points(images: &[PointImage], k: usize) -> Result<PointEvaluation, MetricsError> {
    if images.is_empty() {
        return Err(MetricsError::Empty("no images for point precision".into()));
    }
    if k == 0 {
        return Err(MetricsError::InvalidArgument("top-k needs k >= 1".into()));
    }
    for (i, image) in images.iter().enumerate() {
        if let GripTruth::Region {
            width,
            height,
            mask,
        } = &image.truth
        {
            let expected = *width as usize * *height as usize;
            if mask.len() != expected {
                return Err(MetricsError::LengthMismatch {
                    what: format!("image {i}'s gripping region mask"),
                    expected,
                    got: mask.len(),
                });
            }
        }
    }
    let (mut top1, mut considered, mut any) = (0usize, 0usize, 0usize);
    let mut image_topk_hits = Vec::with_capacity(images.len());
    for image in images {
        let first_k = &image.points[..image.points.len().min(k)];
        let hits: Vec<bool> = first_k
            .iter()
            .map(|&(r, c)| image.truth.contains(r, c))
            .collect();
        top1 += usize::from(hits.first() == Some(&true));
        considered += hits.len();
        let n = hits.iter().filter(|&&h| h).count();
        any += usize::from(n > 0);
        image_topk_hits.push(n);
    }
    let total_hits: usize = image_topk_hits.iter().sum();
    let n = images.len() as f64;
    Ok(PointEvaluation {
        num_images: images.len(),
        k,
        top1_precision: top1 as f64 / n,
        topk_precision: if considered > 0 {
            total_hits as f64 / considered as f64
        } else {
            0.0
        },
        topk_any: any as f64 / n,
        image_topk_hits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 40 x 20 rectangle centred at (50, 100) with its opening along `phi_deg`.
    fn rect(phi_deg: f64) -> RotatedBox {
        RotatedBox {
            row: 50.0,
            col: 100.0,
            phi: phi_deg.to_radians(),
            length1: 20.0,
            length2: 10.0,
        }
    }

    #[test]
    fn points_inside_turned_rectangles() {
        // Along the opening: 19 px right is inside, 21 px is not; 9 px down inside, 11 not.
        assert!(point_in_grasp(&rect(0.0), 50.0, 119.0));
        assert!(!point_in_grasp(&rect(0.0), 50.0, 121.0));
        assert!(point_in_grasp(&rect(0.0), 59.0, 100.0));
        assert!(!point_in_grasp(&rect(0.0), 61.0, 100.0));
        // Turned 90° counter-clockwise: the opening points up (rows decrease).
        assert!(point_in_grasp(&rect(90.0), 50.0 - 19.0, 100.0));
        assert!(!point_in_grasp(&rect(90.0), 50.0, 100.0 + 15.0));
        // 45°: up and right.
        let d = 19.0 / 2f64.sqrt();
        assert!(point_in_grasp(&rect(45.0), 50.0 - d, 100.0 + d));
        assert!(!point_in_grasp(&rect(45.0), 50.0 + d, 100.0 + d));
        assert!(!point_in_grasp(&rect(0.0), f64::NAN, 100.0));
    }

    #[test]
    fn top1_and_topk_precision_over_rectangles_and_regions() {
        let mut mask = vec![false; 4 * 3];
        mask[5] = true; // row 1, col 1
        let images = [
            PointImage {
                truth: GripTruth::Rectangles(vec![rect(0.0)]),
                points: vec![(50.0, 100.0), (0.0, 0.0), (50.0, 110.0)],
            },
            PointImage {
                truth: GripTruth::Region {
                    width: 4,
                    height: 3,
                    mask: mask.clone(),
                },
                points: vec![(0.5, 0.5), (1.9, 1.1)],
            },
            PointImage {
                truth: GripTruth::Rectangles(vec![rect(0.0)]),
                points: Vec::new(),
            },
        ];
        let e = evaluate_points(&images, 2).unwrap();
        assert_eq!(e.image_topk_hits, [1, 1, 0]);
        assert!((e.top1_precision - 1.0 / 3.0).abs() < 1e-12);
        // Of the 4 points considered (2 + 2 + 0), 2 are good.
        assert_eq!(e.topk_precision, 0.5);
        assert!((e.topk_any - 2.0 / 3.0).abs() < 1e-12);
        let e = evaluate_points(&images, 3).unwrap();
        assert_eq!(e.image_topk_hits, [2, 1, 0]);
        assert!(evaluate_points(&images, 0).is_err());
        assert!(evaluate_points(&[], 1).is_err());
        let bad = [PointImage {
            truth: GripTruth::Region {
                width: 4,
                height: 3,
                mask: vec![true; 11],
            },
            points: vec![(1.0, 1.0)],
        }];
        let err = evaluate_points(&bad, 1).unwrap_err().to_string();
        assert!(
            err.contains("image 0's gripping region mask has 11 entries, expected 12"),
            "{err}"
        );
    }
}
