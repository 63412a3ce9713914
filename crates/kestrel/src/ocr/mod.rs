//! Deep OCR (HALCON's `ocr` model type): reads words. The recogniser is an ONNX graph
//! rebuilt in burn ([`kestrel_nn::GraphNet`], so PaddleOCR's PP-OCRv4 recogniser runs on
//! Kestrel's kernels with ONNX Runtime's results), decoded with greedy CTC over the
//! model's alphabet; each character comes with its best candidates.
//!
//! Create a model with [`ocr_model_from_onnx`] (`kestrel model import-ocr`); `kestrel
//! infer` reads word crops and `kestrel evaluate` measures word accuracy and character
//! error rate on a dataset of crops (`dataset import --kind ocr`).

mod ctc;
mod entry;
mod evaluate;
mod import;
mod net;
mod params;
mod recognize;
mod result;

pub use ctc::{CharacterCandidates, DecodedWord, greedy_decode};
pub use entry::OcrMethod;
pub use evaluate::OcrReport;
pub use import::{ocr_model_from_onnx, read_alphabet};
pub use net::OcrNet;
pub use params::OcrParams;
pub use result::WordReading;

/// The `model_type` of deep-OCR models.
pub const NAME: &str = "deep_ocr";

/// The tensor-name prefix of deep-OCR networks in model files.
pub(crate) const PREFIX: &str = "DeepOcr";
