//! The settings of [`word_boxes`](crate::word_boxes).

use serde::{Deserialize, Serialize};

use crate::ImageError;

/// Words whose shorter side is below this many probability-map pixels, before growing,
/// are dropped (PaddleOCR's `min_size`).
pub const MIN_WORD_SIDE: f32 = 3.0;

/// How [`word_boxes`](crate::word_boxes) turns a text probability map into word boxes:
/// PaddleOCR's `DBPostProcess` settings under the names of HALCON's deep-OCR detection
/// parameters. Missing fields take their defaults when deserialised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WordBoxParams {
    /// A map pixel is text when its probability is above this (PaddleOCR's `thresh`;
    /// default 0.3).
    pub min_character_score: f32,
    /// A word is kept when the mean probability over its map pixels is at least this
    /// (PaddleOCR's `box_thresh`; default 0.6).
    pub min_word_score: f32,
    /// Words of fewer map pixels are dropped (default 10, as HALCON's
    /// `detection_min_word_area`).
    pub min_word_area: u32,
    /// How far the detected text kernel is grown back to the word's extent: every side
    /// moves out by `area * unclip_ratio / perimeter` of the rectangle (PaddleOCR's
    /// `unclip_ratio`; default 1.5; 0 keeps the kernel).
    pub unclip_ratio: f32,
    /// At most this many words are returned, the best-scoring ones (PaddleOCR's
    /// `max_candidates`; default 1000).
    pub max_words: usize,
}

impl Default for WordBoxParams {
    fn default() -> Self {
        Self {
            min_character_score: 0.3,
            min_word_score: 0.6,
            min_word_area: 10,
            unclip_ratio: 1.5,
            max_words: 1000,
        }
    }
}

impl WordBoxParams {
    /// Checks that the scores are finite and `unclip_ratio` is finite and not negative.
    pub fn validate(&self) -> Result<(), ImageError> {
        let checks = [
            ("min_character_score", self.min_character_score, "finite"),
            ("min_word_score", self.min_word_score, "finite"),
            ("unclip_ratio", self.unclip_ratio, "finite and not negative"),
        ];
        for (name, value, rule) in checks {
            let ok = value.is_finite() && (name != "unclip_ratio" || value >= 0.0);
            if !ok {
                return Err(ImageError::InvalidParams(format!(
                    "{name} must be {rule}, got {value}"
                )));
            }
        }
        Ok(())
    }
}
