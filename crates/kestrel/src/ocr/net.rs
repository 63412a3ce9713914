//! [`OcrNet`]: deep OCR's networks.

use kestrel_nn::GraphNet;
use kestrel_nn::burn::module::Module;

/// Deep OCR's networks: the word detector and the word recogniser, each an ONNX graph
/// rebuilt in burn; a model may have either or both.
#[derive(Module, Debug)]
pub struct OcrNet {
    /// Reads a word crop: `[batch, 3, height, width]` to per-position class scores.
    pub recognizer: Option<GraphNet>,
    /// Finds words: `[1, 3, height, width]` to a text probability map `[1, 1, height,
    /// width]`.
    pub detector: Option<GraphNet>,
}
