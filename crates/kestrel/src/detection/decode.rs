//! From network outputs to objects: confidences, boxes, angles and masks, then
//! non-maximum suppression.

use crate::detection::assign::{Location, decode_angle, locations, rect_from_distances};
use crate::detection::{Detection, InstanceType, PRE_NMS_TOP_K};
use burn::tensor::Tensor;
use kestrel_image::{RotatedRect, non_max_suppression_by};
use kestrel_nn::DetectionOutput;
use serde::Serialize;

/// How outputs become objects (HALCON's `min_confidence`, `max_overlap`,
/// `max_overlap_class_agnostic`, `max_num_detections`).
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeSettings {
    /// Lowest confidence kept, per class.
    pub min_confidence: Vec<f32>,
    /// Per-class suppression IoU.
    pub max_overlap: f32,
    /// Class-agnostic suppression IoU (1: off).
    pub max_overlap_class_agnostic: f32,
    /// Most objects per image.
    pub max_detections: usize,
}

/// An object mask at the prototype resolution (a quarter of the input size), cropped to
/// the object's box: probability times 255, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct MaskGrid {
    /// Columns.
    pub width: u32,
    /// Rows.
    pub height: u32,
    /// `width * height` probabilities in `0..=255`.
    pub data: Vec<u8>,
}

impl MaskGrid {
    /// The mask's probability at input pixel `(x, y)` of an input of `width x height`,
    /// bilinearly interpolated (pixel-centre aligned), in `[0, 1]`.
    pub fn sample(&self, x: f32, y: f32, width: u32, height: u32) -> f32 {
        let gx = ((x + 0.5) * self.width as f32 / width as f32 - 0.5)
            .clamp(0.0, (self.width - 1) as f32);
        let gy = ((y + 0.5) * self.height as f32 / height as f32 - 0.5)
            .clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (gx.floor() as u32, gy.floor() as u32);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (gx - x0 as f32, gy - y0 as f32);
        let at = |x: u32, y: u32| self.data[(y * self.width + x) as usize] as f32 / 255.0;
        let top = at(x0, y0) * (1.0 - fx) + at(x1, y0) * fx;
        let bottom = at(x0, y1) * (1.0 - fx) + at(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }
}

/// One found object, in the model's input pixels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DetectedObject {
    /// Class index (network output).
    pub class: usize,
    /// Confidence in `[0, 1]`: `sqrt(class probability · centre-ness)`.
    pub score: f32,
    /// The box (`phi = 0` unless the model finds rotated boxes).
    pub rect: RotatedRect,
    /// The mask, for instance segmentation.
    #[serde(skip)]
    pub mask: Option<MaskGrid>,
}

/// Decodes a batch's outputs into objects per image.
pub fn decode(
    method: &Detection,
    out: DetectionOutput,
    settings: &DecodeSettings,
) -> Vec<Vec<DetectedObject>> {
    let locs = locations(&out.levels);
    let [b, c, n] = out.class_logits.dims();
    let host = |t: Tensor<3>| -> Vec<f32> {
        t.into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .expect("f32 data")
    };
    let classes = host(burn::tensor::activation::sigmoid(out.class_logits));
    let centre = host(burn::tensor::activation::sigmoid(out.centerness));
    let distances = host(out.box_regression.clamp(-8.0, 8.0).exp());
    let angles = out.angle.map(host);
    let coefficients = out.mask_coefficients.map(host);
    let prototypes = out.prototypes.map(|p| {
        let [_, k, h, w] = p.dims();
        (
            p.into_data()
                .convert::<f32>()
                .try_into_vec::<f32>()
                .expect("f32 data"),
            k,
            h,
            w,
        )
    });
    (0..b)
        .map(|i| {
            let mut candidates: Vec<(f32, usize, usize)> = Vec::new();
            for loc in 0..n {
                let ctr = centre[i * n + loc];
                for class in 0..c {
                    let p = classes[(i * c + class) * n + loc];
                    let score = (p * ctr).sqrt();
                    if score >= settings.min_confidence[class] {
                        candidates.push((score, loc, class));
                    }
                }
            }
            candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
            candidates.truncate(PRE_NMS_TOP_K);
            let rects: Vec<RotatedRect> = candidates
                .iter()
                .map(|&(_, loc, _)| {
                    let d = [0, 1, 2, 3].map(|j| distances[(i * 4 + j) * n + loc]);
                    let phi = angles.as_ref().map_or(0.0, |a| {
                        decode_angle(
                            a[(i * 2) * n + loc],
                            a[(i * 2 + 1) * n + loc],
                            method.ignore_direction,
                        )
                    });
                    box_at(method, &locs[loc], d, phi)
                })
                .collect();
            let scores: Vec<f32> = candidates.iter().map(|c| c.0).collect();
            let labels: Vec<u32> = candidates.iter().map(|c| c.2 as u32).collect();
            let rotated = method.instance_type == InstanceType::Rectangle2;
            let keep = non_max_suppression_by(
                &scores,
                &labels,
                |a, b| {
                    if rotated {
                        rects[a].iou(&rects[b])
                    } else {
                        rects[a].bounding_box().iou(&rects[b].bounding_box())
                    }
                },
                settings.max_overlap,
                settings.max_overlap_class_agnostic,
                settings.max_detections,
            );
            keep.into_iter()
                .map(|j| {
                    let (score, loc, class) = candidates[j];
                    let mask = match (&coefficients, &prototypes) {
                        (Some(coef), Some((protos, k, h, w))) => {
                            let coef: Vec<f32> =
                                (0..*k).map(|q| coef[(i * k + q) * n + loc]).collect();
                            let image = &protos[i * k * h * w..(i + 1) * k * h * w];
                            Some(mask_grid(&coef, image, *h, *w, &rects[j], method))
                        }
                        _ => None,
                    };
                    DetectedObject {
                        class,
                        score,
                        rect: rects[j],
                        mask,
                    }
                })
                .collect()
        })
        .collect()
}

/// The box a location predicts; axis-aligned boxes are clipped to the image.
fn box_at(method: &Detection, loc: &Location, d: [f32; 4], phi: f32) -> RotatedRect {
    let rect = rect_from_distances(loc.x, loc.y, d.map(|v| v * loc.stride), phi);
    if method.instance_type == InstanceType::Rectangle2 {
        return rect;
    }
    let (w, h) = (method.width as f32, method.height as f32);
    let x1 = (rect.col - rect.length1).clamp(0.0, w);
    let x2 = (rect.col + rect.length1).clamp(0.0, w);
    let y1 = (rect.row - rect.length2).clamp(0.0, h);
    let y2 = (rect.row + rect.length2).clamp(0.0, h);
    RotatedRect {
        row: (y1 + y2) / 2.0,
        col: (x1 + x2) / 2.0,
        phi: 0.0,
        length1: (x2 - x1) / 2.0,
        length2: (y2 - y1) / 2.0,
    }
}

/// `sigmoid(coef · prototypes)` at the prototype resolution, zero outside the box.
fn mask_grid(
    coef: &[f32],
    prototypes: &[f32],
    h: usize,
    w: usize,
    rect: &RotatedRect,
    method: &Detection,
) -> MaskGrid {
    let plane = h * w;
    let (sx, sy) = (
        w as f32 / method.width as f32,
        h as f32 / method.height as f32,
    );
    let b = rect.bounding_box();
    let (x1, x2) = (
        (b.x1 * sx).floor().max(0.0) as usize,
        (b.x2 * sx).ceil().min(w as f32) as usize,
    );
    let (y1, y2) = (
        (b.y1 * sy).floor().max(0.0) as usize,
        (b.y2 * sy).ceil().min(h as f32) as usize,
    );
    let mut data = vec![0u8; plane];
    for y in y1..y2 {
        for x in x1..x2 {
            let p = y * w + x;
            let logit: f32 = coef
                .iter()
                .enumerate()
                .map(|(q, c)| c * prototypes[q * plane + p])
                .sum();
            data[p] = (255.0 / (1.0 + (-logit).exp())).round() as u8;
        }
    }
    MaskGrid {
        width: w as u32,
        height: h as u32,
        data,
    }
}
