//! The error type of this crate.

use std::path::PathBuf;

/// What can go wrong when loading or running an ONNX model.
#[derive(thiserror::Error, Debug)]
pub enum OnnxError {
    /// The file could not be read, parsed, typed or optimised.
    #[error("cannot load ONNX model {}: {message}", path.display())]
    Load {
        /// The model file.
        path: PathBuf,
        /// What went wrong, with tract's chain of causes.
        message: String,
    },
    /// Running the model failed.
    #[error("ONNX inference failed: {message}")]
    Run {
        /// What went wrong, with tract's chain of causes.
        message: String,
    },
    /// An input shape is unknown, or does not match the model or the data.
    #[error("ONNX shape error: {message}")]
    Shape {
        /// Which shapes disagree.
        message: String,
    },
}

/// Formats an error with all its causes (`a: b: c`), as `anyhow`'s `{:#}` does.
pub(crate) fn chain(e: &dyn std::fmt::Display) -> String {
    format!("{e:#}")
}
