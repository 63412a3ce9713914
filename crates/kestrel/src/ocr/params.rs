//! Deep OCR's own parameters.

use crate::error::{Error, Result};
use kestrel_onnx::GraphSpec;
use serde::{Deserialize, Serialize};

/// The parameters only deep OCR has (HALCON's names where it has them). The common
/// `image_height` is the recogniser's input height and `image_width` its widest input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OcrParams {
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
}

impl Default for OcrParams {
    fn default() -> Self {
        Self {
            recognition_alphabet: Vec::new(),
            recognition_network: None,
            recognition_output: String::new(),
            recognition_output_is_probability: true,
            recognition_num_candidates: 3,
        }
    }
}

impl OcrParams {
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
        if !(1..=32).contains(&self.recognition_num_candidates) {
            return bad(
                "recognition_num_candidates",
                format!("{} (must be in 1..=32)", self.recognition_num_candidates),
            );
        }
        Ok(())
    }
}
