//! Accumulating a pixel confusion matrix over many images.

use super::evaluation::{SegmentationEvaluation, evaluate};
use crate::ranking::check_len;
use crate::{ConfusionMatrix, MetricsError};

/// Pixel confusion counts of a semantic segmentation model, accumulated image by image.
///
/// Class maps hold one class index per pixel (`u8`, `u16` or `u32`). A pixel is skipped
/// (not counted) when its ground truth is in the ignore list or not below `num_classes`
/// (e.g. the usual 255 "void" label), whatever its prediction. Ignored classes that are
/// below `num_classes` get no metrics and are left out of every mean; predicting one on a
/// counted pixel is an error for the pixel's true class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SegmentationAccumulator {
    num_classes: usize,
    /// Ignored ground truth values, sorted, without duplicates.
    ignore: Vec<u32>,
    /// `num_classes x num_classes` counts, row-major, rows = ground truth.
    counts: Vec<u64>,
    skipped: u64,
}

impl SegmentationAccumulator {
    /// An empty accumulator for `num_classes` classes (at least 1) that skips pixels whose
    /// ground truth is in `ignore`.
    pub fn new(num_classes: usize, ignore: &[u32]) -> Result<Self, MetricsError> {
        if num_classes == 0 {
            return Err(MetricsError::Empty("no classes".into()));
        }
        let mut ignore = ignore.to_vec();
        ignore.sort_unstable();
        ignore.dedup();
        Ok(Self {
            num_classes,
            ignore,
            counts: vec![0; num_classes * num_classes],
            skipped: 0,
        })
    }

    /// Number of classes.
    pub fn num_classes(&self) -> usize {
        self.num_classes
    }

    /// The ignored ground truth values, sorted.
    pub fn ignored(&self) -> &[u32] {
        &self.ignore
    }

    /// Whether ground truth value `class` is skipped.
    pub fn is_ignored(&self, class: u32) -> bool {
        class as usize >= self.num_classes || self.ignore.binary_search(&class).is_ok()
    }

    /// Number of pixels counted so far.
    pub fn counted_pixels(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// Number of pixels skipped so far (ignored or out of range ground truth).
    pub fn skipped_pixels(&self) -> u64 {
        self.skipped
    }

    /// Adds one image: `pred` and `truth` are its predicted and ground truth class maps,
    /// pixel for pixel (any layout, as long as both agree).
    ///
    /// Fails, counting nothing, on a length mismatch or when a counted pixel's prediction
    /// is not below `num_classes`.
    pub fn add<P, T>(&mut self, pred: &[P], truth: &[T]) -> Result<(), MetricsError>
    where
        P: Copy + Into<u32>,
        T: Copy + Into<u32>,
    {
        check_len("pred", truth.len(), pred.len())?;
        let skip: Vec<bool> = (0..self.num_classes as u32)
            .map(|c| self.is_ignored(c))
            .collect();
        let n = self.num_classes;
        let counted = |t: u32| (t as usize) < n && !skip[t as usize];
        for (i, (&p, &t)) in pred.iter().zip(truth).enumerate() {
            let p: u32 = p.into();
            if counted(t.into()) && p as usize >= n {
                return Err(MetricsError::ClassOutOfRange {
                    what: format!("pred[{i}]"),
                    index: p as usize,
                    num_classes: n,
                });
            }
        }
        for (&p, &t) in pred.iter().zip(truth) {
            let t: u32 = t.into();
            if counted(t) {
                let p: u32 = p.into();
                self.counts[t as usize * n + p as usize] += 1;
            } else {
                self.skipped += 1;
            }
        }
        Ok(())
    }

    /// Adds the counts of `other` (e.g. accumulated on another thread). Fails unless both
    /// have the same number of classes and ignore list.
    pub fn merge(&mut self, other: &SegmentationAccumulator) -> Result<(), MetricsError> {
        if other.num_classes != self.num_classes || other.ignore != self.ignore {
            return Err(MetricsError::InvalidArgument(format!(
                "cannot merge accumulators of {} classes ignoring {:?} and {} classes \
                 ignoring {:?}",
                self.num_classes, self.ignore, other.num_classes, other.ignore
            )));
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.skipped += other.skipped;
        Ok(())
    }

    /// The pixel confusion matrix so far (rows = ground truth, columns = predicted).
    pub fn confusion_matrix(&self) -> ConfusionMatrix {
        let rows = self
            .counts
            .chunks(self.num_classes)
            .map(<[u64]>::to_vec)
            .collect();
        ConfusionMatrix {
            num_classes: self.num_classes,
            counts: rows,
        }
    }

    /// Mean IoU so far over the classes that are not ignored and occur in the ground truth
    /// or the prediction; `None` when no pixel was counted.
    pub fn mean_iou(&self) -> Option<f64> {
        let ious: Vec<f64> = (0..self.num_classes)
            .filter_map(|c| self.class_counts(c).iou())
            .collect();
        (!ious.is_empty()).then(|| ious.iter().sum::<f64>() / ious.len() as f64)
    }

    /// The metrics so far, with `class_names` in class index order. Fails when the names
    /// do not match the number of classes or no pixel was counted.
    pub fn finish(&self, class_names: &[String]) -> Result<SegmentationEvaluation, MetricsError> {
        check_len("class_names", self.num_classes, class_names.len())?;
        if self.counted_pixels() == 0 {
            return Err(MetricsError::Empty(
                "no pixel counted (all skipped or no image added)".into(),
            ));
        }
        Ok(evaluate(self, class_names))
    }

    /// Counts of class `c` (`ignored` set for ignored classes).
    pub(crate) fn class_counts(&self, c: usize) -> ClassCounts {
        let n = self.num_classes;
        let truth: u64 = self.counts[c * n..(c + 1) * n].iter().sum();
        let predicted: u64 = (0..n).map(|g| self.counts[g * n + c]).sum();
        let intersection = self.counts[c * n + c];
        ClassCounts {
            ignored: self.is_ignored(c as u32),
            truth,
            predicted,
            intersection,
            union: truth + predicted - intersection,
        }
    }
}

/// Pixel counts of one class.
pub(crate) struct ClassCounts {
    pub(crate) ignored: bool,
    pub(crate) truth: u64,
    pub(crate) predicted: u64,
    pub(crate) intersection: u64,
    pub(crate) union: u64,
}

impl ClassCounts {
    /// Intersection over union; `None` for ignored classes and an empty union.
    pub(crate) fn iou(&self) -> Option<f64> {
        (!self.ignored && self.union > 0).then(|| self.intersection as f64 / self.union as f64)
    }

    /// Share of the class's pixels predicted as it; `None` for ignored or absent classes.
    pub(crate) fn accuracy(&self) -> Option<f64> {
        (!self.ignored && self.truth > 0).then(|| self.intersection as f64 / self.truth as f64)
    }
}

/// Mean IoU of a single image (see [`SegmentationAccumulator::mean_iou`]), for ranking
/// images, e.g. to look at the worst ones. `None` when every pixel is skipped.
pub fn image_mean_iou<P, T>(
    pred: &[P],
    truth: &[T],
    num_classes: usize,
    ignore: &[u32],
) -> Result<Option<f64>, MetricsError>
where
    P: Copy + Into<u32>,
    T: Copy + Into<u32>,
{
    let mut acc = SegmentationAccumulator::new(num_classes, ignore)?;
    acc.add(pred, truth)?;
    Ok(acc.mean_iou())
}
