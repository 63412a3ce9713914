//! Stratified, seeded splitting of a dataset into train / validation / test.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dataset::{AnomalyLabel, Dataset, Sample, Split};
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
    /// with an unknown label follow under `"<unknown id N>"`, then multi-label samples with
    /// none of the classes (`"<no class>"`), anomaly samples without a class (`"<ok>"`,
    /// `"<nok>"`) and samples without any label (`"<unlabeled>"`). A sample counts under
    /// its `image_label_id`, else under each of its `image_label_ids` (so a multi-label
    /// sample counts in several rows), else under its `anomaly_label`.
    pub per_class: Vec<(String, usize, usize, usize)>,
    /// Number of samples in `(train, validation, test)`; each sample counts once.
    pub totals: (usize, usize, usize),
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
        for (name, a, b, c) in &self.per_class {
            writeln!(f, "{name:<width$}  {a:>7}  {b:>10}  {c:>7}")?;
        }
        let (tr, va, te) = self.totals;
        write!(f, "{:<width$}  {tr:>7}  {va:>10}  {te:>7}", "total")
    }
}

/// What a sample is stratified by, in the order strata are shuffled (for classification
/// datasets the same order as before multi-label and anomaly support: unlabelled first,
/// then by class id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Stratum {
    /// No label of any kind.
    Unlabeled,
    /// A class id: the `image_label_id`, or the rarest of the `image_label_ids`.
    Class(u32),
    /// A multi-label sample with none of the classes.
    NoClass,
    /// An anomaly sample without `image_label_id`.
    Anomaly(AnomalyLabel),
}

/// The classes a sample shows when it has several: its `image_label_ids`, or the distinct
/// classes of its objects (`bbox_label_id`, detection).
fn label_set(s: &Sample) -> Option<Vec<u32>> {
    if let Some(ids) = &s.image_label_ids {
        return Some(ids.clone());
    }
    let mut ids = s.bbox_label_id.clone()?;
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// The stratum of `s`; `frequency` counts each class id among the multi-label and
/// detection samples.
fn stratum(s: &Sample, frequency: &HashMap<u32, usize>) -> Stratum {
    if let Some(id) = s.image_label_id {
        return Stratum::Class(id);
    }
    if let Some(ids) = &label_set(s) {
        return ids
            .iter()
            .min_by_key(|&&id| (frequency.get(&id).copied().unwrap_or(0), id))
            .map_or(Stratum::NoClass, |&id| Stratum::Class(id));
    }
    match s.anomaly_label {
        Some(a) => Stratum::Anomaly(a),
        None => Stratum::Unlabeled,
    }
}

/// Assigns every sample a split, stratified per class and seeded.
///
/// Samples are grouped by `image_label_id` when they have one; else, for multi-label
/// samples, by the rarest class of their `image_label_ids` (fewest samples among those
/// being split, ties to the smaller id; samples with none of the classes form their own
/// group), which keeps rare classes present in every part, and detection samples likewise
/// by the classes of their objects (`bbox_label_id`); else by `anomaly_label`.
/// Each group's samples are shuffled (deterministically from `spec.seed`) and cut by the
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

    let to_split: Vec<usize> = (0..ds.samples.len())
        .filter(|&i| !(keep_test && ds.samples[i].split == Some(Split::Test)))
        .collect();
    let mut frequency: HashMap<u32, usize> = HashMap::new();
    for &i in &to_split {
        for &id in label_set(&ds.samples[i]).iter().flatten() {
            *frequency.entry(id).or_default() += 1;
        }
    }
    let mut groups: BTreeMap<Stratum, Vec<usize>> = BTreeMap::new();
    for i in to_split {
        let key = stratum(&ds.samples[i], &frequency);
        groups.entry(key).or_default().push(i);
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
    let mut counts: BTreeMap<Stratum, [usize; 3]> = BTreeMap::new();
    let mut totals = [0usize; 3];
    for s in &ds.samples {
        let part = match s.split {
            Some(Split::Train) => 0,
            Some(Split::Validation) => 1,
            Some(Split::Test) => 2,
            None => continue,
        };
        totals[part] += 1;
        let rows: Vec<Stratum> = match (&s.image_label_id, &label_set(s)) {
            (Some(id), _) => vec![Stratum::Class(*id)],
            (None, Some(ids)) if ids.is_empty() => vec![Stratum::NoClass],
            (None, Some(ids)) => ids.iter().map(|&id| Stratum::Class(id)).collect(),
            (None, None) => vec![stratum(s, &HashMap::new())],
        };
        for row in rows {
            counts.entry(row).or_default()[part] += 1;
        }
    }
    let mut per_class = Vec::new();
    for (k, &id) in ds.class_ids.iter().enumerate() {
        let [a, b, c] = counts.remove(&Stratum::Class(id)).unwrap_or_default();
        let name = ds
            .class_names
            .get(k)
            .cloned()
            .unwrap_or_else(|| format!("<class id {id}>"));
        per_class.push((name, a, b, c));
    }
    let unlabeled = counts.remove(&Stratum::Unlabeled);
    for (row, [a, b, c]) in counts {
        let name = match row {
            Stratum::Class(id) => format!("<unknown id {id}>"),
            Stratum::NoClass => "<no class>".to_string(),
            Stratum::Anomaly(a) => format!("<{a}>"),
            Stratum::Unlabeled => continue,
        };
        per_class.push((name, a, b, c));
    }
    if let Some([a, b, c]) = unlabeled {
        per_class.push(("<unlabeled>".to_string(), a, b, c));
    }
    SplitReport {
        per_class,
        totals: (totals[0], totals[1], totals[2]),
    }
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
