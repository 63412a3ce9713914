//! The input of pixel-level anomaly metrics.

use crate::MetricsError;
use crate::ranking::check_len;

/// One image's anomaly map with its ground truth defect mask.
///
/// Both are row-major, `width x height`; a higher score means "more anomalous". `mask`
/// marks the defect pixels; `None` stands for a defect-free image (an all-`false` mask).
/// Images may have different sizes.
#[derive(Debug, Clone, Copy)]
pub struct AnomalyMap<'a> {
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// `width * height` anomaly scores.
    pub scores: &'a [f32],
    /// `width * height` ground truth flags (`true` = defect), or `None` if defect-free.
    pub mask: Option<&'a [bool]>,
}

impl<'a> AnomalyMap<'a> {
    /// A map, checked: fails when `scores` or `mask` does not hold `width * height` values.
    pub fn new(
        width: usize,
        height: usize,
        scores: &'a [f32],
        mask: Option<&'a [bool]>,
    ) -> Result<Self, MetricsError> {
        let map = Self {
            width,
            height,
            scores,
            mask,
        };
        map.check(0)?;
        Ok(map)
    }

    /// Checks the lengths of map number `index` (named in the error).
    pub(crate) fn check(&self, index: usize) -> Result<(), MetricsError> {
        let pixels = self.width.saturating_mul(self.height);
        check_len(&format!("maps[{index}].scores"), pixels, self.scores.len())?;
        if let Some(mask) = self.mask {
            check_len(&format!("maps[{index}].mask"), pixels, mask.len())?;
        }
        Ok(())
    }

    /// Ground truth of pixel `i` (`false` for defect-free images).
    pub(crate) fn is_defect(&self, i: usize) -> bool {
        self.mask.is_some_and(|m| m[i])
    }
}

/// Checks all maps (lengths, finite scores) and returns their total pixel count; fails
/// when there are none.
pub(crate) fn check_maps(maps: &[AnomalyMap<'_>]) -> Result<usize, MetricsError> {
    if maps.is_empty() {
        return Err(MetricsError::Empty("no anomaly maps".into()));
    }
    let mut pixels = 0;
    for (i, map) in maps.iter().enumerate() {
        map.check(i)?;
        if let Some(index) = map.scores.iter().position(|s| !s.is_finite()) {
            return Err(MetricsError::NonFinite {
                what: format!("maps[{i}].scores"),
                index,
            });
        }
        pixels += map.scores.len();
    }
    Ok(pixels)
}
