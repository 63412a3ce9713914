//! COCO-style evaluation of detections against ground truth: `pycocotools`' `COCOeval`
//! (`evaluate`, `accumulate`, `summarize`) with its default parameters.

use std::collections::HashMap;

use serde::Serialize;

use super::accumulate::accumulate;
use super::input::{Detection, GroundTruthSet, IouType, Mask};
use super::iou::{box_iou, mask_iou};
use super::matching::{GtInfo, ImageEval, evaluate_image};
use super::numpy::{linspace, mean};
use crate::MetricsError;
use kestrel_geom::{Rle, RotatedBox, rotated_iou};

/// The area ranges `[lo, hi]` in pixels (both ends included): all, small (below 32²),
/// medium (32² to 96²) and large (above 96²).
pub const AREA_RANGES: [(f64, f64); 4] =
    [(0.0, 1e10), (0.0, 1024.0), (1024.0, 9216.0), (9216.0, 1e10)];

/// Names of [`AREA_RANGES`].
pub const AREA_LABELS: [&str; 4] = ["all", "small", "medium", "large"];

/// The numbers of detections per image (best first) that are evaluated.
pub const MAX_DETECTIONS: [usize; 3] = [1, 10, 100];

/// The IoU thresholds 0.50, 0.55, ..., 0.95 (`np.linspace(.5, .95, 10)`).
pub fn iou_thresholds() -> Vec<f64> {
    linspace(0.5, 0.95, 10)
}

/// The recall points 0.00, 0.01, ..., 1.00 (`np.linspace(0, 1, 101)`) at which
/// interpolated precision is sampled.
pub fn recall_thresholds() -> Vec<f64> {
    linspace(0.0, 1.0, 101)
}

/// Per-class results (all areas, 100 detections per image).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassDetectionMetrics {
    /// Category id.
    pub category_id: u32,
    /// Category name.
    pub name: String,
    /// Number of ground-truth objects that are not crowd regions.
    pub num_ground_truth: usize,
    /// AP averaged over IoU 0.50:0.95; `None` without ground truth.
    pub ap: Option<f64>,
    /// AP at IoU 0.50.
    pub ap50: Option<f64>,
    /// AP at IoU 0.75.
    pub ap75: Option<f64>,
    /// Recall reached at IoU 0.50 with all detections.
    pub recall50: Option<f64>,
    /// Interpolated precision at IoU 0.50 for each of the 101 [`recall_thresholds`] (0
    /// beyond the recall reached); empty without ground truth. Plot it with
    /// [`ClassDetectionMetrics::curve50`].
    pub precision50: Vec<f64>,
}

/// A precision-recall curve, points in order of increasing recall.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrecisionRecallCurve {
    /// Recall of each point.
    pub recall: Vec<f64>,
    /// Precision of each point.
    pub precision: Vec<f64>,
}

impl ClassDetectionMetrics {
    /// The interpolated precision-recall curve at IoU 0.50 up to the recall reached;
    /// `None` without ground truth.
    pub fn curve50(&self) -> Option<PrecisionRecallCurve> {
        let reached = self.recall50?;
        let (recall, precision) = recall_thresholds()
            .into_iter()
            .zip(self.precision50.iter().copied())
            .filter(|&(r, _)| r <= reached)
            .unzip();
        Some(PrecisionRecallCurve { recall, precision })
    }
}

/// The result of [`evaluate_detection`]. Undefined values (no ground truth in the range)
/// are `None`; [`DetectionEvaluation::stats`] gives them as -1 like `pycocotools`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectionEvaluation {
    /// What was compared.
    pub iou_type: IouType,
    /// AP, IoU 0.50:0.95, all areas, 100 detections per image (the COCO metric).
    pub ap: Option<f64>,
    /// AP at IoU 0.50.
    pub ap50: Option<f64>,
    /// AP at IoU 0.75.
    pub ap75: Option<f64>,
    /// AP of small objects (area below 32²).
    pub ap_small: Option<f64>,
    /// AP of medium objects (32² to 96²).
    pub ap_medium: Option<f64>,
    /// AP of large objects (above 96²).
    pub ap_large: Option<f64>,
    /// Average recall with 1 detection per image.
    pub ar1: Option<f64>,
    /// Average recall with 10 detections per image.
    pub ar10: Option<f64>,
    /// Average recall with 100 detections per image.
    pub ar100: Option<f64>,
    /// Average recall of small objects.
    pub ar_small: Option<f64>,
    /// Average recall of medium objects.
    pub ar_medium: Option<f64>,
    /// Average recall of large objects.
    pub ar_large: Option<f64>,
    /// Per category, in order of category id.
    pub per_class: Vec<ClassDetectionMetrics>,
    /// Interpolated precision `[T][R][K][A][M]` in row-major order (T = 10 IoU thresholds,
    /// R = 101 recall points, K categories by id, A = 4 [`AREA_RANGES`], M = 3
    /// [`MAX_DETECTIONS`]), -1 where undefined: COCOeval's `eval["precision"]`. Not
    /// serialized (see [`DetectionEvaluation::precision_at`]).
    #[serde(skip)]
    pub precision: Vec<f64>,
    /// Recall `[T][K][A][M]`, -1 where undefined: COCOeval's `eval["recall"]`. Not
    /// serialized.
    #[serde(skip)]
    pub recall: Vec<f64>,
}

impl DetectionEvaluation {
    /// The 12 numbers of `COCOeval.stats`: AP, AP50, AP75, AP small, medium, large, AR1,
    /// AR10, AR100, AR small, medium, large; -1 where undefined.
    pub fn stats(&self) -> [f64; 12] {
        [
            self.ap,
            self.ap50,
            self.ap75,
            self.ap_small,
            self.ap_medium,
            self.ap_large,
            self.ar1,
            self.ar10,
            self.ar100,
            self.ar_small,
            self.ar_medium,
            self.ar_large,
        ]
        .map(|v| v.unwrap_or(-1.0))
    }

    /// `precision[t][r][k][a][m]` (see [`DetectionEvaluation::precision`]); -1 where
    /// undefined or out of range.
    pub fn precision_at(&self, t: usize, r: usize, k: usize, a: usize, m: usize) -> f64 {
        let dims = self.dims();
        if t >= dims.0 || r >= dims.1 || k >= dims.2 || a >= dims.3 || m >= dims.4 {
            return -1.0;
        }
        self.precision[(((t * dims.1 + r) * dims.2 + k) * dims.3 + a) * dims.4 + m]
    }

    /// `(T, R, K, A, M)`.
    fn dims(&self) -> (usize, usize, usize, usize, usize) {
        (
            10,
            101,
            self.per_class.len(),
            AREA_RANGES.len(),
            MAX_DETECTIONS.len(),
        )
    }
}

/// A ground-truth object or a detection prepared for matching.
struct Prepared {
    bbox: [f64; 4],
    area: f64,
    crowd: bool,
    score: f64,
    mask: Option<Rle>,
    rotated: Option<RotatedBox>,
}

/// Evaluates detections against ground truth COCO style, equal to `pycocotools`'
/// `COCOeval` with default parameters (`iouType` `"bbox"` or `"segm"`).
///
/// Every image of `gt.images` and every category of `gt.categories` is evaluated.
/// Per image and category, detections are sorted by descending score (ties keep input
/// order), only the best 100 are kept, and each is matched greedily to the unmatched
/// ground truth of highest IoU at or above the threshold, ground truth that is not ignored
/// first. Crowd regions are ignored ground truth that may absorb any number of detections
/// (IoU against them uses the detection's area as the union); ground truth outside an area
/// range is ignored for that range, and so are unmatched detections outside it (by
/// `bbox` area). Precision is interpolated at 101 recall points (0, 0.01, ..., 1) for the
/// IoU thresholds 0.50:0.05:0.95, and averaged over thresholds, recall points and the
/// categories that have ground truth.
///
/// Masks ([`IouType::Segm`]) are RLE or polygons, rasterised like `pycocotools` at the
/// image's size. One known difference: `pycocotools` counts a detection matched to a
/// ground truth whose annotation id is 0 as unmatched (it stores ids and tests them for
/// non-zero); this function has no annotation ids and always counts the match, so results
/// equal `pycocotools`' when no annotation has id 0.
///
/// Errors: duplicate image or category ids; ground truth or detections naming an unknown
/// image or category; non-finite scores, boxes or areas; for `Segm`, a missing mask, an
/// RLE of another size than its image or with wrong run totals, or an unusable polygon
/// list.
pub fn evaluate_detection(
    gt: &GroundTruthSet,
    detections: &[Detection],
    iou_type: IouType,
) -> Result<DetectionEvaluation, MetricsError> {
    let mut image_ids: Vec<u64> = gt.images.iter().map(|i| i.id).collect();
    image_ids.sort_unstable();
    if let Some(w) = image_ids.windows(2).find(|w| w[0] == w[1]) {
        return Err(invalid(format!("image id {} is used twice", w[0])));
    }
    let mut categories: Vec<_> = gt.categories.iter().collect();
    categories.sort_by_key(|c| c.id);
    if let Some(w) = categories.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(invalid(format!("category id {} is used twice", w[0].id)));
    }
    let image_index: HashMap<u64, usize> = image_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let sizes: HashMap<u64, (u32, u32)> = gt
        .images
        .iter()
        .map(|i| (i.id, (i.height, i.width)))
        .collect();
    let category_index: HashMap<u32, usize> = categories
        .iter()
        .enumerate()
        .map(|(k, c)| (c.id, k))
        .collect();
    let locate = |what: &str, n: usize, image_id: u64, category_id: u32| {
        let i = image_index
            .get(&image_id)
            .copied()
            .ok_or_else(|| invalid(format!("{what} {n}: image_id {image_id} is not an image")))?;
        let k = category_index.get(&category_id).copied().ok_or_else(|| {
            invalid(format!(
                "{what} {n}: category_id {category_id} is not a category"
            ))
        })?;
        Ok::<_, MetricsError>((k, i))
    };
    let segm = iou_type == IouType::Segm;
    let rotated_of = |what: &str, n: usize, mask: &Option<Mask>| match (iou_type, mask) {
        (IouType::Rotated, Some(Mask::Rotated(r))) => Ok(Some(*r)),
        (IouType::Rotated, _) => Err(invalid(format!(
            "{what} {n}: no rotated box for rotated evaluation"
        ))),
        _ => Ok(None),
    };
    let mask_of = |what: &str, n: usize, image_id: u64, mask: &Option<Mask>| {
        if !segm {
            return Ok(None);
        }
        let (h, w) = sizes.get(&image_id).copied().unwrap_or_default();
        let mask = mask
            .as_ref()
            .ok_or_else(|| invalid(format!("{what} {n}: no mask for segm evaluation")))?;
        to_rle(mask, h, w)
            .map(Some)
            .map_err(|e| invalid(format!("{what} {n}: {e}")))
    };
    let mut groups: HashMap<(usize, usize), (Vec<Prepared>, Vec<Prepared>)> = HashMap::new();
    for (n, g) in gt.annotations.iter().enumerate() {
        let key = locate("ground truth", n, g.image_id, g.category_id)?;
        finite("ground truth", n, &g.bbox, g.area)?;
        groups.entry(key).or_default().0.push(Prepared {
            bbox: g.bbox,
            area: g.area,
            crowd: g.iscrowd,
            score: 0.0,
            mask: mask_of("ground truth", n, g.image_id, &g.mask)?,
            rotated: rotated_of("ground truth", n, &g.mask)?,
        });
    }
    for (n, d) in detections.iter().enumerate() {
        let key = locate("detection", n, d.image_id, d.category_id)?;
        if !d.score.is_finite() {
            return Err(MetricsError::NonFinite {
                what: "detection score".into(),
                index: n,
            });
        }
        finite("detection", n, &d.bbox, 0.0)?;
        groups.entry(key).or_default().1.push(Prepared {
            bbox: d.bbox,
            area: d.bbox[2] * d.bbox[3],
            crowd: false,
            score: d.score,
            mask: mask_of("detection", n, d.image_id, &d.mask)?,
            rotated: rotated_of("detection", n, &d.mask)?,
        });
    }

    let thresholds = iou_thresholds();
    let recall_points = recall_thresholds();
    let max_det = MAX_DETECTIONS[MAX_DETECTIONS.len() - 1];
    let (num_k, num_a, num_i) = (categories.len(), AREA_RANGES.len(), image_ids.len());
    // evals[(k * A + a) * I + i]
    let mut evals: Vec<Option<ImageEval>> = vec![None; num_k * num_a * num_i];
    for (&(k, i), (gts, dts)) in &mut groups {
        dts.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        dts.truncate(max_det);
        let mut ious = Vec::with_capacity(dts.len() * gts.len());
        for d in dts.iter() {
            for g in gts.iter() {
                ious.push(match (&d.mask, &g.mask, d.rotated, g.rotated) {
                    (Some(dm), Some(gm), _, _) => mask_iou(dm, gm, g.crowd).unwrap_or(-1.0),
                    (_, _, Some(dr), Some(gr)) => rotated_iou(dr, gr),
                    _ => box_iou(d.bbox, g.bbox, g.crowd),
                });
            }
        }
        let infos: Vec<GtInfo> = gts
            .iter()
            .map(|g| GtInfo {
                area: g.area,
                crowd: g.crowd,
            })
            .collect();
        let areas: Vec<f64> = dts.iter().map(|d| d.area).collect();
        let scores: Vec<f64> = dts.iter().map(|d| d.score).collect();
        for (a, &range) in AREA_RANGES.iter().enumerate() {
            evals[(k * num_a + a) * num_i + i] = Some(evaluate_image(
                &infos,
                &areas,
                &scores,
                &ious,
                range,
                &thresholds,
            ));
        }
    }

    let (num_t, num_r, num_m) = (thresholds.len(), recall_points.len(), MAX_DETECTIONS.len());
    let mut precision = vec![-1.0; num_t * num_r * num_k * num_a * num_m];
    let mut recall = vec![-1.0; num_t * num_k * num_a * num_m];
    for k in 0..num_k {
        for a in 0..num_a {
            let e: Vec<&ImageEval> = evals[(k * num_a + a) * num_i..(k * num_a + a + 1) * num_i]
                .iter()
                .flatten()
                .collect();
            if e.is_empty() {
                continue;
            }
            for (m, &max_dets) in MAX_DETECTIONS.iter().enumerate() {
                let Some((p, r)) = accumulate(&e, max_dets, num_t, &recall_points) else {
                    continue;
                };
                for t in 0..num_t {
                    recall[((t * num_k + k) * num_a + a) * num_m + m] = r[t];
                    for ri in 0..num_r {
                        precision[(((t * num_r + ri) * num_k + k) * num_a + a) * num_m + m] =
                            p[t * num_r + ri];
                    }
                }
            }
        }
    }

    let summary = Summary {
        precision: &precision,
        recall: &recall,
        dims: (num_t, num_r, num_k, num_a, num_m),
    };
    let all_k: Vec<usize> = (0..num_k).collect();
    let ap = |t: Option<usize>, a: usize, ks: &[usize]| summary.ap(t, a, 2, ks);
    let ar = |a: usize, m: usize| summary.ar(a, m);
    let mut per_class = Vec::with_capacity(num_k);
    for (k, c) in categories.iter().enumerate() {
        let defined = recall[k * num_a * num_m + 2] >= 0.0;
        per_class.push(ClassDetectionMetrics {
            category_id: c.id,
            name: c.name.clone(),
            num_ground_truth: gt
                .annotations
                .iter()
                .filter(|g| g.category_id == c.id && !g.iscrowd)
                .count(),
            ap: ap(None, 0, &[k]),
            ap50: ap(Some(0), 0, &[k]),
            ap75: ap(Some(5), 0, &[k]),
            recall50: defined.then_some(recall[k * num_a * num_m + 2]),
            precision50: if defined {
                (0..num_r)
                    .map(|r| precision[((r * num_k + k) * num_a) * num_m + 2])
                    .collect()
            } else {
                Vec::new()
            },
        });
    }
    Ok(DetectionEvaluation {
        iou_type,
        ap: ap(None, 0, &all_k),
        ap50: ap(Some(0), 0, &all_k),
        ap75: ap(Some(5), 0, &all_k),
        ap_small: ap(None, 1, &all_k),
        ap_medium: ap(None, 2, &all_k),
        ap_large: ap(None, 3, &all_k),
        ar1: ar(0, 0),
        ar10: ar(0, 1),
        ar100: ar(0, 2),
        ar_small: ar(1, 2),
        ar_medium: ar(2, 2),
        ar_large: ar(3, 2),
        per_class,
        precision,
        recall,
    })
}

/// Averages over the accumulated arrays, as `COCOeval.summarize`.
struct Summary<'a> {
    precision: &'a [f64],
    recall: &'a [f64],
    dims: (usize, usize, usize, usize, usize),
}

impl Summary<'_> {
    /// Mean precision over thresholds (all or `t`), recall points and categories `ks`
    /// for area range `a` and max detections `m`, ignoring -1 entries (C order t, r, k).
    fn ap(&self, t: Option<usize>, a: usize, m: usize, ks: &[usize]) -> Option<f64> {
        let (nt, nr, nk, na, nm) = self.dims;
        let ts: Vec<usize> = t.map_or_else(|| (0..nt).collect(), |t| vec![t]);
        let mut values = Vec::new();
        for &t in &ts {
            for r in 0..nr {
                for &k in ks {
                    let v = self.precision[(((t * nr + r) * nk + k) * na + a) * nm + m];
                    if v > -1.0 {
                        values.push(v);
                    }
                }
            }
        }
        mean_or_none(&values)
    }

    /// Mean recall over all thresholds and categories for area range `a` and max
    /// detections `m`, ignoring -1 entries (C order t, k).
    fn ar(&self, a: usize, m: usize) -> Option<f64> {
        let (nt, _, nk, na, nm) = self.dims;
        let mut values = Vec::new();
        for t in 0..nt {
            for k in 0..nk {
                let v = self.recall[((t * nk + k) * na + a) * nm + m];
                if v > -1.0 {
                    values.push(v);
                }
            }
        }
        mean_or_none(&values)
    }
}

/// `np.mean`, `None` for no values.
fn mean_or_none(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| mean(values))
}

/// The RLE of a mask at the image's size `h x w`.
fn to_rle(mask: &Mask, h: u32, w: u32) -> Result<Rle, MetricsError> {
    match mask {
        Mask::Rle(rle) => {
            if (rle.height, rle.width) != (h, w) {
                return Err(invalid(format!(
                    "RLE mask is {} x {} (height x width) but the image is {h} x {w}",
                    rle.height, rle.width
                )));
            }
            rle.check()?;
            Ok(rle.clone())
        }
        Mask::Polygons(polygons) => Ok(Rle::from_polygons(polygons, h, w)?),
        Mask::Rotated(r) => {
            let polygon: Vec<f64> = r.corners().iter().flat_map(|&(x, y)| [x, y]).collect();
            Ok(Rle::from_polygons(&[polygon], h, w)?)
        }
    }
}

/// Fails when a box value or the area is not finite.
fn finite(what: &str, n: usize, bbox: &[f64; 4], area: f64) -> Result<(), MetricsError> {
    if bbox.iter().all(|v| v.is_finite()) && area.is_finite() {
        Ok(())
    } else {
        Err(invalid(format!("{what} {n}: bbox or area is not finite")))
    }
}

fn invalid(message: String) -> MetricsError {
    MetricsError::InvalidArgument(message)
}
