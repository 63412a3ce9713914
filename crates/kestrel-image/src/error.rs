//! The crate's error type.

use std::path::PathBuf;

/// Everything that can go wrong while reading, resizing, caching or writing an image.
///
/// Variants that concern a file name it, so a failing sample in a data set of thousands
/// can be found.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// The file (or a cache entry) could not be read or written.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The file could not be decoded as an image.
    #[error("cannot decode image {path}: {source}")]
    Decode {
        /// The file concerned.
        path: PathBuf,
        /// The codec's error.
        #[source]
        source: image::ImageError,
    },
    /// The preprocessing parameters are unusable (zero size, unsupported channel count…).
    #[error("invalid preprocessing parameters: {0}")]
    InvalidParams(String),
    /// The image has a zero width or height.
    #[error("image {path} is empty ({width}x{height})")]
    EmptyImage {
        /// The file concerned.
        path: PathBuf,
        /// Its width in pixels.
        width: u32,
        /// Its height in pixels.
        height: u32,
    },
    /// The image is larger than the pixel limit
    /// ([`max_image_pixels`](kestrel_geom::max_image_pixels)); it was not decoded.
    #[error("image {path} is too large: {message}")]
    TooLarge {
        /// The file concerned.
        path: PathBuf,
        /// Its size and the limit.
        message: String,
    },
    /// An image could not be encoded (e.g. as PNG) for writing.
    #[error("cannot encode image {path}: {source}")]
    Encode {
        /// The file concerned.
        path: PathBuf,
        /// The codec's error.
        #[source]
        source: image::ImageError,
    },
    /// A label image holds values that are not usable class ids, or is inconsistent.
    #[error("invalid label image {path}: {message}")]
    InvalidLabels {
        /// The file concerned.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// An in-memory input cannot be used (a buffer of the wrong length, an image without
    /// pixels, a rectangle with non-finite values).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// Resizing failed.
    #[error("cannot resize image {path}: {message}")]
    Resize {
        /// The file concerned.
        path: PathBuf,
        /// What the resizer reported.
        message: String,
    },
}

impl ImageError {
    /// Wraps an I/O error with the path it concerns.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
