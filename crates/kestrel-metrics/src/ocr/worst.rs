//! The worst recognitions of an evaluation, for pictures and reading.

use serde::{Deserialize, Serialize};

/// One word read wrongly: where it is, its true text, what was read and how far apart
/// they are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recognition {
    /// Index of the crop (recognition) or image (detection) in the evaluated input.
    pub sample: usize,
    /// Detection: index of the truth word in its image's `truth`; `None` for crops.
    pub word: Option<usize>,
    /// The true text.
    pub truth: String,
    /// The text read.
    pub read: String,
    /// [`edit_distance`](crate::edit_distance) between `truth` and `read`.
    pub edit_distance: usize,
}

/// The `max` worst of `found` (those with an edit distance above 0): largest edit
/// distance first, then the largest share of the true word's length, then input order.
pub(super) fn worst(mut found: Vec<Recognition>, max: usize) -> Vec<Recognition> {
    found.retain(|r| r.edit_distance > 0);
    let share = |r: &Recognition| r.edit_distance as f64 / r.truth.chars().count().max(1) as f64;
    found.sort_by(|a, b| {
        b.edit_distance
            .cmp(&a.edit_distance)
            .then(share(b).total_cmp(&share(a)))
            .then(a.sample.cmp(&b.sample))
            .then(a.word.cmp(&b.word))
    });
    found.truncate(max);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(sample: usize, truth: &str, edit_distance: usize) -> Recognition {
        Recognition {
            sample,
            word: None,
            truth: truth.into(),
            read: String::new(),
            edit_distance,
        }
    }

    #[test]
    fn order_and_limit() {
        let found = vec![
            r(0, "abcdef", 2),
            r(1, "ab", 2),
            r(2, "a", 0),
            r(3, "abc", 3),
            r(4, "ab", 2),
        ];
        let w = worst(found, 3);
        assert_eq!(
            w.iter().map(|r| r.sample).collect::<Vec<_>>(),
            [3, 1, 4],
            "{w:?}"
        );
        assert!(worst(vec![r(0, "a", 0)], 5).is_empty());
    }
}
