//! Stratified, seeded splitting of a dataset into train / validation / test.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dataset::{Dataset, Split};
use crate::error::DataError;
use crate::shuffle::Shuffler;

/// How to split: percentages of each class per part, and the random seed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SplitSpec {
    /// Percentage of each class for training.
    pub train: f64,
    /// Percentage of each class for validation.
    pub validation: f64,
    /// Percentage of each class for testing.
    pub test: f64,
    /// Seed of the shuffle; the same seed gives the same split on every platform.
    pub seed: u64,
}

impl Default for SplitSpec {
    /// 70 % train, 15 % validation, 15 % test, seed 42.
    fn default() -> Self {
        SplitSpec {
            train: 70.0,
            validation: 15.0,
            test: 15.0,
            seed: 42,
        }
    }
}

impl SplitSpec {
    /// Checks that the percentages are finite, not negative, and sum to 100.
    pub fn check(&self) -> Result<(), DataError> {
        let parts = [
            ("train", self.train),
            ("validation", self.validation),
            ("test", self.test),
        ];
        for (name, p) in parts {
            if !p.is_finite() || p < 0.0 {
                return Err(DataError::InvalidSplit(format!(
                    "{name} percentage {p} must be a number >= 0"
                )));
            }
        }
        let sum = self.train + self.validation + self.test;
        if (sum - 100.0).abs() > 1e-6 {
            return Err(DataError::InvalidSplit(format!(
                "percentages {} + {} + {} sum to {sum}, not 100",
                self.train, self.validation, self.test
            )));
        }
        Ok(())
    }
}

/// Per-class counts after a split.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SplitReport {
    /// `(class name, train, validation, test)` per class, in `class_ids` order; samples
    /// with an unknown label or none follow under `"<unknown id N>"` / `"<unlabeled>"`.
    pub per_class: Vec<(String, usize, usize, usize)>,
}

impl fmt::Display for SplitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let width = self
            .per_class
            .iter()
            .map(|(n, ..)| n.chars().count())
            .chain(["class".len(), "total".len()])
            .max()
            .unwrap_or(5);
        writeln!(
            f,
            "{:<width$}  {:>7}  {:>10}  {:>7}",
            "class", "train", "validation", "test"
        )?;
        let (mut tr, mut va, mut te) = (0, 0, 0);
        for (name, a, b, c) in &self.per_class {
            writeln!(f, "{name:<width$}  {a:>7}  {b:>10}  {c:>7}")?;
            (tr, va, te) = (tr + a, va + b, te + c);
        }
        write!(f, "{:<width$}  {tr:>7}  {va:>10}  {te:>7}", "total")
    }
}

/// Assigns every sample a split, stratified per class and seeded.
///
/// Each class's samples are shuffled (deterministically from `spec.seed`) and cut by the
/// percentages of `spec` with largest-remainder rounding; a class with at least as many
/// samples as there are non-zero parts (3 for a three-way split) gets at least one sample
/// in each of them. With `keep_test`, samples already marked [`Split::Test`] stay so and
/// the others are split into train and validation in the ratio `train : validation`
/// (the test percentage is ignored). Errors if `spec` is invalid.
pub fn split(
    ds: &mut Dataset,
    spec: &SplitSpec,
    keep_test: bool,
) -> Result<SplitReport, DataError> {
    spec.check()?;
    let weights = if keep_test {
        if spec.train + spec.validation <= 0.0 {
            return Err(DataError::InvalidSplit(
                "keep_test needs a train or validation percentage above 0".into(),
            ));
        }
        [spec.train, spec.validation, 0.0]
    } else {
        [spec.train, spec.validation, spec.test]
    };

    let mut groups: BTreeMap<Option<u32>, Vec<usize>> = BTreeMap::new();
    for (i, s) in ds.samples.iter().enumerate() {
        if keep_test && s.split == Some(Split::Test) {
            continue;
        }
        groups.entry(s.image_label_id).or_default().push(i);
    }

    let mut shuffler = Shuffler::new(spec.seed);
    for indices in groups.values_mut() {
        shuffler.shuffle(indices);
        let [n_train, n_val, _] = allocate(indices.len(), &weights);
        for (k, &i) in indices.iter().enumerate() {
            ds.samples[i].split = Some(if k < n_train {
                Split::Train
            } else if k < n_train + n_val {
                Split::Validation
            } else {
                Split::Test
            });
        }
    }
    Ok(report(ds))
}

/// Splits `n` items into parts proportional to `weights` (largest remainder), then moves
/// items from the largest part so every non-zero part gets one, when `n` allows.
fn allocate(n: usize, weights: &[f64; 3]) -> [usize; 3] {
    let total: f64 = weights.iter().sum();
    let exact = weights.map(|w| n as f64 * w / total);
    let mut counts = exact.map(|e| e.floor() as usize);
    let mut rest = n.saturating_sub(counts.iter().sum());
    let mut order = [0, 1, 2];
    order.sort_by(|&a, &b| {
        let (fa, fb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &j in order.iter().cycle().take(3 * n.max(1)) {
        if rest == 0 {
            break;
        }
        if weights[j] > 0.0 {
            counts[j] += 1;
            rest -= 1;
        }
    }
    let nonzero = weights.iter().filter(|&&w| w > 0.0).count();
    if n >= nonzero {
        for j in 0..3 {
            if weights[j] > 0.0 && counts[j] == 0 {
                let largest = (0..3).max_by_key(|&k| (counts[k], 3 - k)).unwrap_or(0);
                counts[largest] -= 1;
                counts[j] += 1;
            }
        }
    }
    counts
}

/// Counts the samples of each class per split.
fn report(ds: &Dataset) -> SplitReport {
    let mut counts: BTreeMap<Option<u32>, [usize; 3]> = BTreeMap::new();
    for s in &ds.samples {
        let c = counts.entry(s.image_label_id).or_default();
        match s.split {
            Some(Split::Train) => c[0] += 1,
            Some(Split::Validation) => c[1] += 1,
            Some(Split::Test) => c[2] += 1,
            None => {}
        }
    }
    let mut per_class = Vec::new();
    for (k, &id) in ds.class_ids.iter().enumerate() {
        let [a, b, c] = counts.remove(&Some(id)).unwrap_or_default();
        let name = ds
            .class_names
            .get(k)
            .cloned()
            .unwrap_or_else(|| format!("<class id {id}>"));
        per_class.push((name, a, b, c));
    }
    let unlabeled = counts.remove(&None);
    for (label, [a, b, c]) in counts {
        let id = label.unwrap_or_default();
        per_class.push((format!("<unknown id {id}>"), a, b, c));
    }
    if let Some([a, b, c]) = unlabeled {
        per_class.push(("<unlabeled>".to_string(), a, b, c));
    }
    SplitReport { per_class }
}

#[cfg(test)]
mod tests {
    use super::allocate;

    #[test]
    fn allocate_rounds_and_guarantees_one_each() {
        assert_eq!(allocate(10, &[70.0, 15.0, 15.0]), [7, 2, 1]);
        assert_eq!(allocate(3, &[90.0, 5.0, 5.0]), [1, 1, 1]);
        assert_eq!(allocate(4, &[98.0, 1.0, 1.0]), [2, 1, 1]);
        assert_eq!(allocate(2, &[90.0, 5.0, 5.0]), [2, 0, 0]);
        assert_eq!(allocate(0, &[70.0, 15.0, 15.0]), [0, 0, 0]);
        assert_eq!(allocate(5, &[100.0, 0.0, 0.0]), [5, 0, 0]);
        assert_eq!(allocate(7, &[80.0, 20.0, 0.0]), [6, 1, 0]);
        for n in 0..200 {
            let c = allocate(n, &[33.3, 33.3, 33.4]);
            assert_eq!(c.iter().sum::<usize>(), n);
        }
    }
}
