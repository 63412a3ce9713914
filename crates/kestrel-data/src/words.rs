//! OCR annotations: word crops with their text, and whole images with a rotated box and a
//! text per word.
//!
//! A *recognition* sample is a crop showing one word; [`Sample::word`] holds its text
//! (HALCON's `word`). A *detection* sample is a whole image whose words are rotated boxes
//! (`bbox_row`, `bbox_col`, `bbox_phi`, `bbox_length1`, `bbox_length2`, with
//! `bbox_label_id`, see [`instances`](crate::instances)) plus, parallel to them, the text
//! of each box in [`Sample::words`] and, optionally, the don't-care flags in
//! [`Sample::words_dont_care`]. The OCR importers give every box the one class
//! [`WORD_CLASS`] (id 0) and orient it along the reading direction (see
//! [`word_rect_from_quad`](crate::word_rect_from_quad)).
//!
//! # Don't-care words
//!
//! A box whose text cannot be read (ICDAR writes its text as [`DONT_CARE_TEXT`], `###`) is
//! flagged in `words_dont_care` rather than recognised by its text, so a real word `###`
//! stays possible. Its text is kept as the source wrote it and is not checked or read;
//! evaluation counts such a box neither as a miss when it is not found nor as a false
//! positive when it is. An absent `words_dont_care` means that no box is don't-care.

use serde::{Deserialize, Serialize};

use crate::dataset::Sample;
use crate::error::DataError;
use crate::instances::{RotatedBox, RotatedBoxAnnotation};

/// The text ICDAR annotations give an illegible word (a don't-care region).
pub const DONT_CARE_TEXT: &str = "###";

/// The name of the one class of the OCR detection datasets the importers build (id 0).
pub const WORD_CLASS: &str = "word";

/// One word of an OCR detection sample: its rotated box, class and text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordAnnotation {
    /// Class id (one of the dataset's `class_ids`; 0 = [`WORD_CLASS`] from the importers).
    pub label_id: u32,
    /// The box, its `length1` axis along the reading direction.
    pub rect: RotatedBox,
    /// The text (for a don't-care word: as the source wrote it, e.g. `###`).
    pub text: String,
    /// Whether the word is a don't-care region (see the [module](self)).
    pub dont_care: bool,
}

impl Sample {
    /// The words of an OCR detection sample in object order: rotated boxes with their
    /// classes, texts and don't-care flags; empty when the sample has no `bbox_label_id`,
    /// no rotated box fields and no `words`.
    ///
    /// Fails ([`DataError::InvalidSample`], naming the field) like
    /// [`Sample::rotated_boxes`], and when `words` is missing while there are objects, or
    /// `words` or `words_dont_care` has another number of entries than `bbox_label_id`.
    pub fn word_boxes(&self) -> Result<Vec<WordAnnotation>, DataError> {
        let boxes = self.rotated_boxes()?;
        let error = |field: &str, message: String| DataError::InvalidSample {
            image_id: self.image_id,
            field: field.to_string(),
            message,
        };
        let n = boxes.len();
        let texts: &[String] = match &self.words {
            Some(w) if w.len() == n => w,
            Some(w) => {
                return Err(error(
                    "words",
                    format!("{} entries but bbox_label_id has {n}", w.len()),
                ));
            }
            None if n == 0 => &[],
            None => return Err(error("words", format!("missing ({n} objects)"))),
        };
        let flags = match &self.words_dont_care {
            Some(f) if f.len() != n => {
                return Err(error(
                    "words_dont_care",
                    format!("{} entries but bbox_label_id has {n}", f.len()),
                ));
            }
            flags => flags.as_deref(),
        };
        Ok(boxes
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(j, (b, text))| WordAnnotation {
                label_id: b.label_id,
                rect: b.rect,
                text: text.clone(),
                dont_care: flags.is_some_and(|f| f[j]),
            })
            .collect())
    }

    /// Replaces `bbox_label_id`, the rotated box fields, `words` and `words_dont_care` by
    /// `words` (an empty slice makes an image without words). `words_dont_care` is left
    /// out (`None`) when no word is don't-care. Axis-aligned boxes and masks are left as
    /// they are.
    pub fn set_word_boxes(&mut self, words: &[WordAnnotation]) {
        let boxes: Vec<RotatedBoxAnnotation> = words
            .iter()
            .map(|w| RotatedBoxAnnotation {
                label_id: w.label_id,
                rect: w.rect,
            })
            .collect();
        self.set_rotated_boxes(&boxes);
        self.words = Some(words.iter().map(|w| w.text.clone()).collect());
        self.words_dont_care = words
            .iter()
            .any(|w| w.dont_care)
            .then(|| words.iter().map(|w| w.dont_care).collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, dont_care: bool) -> WordAnnotation {
        WordAnnotation {
            label_id: 0,
            rect: RotatedBox {
                row: 5.0,
                col: 10.0,
                phi: 0.0,
                length1: 8.0,
                length2: 3.0,
            },
            text: text.into(),
            dont_care,
        }
    }

    #[test]
    fn word_boxes_round_trip_and_mismatches_are_errors() {
        let mut s = Sample::default();
        assert!(s.word_boxes().unwrap().is_empty());
        let words = [word("Kestrel", false), word(DONT_CARE_TEXT, true)];
        s.set_word_boxes(&words);
        assert_eq!(s.word_boxes().unwrap(), words);
        assert_eq!(s.words_dont_care, Some(vec![false, true]));
        s.set_word_boxes(&words[..1]);
        assert_eq!(s.words_dont_care, None);
        assert_eq!(s.word_boxes().unwrap(), words[..1]);

        s.words_dont_care = Some(vec![]);
        let e = s.word_boxes().unwrap_err().to_string();
        assert!(e.contains("words_dont_care: 0 entries"), "{e}");
        s.words_dont_care = None;
        s.words = Some(vec![]);
        let e = s.word_boxes().unwrap_err().to_string();
        assert!(
            e.contains("words: 0 entries but bbox_label_id has 1"),
            "{e}"
        );
        s.words = None;
        let e = s.word_boxes().unwrap_err().to_string();
        assert!(e.contains("words: missing (1 objects)"), "{e}");
    }
}
