//! OCR measures: word recognition (edit distance, character error rate, word accuracy)
//! and word detection (rotated boxes matched one-to-one at an IoU threshold: precision,
//! recall, F1, end-to-end word accuracy).
//!
//! Texts are compared as sequences of Unicode scalar values (`char`s). The normalised
//! comparison of the IIIT5K protocol ([`normalize_word`]) lower-cases both texts and keeps
//! only letters and digits.
//!
//! [`plot_worst_words`] draws the wrongly read words: crop, true text, text read.

mod detection;
mod edit;
mod matching;
mod recognition;
mod text;
mod worst;
mod worst_picture;

pub use detection::{
    ImageWordCounts, OCR_IOU_THRESHOLD, OcrImage, PredictedWord, TruthWord,
    WordDetectionEvaluation, evaluate_word_detection,
};
pub use edit::{character_error_rate, edit_distance};
pub use matching::{WordMatch, match_words};
pub use recognition::{RecognitionEvaluation, evaluate_recognition};
pub use text::{normalize_word, same_word_normalized};
pub use worst::Recognition;
pub use worst_picture::{
    WORST_PICTURE_CROP_HEIGHT, WORST_PICTURE_MAX_CROP_WIDTH, WORST_PICTURE_MAX_ROWS, WorstWordRow,
    plot_worst_words,
};
