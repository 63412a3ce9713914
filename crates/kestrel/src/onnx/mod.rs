//! ONNX in and out: exporting Kestrel classifiers (batch norm folded into the convolutions,
//! preprocessing in the metadata) and running ONNX classifiers for inference.

mod export;
mod graph;
mod import;

pub use export::export_onnx;
pub use import::{OnnxClassifier, imagenet_style_params};

/// Metadata key holding the model's Kestrel parameters as JSON.
pub const PARAMS_KEY: &str = "kestrel_params";
