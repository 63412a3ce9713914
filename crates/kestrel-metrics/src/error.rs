//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong while computing metrics or writing plots.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// Two inputs that must have matching lengths do not.
    #[error("length mismatch: {what} has {got} entries, expected {expected}")]
    LengthMismatch {
        /// Which input is inconsistent.
        what: String,
        /// The length it should have.
        expected: usize,
        /// The length it has.
        got: usize,
    },
    /// A class index is not below the number of classes.
    #[error("class index {index} out of range for {num_classes} classes ({what})")]
    ClassOutOfRange {
        /// Where the index was found.
        what: String,
        /// The offending index.
        index: usize,
        /// The number of classes.
        num_classes: usize,
    },
    /// There is nothing to evaluate or plot (no classes, no images, no epochs…).
    #[error("nothing to evaluate: {0}")]
    Empty(String),
    /// A score is NaN or infinite.
    #[error("{what}[{index}] is not a finite number")]
    NonFinite {
        /// Which input holds it.
        what: String,
        /// Its position in that input.
        index: usize,
    },
    /// The metric is not defined for this input (e.g. ROC AUC without any negative).
    #[error("undefined metric: {0}")]
    Undefined(String),
    /// An argument is outside its valid range (e.g. `max_fpr` not in (0, 1]).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// Drawing a plot failed.
    #[error("cannot draw plot {path}: {message}")]
    Plot {
        /// The plot's file.
        path: PathBuf,
        /// What the drawing library reported.
        message: String,
    },
    /// Writing a file failed.
    #[error("cannot write {path}: {message}")]
    Write {
        /// The file concerned.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl From<kestrel_geom::RleError> for MetricsError {
    /// A mask that cannot be built is an invalid argument; merging no masks is
    /// [`MetricsError::Empty`].
    fn from(e: kestrel_geom::RleError) -> Self {
        match e {
            kestrel_geom::RleError::NoMasks => MetricsError::Empty(e.to_string()),
            e => MetricsError::InvalidArgument(e.to_string()),
        }
    }
}
