//! The error type of the `kestrel` library.

use std::path::PathBuf;

/// Everything that can go wrong in Kestrel's model, training, evaluation and inference code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A dataset problem (loading, importing, splitting).
    #[error(transparent)]
    Data(#[from] kestrel_data::DataError),
    /// An image could not be read or preprocessed.
    #[error(transparent)]
    Image(#[from] kestrel_image::ImageError),
    /// A metric or plot could not be computed or written.
    #[error(transparent)]
    Metrics(#[from] kestrel_metrics::MetricsError),
    /// A file system operation failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A model parameter name that does not exist.
    #[error("unknown model parameter '{name}' (known: {known})")]
    UnknownParam {
        /// The name asked for.
        name: String,
        /// The names that exist, comma separated.
        known: String,
    },
    /// A model parameter value that is not allowed.
    #[error("bad value for model parameter '{name}': {message}")]
    BadParam {
        /// The parameter.
        name: String,
        /// What is wrong with it.
        message: String,
    },
    /// A model file that is not a Kestrel model, or is damaged.
    #[error("{path}: not a valid Kestrel model: {message}")]
    ModelFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// Refusing to replace an existing file.
    #[error(
        "{path} already exists (choose another path, or pass --force / overwrite=true to replace it)"
    )]
    AlreadyExists {
        /// The file that exists.
        path: PathBuf,
    },
    /// A device name that this build cannot use.
    #[error("unknown or unavailable device '{name}': {message}")]
    Device {
        /// The device name asked for.
        name: String,
        /// Why it is not available.
        message: String,
    },
    /// A network rebuilt from an ONNX graph could not run.
    #[error(transparent)]
    Network(#[from] kestrel_nn::GraphError),
    /// The dataset does not fit the request (no samples in a split, classes that differ from the model's).
    #[error("{0}")]
    Dataset(String),
    /// Training was interrupted (Ctrl-C, SIGTERM); after the first epoch the checkpoint
    /// allows resuming.
    #[error("{}", interrupted_message(*epoch))]
    Interrupted {
        /// The last completed epoch (0: none, so there is nothing to resume).
        epoch: usize,
    },
    /// Another training run holds the run folder.
    #[error("{path} is locked by another training run writing to the same model")]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
}

/// What an interruption after `epoch` completed epochs leaves to do.
fn interrupted_message(epoch: usize) -> String {
    if epoch == 0 {
        "training interrupted before its first epoch ended; no checkpoint was written, so start it again (without --resume)".into()
    } else {
        format!("training interrupted after epoch {epoch}; resume with --resume")
    }
}

/// `Result` with Kestrel's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Wraps an I/O error with the path it concerns.
pub(crate) fn io_error(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io { path, source }
}
