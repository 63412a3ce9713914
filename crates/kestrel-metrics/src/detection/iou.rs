//! Intersection over union of boxes and masks, as `pycocotools` computes them (`bbIou`,
//! `rleIou`), with COCO's crowd rule: against a crowd ground truth the union is the
//! detection's own area, so a detection inside a crowd region scores 1.

use kestrel_geom::Rle;

/// IoU of a detection box and a ground-truth box, both `[x, y, width, height]` (`bbIou`).
/// With `gt_crowd`, the intersection is divided by the detection's area instead.
/// Boxes that only touch, or have no area, give 0.
pub fn box_iou(dt: [f64; 4], gt: [f64; 4], gt_crowd: bool) -> f64 {
    let ga = gt[2] * gt[3];
    let da = dt[2] * dt[3];
    let w = (dt[2] + dt[0]).min(gt[2] + gt[0]) - dt[0].max(gt[0]);
    if w <= 0.0 {
        return 0.0;
    }
    let h = (dt[3] + dt[1]).min(gt[3] + gt[1]) - dt[1].max(gt[1]);
    if h <= 0.0 {
        return 0.0;
    }
    let i = w * h;
    let u = if gt_crowd { da } else { da + ga - i };
    i / u
}

/// IoU of a detection mask and a ground-truth mask of the same size (`rleIou`); with
/// `gt_crowd`, the intersection is divided by the detection's area. `None` when the sizes
/// differ (pycocotools gives -1 there).
pub fn mask_iou(dt: &Rle, gt: &Rle, gt_crowd: bool) -> Option<f64> {
    let (i, mut u) = dt.overlap(gt)?;
    if i == 0 {
        return Some(0.0);
    }
    if gt_crowd {
        u = dt.area();
    }
    Some(i as f64 / u as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes() {
        assert_eq!(
            box_iou([0.0, 0.0, 2.0, 2.0], [0.0, 0.0, 2.0, 2.0], false),
            1.0
        );
        assert_eq!(
            box_iou([0.0, 0.0, 2.0, 2.0], [1.0, 0.0, 2.0, 2.0], false),
            1.0 / 3.0
        );
        assert_eq!(
            box_iou([0.0, 0.0, 2.0, 2.0], [2.0, 0.0, 2.0, 2.0], false),
            0.0
        );
        // Inside a crowd region: intersection / detection area.
        assert_eq!(
            box_iou([1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 10.0, 10.0], true),
            1.0
        );
        assert_eq!(
            box_iou([9.0, 0.0, 2.0, 1.0], [0.0, 0.0, 10.0, 10.0], true),
            0.5
        );
    }

    #[test]
    fn masks() {
        let a = Rle::encode(&[1, 1, 0, 0], 2, 2).unwrap();
        let b = Rle::encode(&[0, 1, 0, 1], 2, 2).unwrap();
        assert_eq!(mask_iou(&a, &b, false), Some(1.0 / 3.0));
        assert_eq!(mask_iou(&a, &b, true), Some(0.5));
        assert_eq!(mask_iou(&a, &a, false), Some(1.0));
        let empty = Rle::encode(&[0; 4], 2, 2).unwrap();
        assert_eq!(mask_iou(&empty, &a, false), Some(0.0));
        let other = Rle::encode(&[1], 1, 1).unwrap();
        assert_eq!(mask_iou(&a, &other, false), None);
    }
}
