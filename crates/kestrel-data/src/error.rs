//! The error type shared by every fallible function of this crate.

use std::path::PathBuf;

/// Everything that can go wrong while reading, writing, importing or splitting a dataset.
///
/// Every variant that concerns a file names it, so a message can be shown to a user as is.
#[derive(thiserror::Error, Debug)]
#[non_exhaustive]
pub enum DataError {
    /// A file or folder could not be read, written, created or listed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A dataset file is not valid JSON or does not have the expected fields.
    /// The message of `source` carries the line and column.
    #[error("{}: invalid dataset JSON: {source}", path.display())]
    Json {
        /// The JSON file concerned.
        path: PathBuf,
        /// The underlying parse error (with line and column).
        #[source]
        source: serde_json::Error,
    },
    /// The target file exists and overwriting it was not allowed.
    #[error("{}: file already exists (overwriting not allowed)", path.display())]
    AlreadyExists {
        /// The file that already exists.
        path: PathBuf,
    },
    /// A file's content does not have the expected format.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// An import found several problems (files without their partner, lines that cannot
    /// be parsed, ...); every one is listed, each naming its file (and line where there
    /// is one).
    #[error("{}: {} problem(s):\n  {}", path.display(), problems.len(), problems.join("\n  "))]
    Problems {
        /// The file or folder being imported.
        path: PathBuf,
        /// One message per problem.
        problems: Vec<String>,
    },
    /// An image could not be encoded or written.
    #[error("{}: cannot write image: {source}", path.display())]
    ImageWrite {
        /// The image file concerned.
        path: PathBuf,
        /// The underlying encoder error.
        #[source]
        source: png::EncodingError,
    },
    /// A split specification is invalid (percentages not summing to 100, negative, ...).
    #[error("invalid split: {0}")]
    InvalidSplit(String),
    /// A sample's per-object fields (`bbox_label_id`, `bbox_*`, `mask_polygons`) do not fit
    /// together: a field is missing or has another number of entries than
    /// `bbox_label_id`, or an object cannot be used as asked.
    #[error("image_id {image_id}, field {field}: {message}")]
    InvalidSample {
        /// The sample's image id.
        image_id: u64,
        /// The field at fault.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An import was asked for something it cannot do (a kind and format that do not go
    /// together, or a missing input such as the label folder).
    #[error("import: {0}")]
    Import(String),
    /// No images were found where some were expected.
    #[error("{}: no images found", path.display())]
    NoImages {
        /// The folder or file that was searched.
        path: PathBuf,
    },
}

impl DataError {
    /// Builds a [`DataError::Io`] for `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }

    /// `Ok(())` without problems, the error itself for a single one (so its variant and
    /// message stay as precise as possible), else [`DataError::Problems`] for `path`
    /// listing them all.
    pub fn collect(path: impl Into<PathBuf>, mut errors: Vec<DataError>) -> Result<(), Self> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(DataError::Problems {
                path: path.into(),
                problems: errors.iter().map(ToString::to_string).collect(),
            }),
        }
    }

    /// Builds a [`DataError::Format`] for `path`.
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        DataError::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}
