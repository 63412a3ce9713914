//! Deep OCR's own parameters.

use crate::error::{Error, Result};
use kestrel_onnx::GraphSpec;
use serde::{Deserialize, Serialize};

/// What applying a deep-OCR model does (HALCON's `apply_deep_ocr` modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OcrMode {
    /// Find the words, rectify each, read it.
    #[default]
    Auto,
    /// Find the words only.
    Detection,
    /// Read the word that fills the image (a crop).
    Recognition,
}

/// The parameters only deep OCR has (HALCON's names where it has them). The common
/// `image_height` is the recogniser's input height and `image_width` its widest input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OcrParams {
    /// What applying the model does.
    pub mode: OcrMode,
    /// The characters the recogniser reads: entry `i` is output class `i + 1` (class 0 is
    /// CTC's blank).
    pub recognition_alphabet: Vec<String>,
    /// The recogniser's network, an ONNX graph rebuilt in burn (see
    /// [`kestrel_nn::GraphNet`]); its weights are the model file's tensors.
    pub recognition_network: Option<GraphSpec>,
    /// The recogniser's output value: per position and class, probabilities (after a
    /// softmax) or logits, as `recognition_output_is_probability` says.
    pub recognition_output: String,
    /// Whether `recognition_output` holds probabilities (else logits).
    pub recognition_output_is_probability: bool,
    /// Character candidates kept per position of a read word.
    pub recognition_num_candidates: usize,
    /// The widest a crop is read (at `image_height`); wider words are squeezed to it.
    /// Crops are padded on the right to `image_width`, or to the widest crop of a batch.
    pub recognition_image_width_max: u32,
    /// Training keeps the recogniser's batch norms on their running statistics (fine-tuning
    /// a pretrained recogniser on small batches) rather than each batch's (training from
    /// scratch).
    pub recognition_batch_norm_frozen: bool,
    /// The word detector's network, an ONNX graph rebuilt in burn: an RGB image
    /// (ImageNet-normalised) to a text probability map of the same size.
    pub detection_network: Option<GraphSpec>,
    /// The detector's output value (the probability map).
    pub detection_output: String,
    /// The longest side, in pixels, images are scaled down to for detection (both sides
    /// are then rounded to multiples of 32); with `detection_tiling`, the tiles' side.
    pub detection_image_size: u32,
    /// Detect on overlapping tiles of `detection_image_size` pixels at full resolution
    /// instead of scaling a larger image down, so small words in large images are found
    /// (one detector pass per tile).
    pub detection_tiling: bool,
    /// The least overlap of neighbouring tiles, in pixels (less than half a tile): the
    /// detector sees the surroundings of a tile's edge in its neighbour, and the merged map
    /// joins the parts of a word that crosses tiles.
    pub detection_tiling_overlap: u32,
    /// A map pixel belongs to a word above this probability.
    pub detection_min_character_score: f32,
    /// A word is kept when the mean probability over its pixels reaches this.
    pub detection_min_word_score: f32,
    /// Words with fewer pixels (in the image) are dropped.
    pub detection_min_word_area: f32,
    /// How far a found region is grown to the word's outline (DB's unclip ratio: by
    /// `area * ratio / perimeter` on each side).
    pub detection_unclip_ratio: f32,
}

impl Default for OcrParams {
    fn default() -> Self {
        Self {
            recognition_alphabet: Vec::new(),
            recognition_network: None,
            recognition_output: String::new(),
            recognition_output_is_probability: true,
            recognition_num_candidates: 3,
            recognition_image_width_max: 1600,
            recognition_batch_norm_frozen: true,
            mode: OcrMode::Auto,
            detection_network: None,
            detection_output: String::new(),
            detection_image_size: 960,
            detection_tiling: false,
            detection_tiling_overlap: 160,
            detection_min_character_score: 0.3,
            detection_min_word_score: 0.6,
            detection_min_word_area: 16.0,
            detection_unclip_ratio: 1.5,
        }
    }
}

impl OcrParams {
    /// Fails unless the recogniser scores one class per alphabet character plus CTC's
    /// blank (a network made for another alphabet would read wrong characters, and its
    /// training targets would not fit).
    pub fn check_classes(&self, classes: usize) -> Result<()> {
        if classes == self.recognition_alphabet.len() + 1 {
            return Ok(());
        }
        Err(Error::BadParam {
            name: "recognition_alphabet".into(),
            message: format!(
                "{} characters, but the recogniser scores {classes} classes (one per character plus the CTC blank): the network was made for another alphabet; train a new model for this one",
                self.recognition_alphabet.len()
            ),
        })
    }

    /// Checks the parameters; the first bad one is reported.
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::BadParam {
                name: name.into(),
                message,
            })
        };
        if let Some(c) = self
            .recognition_alphabet
            .iter()
            .find(|c| c.chars().count() != 1)
        {
            return bad(
                "recognition_alphabet",
                format!("entry {c:?} is not one character"),
            );
        }
        if self.recognition_network.is_some() && self.recognition_output.is_empty() {
            return bad(
                "recognition_output",
                "empty: name the recogniser's output value".into(),
            );
        }
        if self.detection_network.is_some() && self.detection_output.is_empty() {
            return bad(
                "detection_output",
                "empty: name the detector's output value".into(),
            );
        }
        if !(32..=4096).contains(&self.detection_image_size) {
            return bad(
                "detection_image_size",
                format!("{} (must be in 32..=4096)", self.detection_image_size),
            );
        }
        if self.detection_tiling && self.detection_tiling_overlap >= self.detection_image_size / 2
        {
            return bad(
                "detection_tiling_overlap",
                format!(
                    "{} (must be less than half of detection_image_size, {})",
                    self.detection_tiling_overlap, self.detection_image_size
                ),
            );
        }
        for (name, v) in [
            ("detection_min_character_score", self.detection_min_character_score),
            ("detection_min_word_score", self.detection_min_word_score),
        ] {
            if !(0.0..1.0).contains(&v) {
                return bad(name, format!("{v} (must be in [0, 1))"));
            }
        }
        if !(self.detection_min_word_area.is_finite() && self.detection_min_word_area >= 0.0) {
            return bad(
                "detection_min_word_area",
                format!("{} (must be at least 0)", self.detection_min_word_area),
            );
        }
        if !(self.detection_unclip_ratio > 0.0 && self.detection_unclip_ratio <= 10.0) {
            return bad(
                "detection_unclip_ratio",
                format!("{} (must be in (0, 10])", self.detection_unclip_ratio),
            );
        }
        if !(8..=8192).contains(&self.recognition_image_width_max) {
            return bad(
                "recognition_image_width_max",
                format!("{} (must be in 8..=8192)", self.recognition_image_width_max),
            );
        }
        if !(1..=32).contains(&self.recognition_num_candidates) {
            return bad(
                "recognition_num_candidates",
                format!("{} (must be in 1..=32)", self.recognition_num_candidates),
            );
        }
        Ok(())
    }
}
