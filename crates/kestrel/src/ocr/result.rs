//! [`WordReading`]: what deep OCR reads in one word image.

use super::ctc::CharacterCandidates;
use crate::method::ImageResult;
use serde::Serialize;
use std::path::PathBuf;

/// The word read in one image (a crop of one word).
#[derive(Debug, Clone, Serialize)]
pub struct WordReading {
    /// The image file.
    pub image: PathBuf,
    /// The text read.
    pub word: String,
    /// The mean probability of its characters.
    pub score: f32,
    /// Each character with the best candidates at its position.
    pub characters: Vec<CharacterCandidates>,
}

impl ImageResult for WordReading {
    fn line(&self) -> String {
        format!("{}: \"{}\" ({:.3})", self.image.display(), self.word, self.score)
    }
}
