//! Word recognition evaluation: character error rate and word accuracy over crops.

use serde::{Deserialize, Serialize};

use super::edit::{cer, edit_distance};
use super::text::same_word_normalized;
use super::worst::{Recognition, worst};
use crate::MetricsError;
use crate::ranking::check_len;

/// The result of evaluating a word recogniser on crops (serialized with exactly these
/// keys).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecognitionEvaluation {
    /// Number of crops evaluated.
    pub num_words: usize,
    /// Characters in the true words together.
    pub num_truth_chars: usize,
    /// Sum of the edit distances between true and read words.
    pub total_edit_distance: usize,
    /// `total_edit_distance / num_truth_chars`.
    pub character_error_rate: f64,
    /// Share of crops read exactly (case and punctuation included).
    pub word_accuracy: f64,
    /// Share of crops read right case-insensitively over letters and digits (the IIIT5K
    /// protocol, see [`normalize_word`](crate::normalize_word)).
    pub word_accuracy_normalized: f64,
    /// The worst readings, largest edit distance first (see [`Recognition`]).
    pub worst: Vec<Recognition>,
}

/// Evaluates word recognition from the true words and the words read, one per crop in the
/// same order; `worst` keeps up to `max_worst` wrong readings.
///
/// Fails on a length mismatch, on no crops ([`MetricsError::Empty`]) and when the true
/// words hold no character at all ([`MetricsError::Undefined`]).
pub fn evaluate_recognition<T: AsRef<str>, R: AsRef<str>>(
    truth: &[T],
    read: &[R],
    max_worst: usize,
) -> Result<RecognitionEvaluation, MetricsError> {
    check_len("read", truth.len(), read.len())?;
    if truth.is_empty() {
        return Err(MetricsError::Empty("no words".into()));
    }
    let mut num_truth_chars = 0;
    let mut total_edit_distance = 0;
    let (mut exact, mut normalized) = (0usize, 0usize);
    let mut wrong = Vec::new();
    for (i, (t, r)) in truth.iter().zip(read).enumerate() {
        let (t, r) = (t.as_ref(), r.as_ref());
        let d = edit_distance(t, r);
        num_truth_chars += t.chars().count();
        total_edit_distance += d;
        exact += usize::from(d == 0);
        normalized += usize::from(same_word_normalized(t, r));
        if d > 0 {
            wrong.push(Recognition {
                sample: i,
                word: None,
                truth: t.to_string(),
                read: r.to_string(),
                edit_distance: d,
            });
        }
    }
    let n = truth.len() as f64;
    Ok(RecognitionEvaluation {
        num_words: truth.len(),
        num_truth_chars,
        total_edit_distance,
        character_error_rate: cer(total_edit_distance, num_truth_chars)?,
        word_accuracy: exact as f64 / n,
        word_accuracy_normalized: normalized as f64 / n,
        worst: worst(wrong, max_worst),
    })
}
