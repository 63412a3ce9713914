//! The detection loss: sigmoid focal loss (classes), generalised IoU (boxes, weighted by
//! centre-ness), binary cross-entropy (centre-ness), L1 (angle) and per-pixel binary
//! cross-entropy inside the true box (masks), each normalised by the positives.

use crate::detection::assign::{angle_factor, assign, canonical, locations};
use crate::detection::{Detection, DetectionTarget};
use burn::tensor::activation::{log_sigmoid, sigmoid};
use burn::tensor::{Int, Tensor, TensorData};
use kestrel_nn::DetectionOutput;

/// Focal-loss weight of positives.
const ALPHA: f32 = 0.25;

/// Mask-loss samples per image (positive locations drawn evenly).
const MASK_SAMPLES: usize = 64;

/// The mean loss of a batch.
pub fn detection_loss(
    method: &Detection,
    out: DetectionOutput,
    targets: &[DetectionTarget],
) -> Tensor<1> {
    let device = out.class_logits.device();
    let locs = locations(&out.levels);
    let [b, c, n] = out.class_logits.dims();
    let k = angle_factor(method.ignore_direction);
    let mut class_t = vec![0f32; b * c * n];
    let mut positive = vec![0f32; b * n];
    let mut dist_t = vec![1f32; b * 4 * n];
    let mut centre_t = vec![0f32; b * n];
    let mut angle_t = vec![0f32; b * 2 * n];
    let mut assignments = Vec::with_capacity(b);
    for (i, target) in targets.iter().enumerate() {
        let rects: Vec<_> = target
            .rects
            .iter()
            .map(|r| canonical(*r, method.ignore_direction))
            .collect();
        let a = assign(&locs, &rects);
        for loc in 0..n {
            let Some(object) = a.object[loc] else {
                continue;
            };
            class_t[(i * c + target.classes[object]) * n + loc] = 1.0;
            positive[i * n + loc] = 1.0;
            for j in 0..4 {
                dist_t[(i * 4 + j) * n + loc] = a.distances[loc][j];
            }
            centre_t[i * n + loc] = a.centerness[loc];
            let phi = k * rects[object].phi;
            angle_t[(i * 2) * n + loc] = phi.sin();
            angle_t[(i * 2 + 1) * n + loc] = phi.cos();
        }
        assignments.push(a);
    }
    let num_pos = positive.iter().sum::<f32>().max(1.0);
    let centre_sum = centre_t.iter().sum::<f32>().max(1e-6);
    let tensor3 =
        |v: Vec<f32>, d: usize| Tensor::<3>::from_data(TensorData::new(v, [b, d, n]), &device);
    let class_t = tensor3(class_t, c);
    let positive = tensor3(positive, 1);
    let dist_t = tensor3(dist_t, 4);
    let centre_t = tensor3(centre_t, 1);

    let focal = focal_loss(out.class_logits, class_t)
        .sum()
        .div_scalar(num_pos);
    let giou = giou_loss(out.box_regression.clamp(-8.0, 8.0).exp(), dist_t);
    let box_loss = (giou * centre_t.clone()).sum().div_scalar(centre_sum);
    let centre_loss = (binary_cross_entropy(out.centerness, centre_t) * positive.clone())
        .sum()
        .div_scalar(num_pos);
    let mut total = focal + box_loss + centre_loss;
    if let Some(angle) = out.angle {
        let angle_t = tensor3(angle_t, 2);
        let l1 = ((angle - angle_t).abs() * positive)
            .sum()
            .div_scalar(num_pos);
        total = total + l1;
    }
    if let (Some(coefficients), Some(prototypes)) = (out.mask_coefficients, out.prototypes)
        && let Some(mask) = mask_loss(method, coefficients, prototypes, targets, &assignments)
    {
        total = total + mask;
    }
    total
}

/// Sigmoid focal loss (Lin et al., 2017) per element, gamma 2.
fn focal_loss(logits: Tensor<3>, targets: Tensor<3>) -> Tensor<3> {
    let p = sigmoid(logits.clone());
    let ce = binary_cross_entropy(logits, targets.clone());
    let p_t = p.clone() * targets.clone() + (p.neg() + 1.0) * (targets.clone().neg() + 1.0);
    let alpha_t = targets.clone() * ALPHA + (targets.neg() + 1.0) * (1.0 - ALPHA);
    alpha_t * (p_t.neg() + 1.0).square() * ce
}

/// Binary cross-entropy of logits per element.
fn binary_cross_entropy<const D: usize>(logits: Tensor<D>, targets: Tensor<D>) -> Tensor<D> {
    let log_p = log_sigmoid(logits.clone());
    let log_not_p = log_sigmoid(logits.neg());
    (targets.clone() * log_p + (targets.neg() + 1.0) * log_not_p).neg()
}

/// `1 - GIoU` of boxes given by side distances `[B, 4, N]` from the same point.
fn giou_loss(pred: Tensor<3>, target: Tensor<3>) -> Tensor<3> {
    let side = |t: &Tensor<3>, j: usize| t.clone().narrow(1, j, 1);
    let (pl, pt, pr, pb) = (
        side(&pred, 0),
        side(&pred, 1),
        side(&pred, 2),
        side(&pred, 3),
    );
    let (tl, tt, tr, tb) = (
        side(&target, 0),
        side(&target, 1),
        side(&target, 2),
        side(&target, 3),
    );
    let pred_area = (pl.clone() + pr.clone()) * (pt.clone() + pb.clone());
    let target_area = (tl.clone() + tr.clone()) * (tt.clone() + tb.clone());
    let inter_w = pl.clone().min_pair(tl.clone()) + pr.clone().min_pair(tr.clone());
    let inter_h = pt.clone().min_pair(tt.clone()) + pb.clone().min_pair(tb.clone());
    let inter = inter_w * inter_h;
    let union = pred_area + target_area - inter.clone();
    let enclose = (pl.max_pair(tl) + pr.max_pair(tr)) * (pt.max_pair(tt) + pb.max_pair(tb));
    let iou = inter / union.clone().clamp_min(1e-6);
    let giou = iou - (enclose.clone() - union) / enclose.clamp_min(1e-6);
    giou.neg() + 1.0
}

/// Per-pixel binary cross-entropy of the masks of up to [`MASK_SAMPLES`] positive
/// locations per image, counted inside each object's box and averaged over its area.
fn mask_loss(
    method: &Detection,
    coefficients: Tensor<3>,
    prototypes: Tensor<4>,
    targets: &[DetectionTarget],
    assignments: &[crate::detection::Assignment],
) -> Option<Tensor<1>> {
    let device = coefficients.device();
    let [_, k, h, w] = prototypes.dims();
    let plane = h * w;
    let mut total: Option<Tensor<1>> = None;
    let mut samples = 0usize;
    for (i, (target, a)) in targets.iter().zip(assignments).enumerate() {
        let Some(instances) = &target.instances else {
            continue;
        };
        let positives: Vec<usize> = (0..a.object.len())
            .filter(|&l| a.object[l].is_some())
            .collect();
        if positives.is_empty() {
            continue;
        }
        let step = positives.len().div_ceil(MASK_SAMPLES);
        let chosen: Vec<usize> = positives.into_iter().step_by(step).collect();
        let p = chosen.len();
        let small = instances.resize_nearest(w as u32, h as u32);
        let (sx, sy) = (
            w as f32 / method.width as f32,
            h as f32 / method.height as f32,
        );
        let mut mask_t = vec![0f32; p * plane];
        let mut weight = vec![0f32; p * plane];
        for (row, &loc) in chosen.iter().enumerate() {
            let object = a.object[loc].expect("positive");
            let b = target.rects[object].bounding_box();
            let x1 = (b.x1 * sx).floor().max(0.0) as usize;
            let x2 = ((b.x2 * sx).ceil() as usize).min(w);
            let y1 = (b.y1 * sy).floor().max(0.0) as usize;
            let y2 = ((b.y2 * sy).ceil() as usize).min(h);
            let area = ((x2.saturating_sub(x1)) * (y2.saturating_sub(y1))).max(1) as f32;
            for y in y1..y2 {
                for x in x1..x2 {
                    let px = y * w + x;
                    weight[row * plane + px] = 1.0 / area;
                    if small.data[px] as usize == object + 1 {
                        mask_t[row * plane + px] = 1.0;
                    }
                }
            }
        }
        let index = Tensor::<1, Int>::from_data(
            TensorData::new(chosen.iter().map(|&l| l as i64).collect::<Vec<_>>(), [p]),
            &device,
        );
        // [K, P] coefficients of the chosen locations, [K, H*W] prototypes.
        let coef = coefficients
            .clone()
            .narrow(0, i, 1)
            .reshape([k, coefficients.dims()[2]])
            .select(1, index);
        let protos = prototypes.clone().narrow(0, i, 1).reshape([k, plane]);
        let logits = coef.swap_dims(0, 1).matmul(protos);
        let mask_t = Tensor::<2>::from_data(TensorData::new(mask_t, [p, plane]), &device);
        let weight = Tensor::<2>::from_data(TensorData::new(weight, [p, plane]), &device);
        let loss = (binary_cross_entropy(logits, mask_t) * weight).sum();
        samples += p;
        total = Some(match total {
            None => loss,
            Some(t) => t + loss,
        });
    }
    total.map(|t| t.div_scalar(samples.max(1) as f32))
}
