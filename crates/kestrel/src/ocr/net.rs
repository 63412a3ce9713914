//! [`OcrNet`]: deep OCR's networks.

use kestrel_nn::GraphNet;
use kestrel_nn::burn::module::Module;

/// Deep OCR's network: the word recogniser (the word detector joins it later), each an
/// ONNX graph rebuilt in burn.
#[derive(Module, Debug)]
pub struct OcrNet {
    /// Reads a word crop: `[batch, 3, height, width]` to per-position class scores.
    pub recognizer: Option<GraphNet>,
}
