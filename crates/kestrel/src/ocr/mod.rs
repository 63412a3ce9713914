//! Deep OCR (HALCON's `ocr` model type): finds words in images and reads them. The word
//! detector (DB-style: a text probability map, its regions as rotated boxes) and the
//! recogniser (CTC over the model's alphabet, each character with its best candidates)
//! are ONNX graphs rebuilt in burn ([`kestrel_nn::GraphNet`]), so PaddleOCR's PP-OCRv4
//! networks run on Kestrel's kernels with ONNX Runtime's results. Modes as HALCON's
//! `apply_deep_ocr`: `auto` (find, rectify, read), `detection`, `recognition` (crops).
//!
//! Create a model with [`ocr_model_from_onnx`] (`kestrel model import-ocr`), or train a
//! new recogniser (Kestrel's own CRNN) on a dataset of word crops, synthetic ones from
//! [`write_synthetic_words`] among them; `kestrel ocr` and `kestrel infer` apply it, and
//! `kestrel evaluate` measures word accuracy and character error rate on a dataset of
//! crops (`dataset import --kind ocr`).

mod apply;
mod crnn;
mod ctc;
mod detect;
mod entry;
mod evaluate;
mod evaluate_images;
mod import;
mod net;
mod params;
mod recognize;
mod result;
mod synth;
mod tiles;
mod train;

pub use apply::{OcrResult, OcrWord};
pub use ctc::{CharacterCandidates, DecodedWord, greedy_decode};
pub use detect::FoundWord;
pub use entry::OcrMethod;
pub use evaluate::OcrReport;
pub use evaluate_images::OcrImagesReport;
pub use import::{OnnxOcrFiles, ocr_model_from_onnx, read_alphabet};
pub use net::OcrNet;
pub use params::{OcrMode, OcrParams};
pub use result::WordReading;
pub use synth::{SyntheticWords, write_synthetic_words};

/// The `model_type` of deep-OCR models.
pub const NAME: &str = "deep_ocr";

/// The tensor-name prefix of deep-OCR networks in model files.
pub(crate) const PREFIX: &str = "DeepOcr";
