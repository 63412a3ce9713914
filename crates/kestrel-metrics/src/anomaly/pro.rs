//! The per-region overlap (PRO) curve of the MVTec AD benchmark.

use super::AnomalyMap;
use super::components::connected_regions;
use super::map::check_maps;
use crate::MetricsError;
use crate::ranking::Ranked;

/// Area under the per-region overlap curve up to a false positive rate of `max_fpr`,
/// divided by `max_fpr` (so a perfect detector scores 1), as the official MVTec AD
/// evaluation (`compute_pro` + `trapezoid`, Bergmann et al.) computes it; the benchmark
/// uses `max_fpr = 0.3`.
///
/// Ground truth regions are the 8-connected components of every mask. For a threshold
/// `t` (pixels scoring `>= t` are called anomalous):
/// - PRO(t) = mean over all regions of all images of the share of the region's pixels
///   called anomalous;
/// - FPR(t) = pixels outside every region called anomalous / all pixels outside every
///   region, over all images (defect-free images included).
///
/// The curve has one point per distinct score, starts at (0, 0) and is integrated with
/// the trapezoid rule from FPR 0 to `max_fpr`, the point at exactly `max_fpr` being
/// linearly interpolated. Exact (every distinct score is a threshold) and O(n log n) in
/// the total pixel count: pixels are sorted once and swept.
///
/// Fails when there are no maps, on length mismatches or non-finite scores, when
/// `max_fpr` is not in (0, 1], and when there is no defect pixel or no normal pixel.
pub fn pro_auc(maps: &[AnomalyMap<'_>], max_fpr: f64) -> Result<f64, MetricsError> {
    if !(max_fpr > 0.0 && max_fpr <= 1.0) {
        return Err(MetricsError::InvalidArgument(format!(
            "max_fpr must be in (0, 1], got {max_fpr}"
        )));
    }
    let pixels = check_maps(maps)?;
    // Payload per pixel: 0 = normal, k + 1 = global region k.
    let mut payloads: Vec<Vec<u32>> = Vec::with_capacity(maps.len());
    let mut inverse_sizes: Vec<f64> = Vec::new();
    for map in maps {
        let labels = match map.mask {
            Some(mask) => {
                let regions = connected_regions(mask, map.width, map.height)?;
                let offset = inverse_sizes.len() as u32;
                inverse_sizes.extend(regions.sizes.iter().map(|&s| 1.0 / s as f64));
                let mut labels = regions.labels;
                for l in labels.iter_mut().filter(|l| **l != 0) {
                    *l += offset;
                }
                labels
            }
            None => vec![0; map.scores.len()],
        };
        payloads.push(labels);
    }
    let regions = inverse_sizes.len();
    let normal = payloads.iter().flatten().filter(|&&p| p == 0).count();
    if regions == 0 {
        return Err(MetricsError::Undefined(
            "PRO needs at least one defect pixel".into(),
        ));
    }
    if normal == 0 {
        return Err(MetricsError::Undefined(
            "PRO needs at least one pixel outside the defects".into(),
        ));
    }
    let pairs = maps
        .iter()
        .zip(&payloads)
        .flat_map(|(m, p)| m.scores.iter().copied().zip(p.iter().copied()));
    let ranked = Ranked::new(pairs, pixels, "pixel scores")?;
    drop(payloads);

    let (mut false_positives, mut overlap_sum) = (0u64, 0.0f64);
    let (mut prev_fpr, mut prev_pro) = (0.0f64, 0.0f64);
    let mut area = 0.0;
    for (_, group) in ranked.groups() {
        for p in group {
            match p {
                0 => false_positives += 1,
                region => overlap_sum += inverse_sizes[region as usize - 1],
            }
        }
        let fpr = false_positives as f64 / normal as f64;
        let pro = (overlap_sum / regions as f64).min(1.0);
        if fpr >= max_fpr {
            let end = if fpr > max_fpr {
                prev_pro + (pro - prev_pro) * (max_fpr - prev_fpr) / (fpr - prev_fpr)
            } else {
                pro
            };
            area += (max_fpr - prev_fpr) * (prev_pro + end) / 2.0;
            break;
        }
        area += (fpr - prev_fpr) * (prev_pro + pro) / 2.0;
        (prev_fpr, prev_pro) = (fpr, pro);
    }
    // The last group includes every normal pixel (FPR 1 >= max_fpr), so the loop always
    // reaches `max_fpr`.
    Ok(area / max_fpr)
}
