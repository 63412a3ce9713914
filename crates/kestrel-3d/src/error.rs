//! The error type shared by every fallible function of this crate.

use std::path::PathBuf;

/// Everything that can go wrong while reading 3D data or computing with it.
///
/// Variants about a file name it (and the field or line where there is one), so a message
/// can be shown to a user as is.
#[derive(thiserror::Error, Debug)]
#[non_exhaustive]
pub enum Error3d {
    /// A file or folder could not be read, written or listed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// An image file could not be decoded or encoded.
    #[error("{}: {message}", path.display())]
    Image {
        /// The image file concerned.
        path: PathBuf,
        /// What the decoder or encoder reported.
        message: String,
    },
    /// A file's content does not have the expected format (PLY header, truncated data,
    /// faces that are not triangles, ...).
    #[error("{}: {message}", path.display())]
    Format {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong with it (with the line or element where known).
        message: String,
    },
    /// A JSON file is not valid JSON or a field has the wrong shape or value.
    #[error("{}: {field}: {message}", path.display())]
    Field {
        /// The JSON file concerned.
        path: PathBuf,
        /// Where in the file: a key path such as `3[1].cam_R_m2c`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// An in-memory input cannot be used (a depth image whose size differs from its
    /// camera's, a zero axis, an empty point set, ...).
    #[error("{what}: {message}")]
    Invalid {
        /// The input concerned.
        what: String,
        /// What is wrong.
        message: String,
    },
    /// A configuration value is missing or out of range (a distance range whose minimum
    /// exceeds its maximum, a zero focal length, an empty object list, ...).
    #[error("configuration field {field}: {message}")]
    Config {
        /// The field, as a key path such as `poses.distance_mm`.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A 3x3 matrix given as a rotation is not one (not orthonormal or a reflection).
    #[error("{what}: not a rotation: {message}")]
    NotRotation {
        /// Where the matrix came from.
        what: String,
        /// How far it is from a rotation.
        message: String,
    },
}

impl Error3d {
    /// An [`Error3d::Io`] for `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error3d::Io {
            path: path.into(),
            source,
        }
    }

    /// An [`Error3d::Format`] for `path`.
    pub(crate) fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error3d::Format {
            path: path.into(),
            message: message.into(),
        }
    }

    /// An [`Error3d::Config`] about `field`.
    pub(crate) fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error3d::Config {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An [`Error3d::Invalid`] about `what`.
    pub(crate) fn invalid(what: impl Into<String>, message: impl Into<String>) -> Self {
        Error3d::Invalid {
            what: what.into(),
            message: message.into(),
        }
    }
}
