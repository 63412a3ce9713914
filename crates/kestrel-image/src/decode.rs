//! Reading image files.

use std::io::{BufReader, Cursor};
use std::path::Path;

use image::DynamicImage;

use crate::ImageError;

/// Decodes a PNG, JPEG, BMP or TIFF file (8 or 16 bit; grey, grey-alpha, RGB or RGBA).
///
/// The format is detected from the file's content, not its extension.
pub fn read_image(path: &Path) -> Result<DynamicImage, ImageError> {
    let file = std::fs::File::open(path).map_err(|e| ImageError::io(path, e))?;
    let reader = image::ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(|e| ImageError::io(path, e))?;
    checked(reader.decode(), path)
}

/// Like [`read_image`], for the content of a file already read into memory; `path` only
/// names the file in errors.
pub(crate) fn decode_bytes(bytes: &[u8], path: &Path) -> Result<DynamicImage, ImageError> {
    let reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| ImageError::io(path, e))?;
    checked(reader.decode(), path)
}

/// Turns a decoding result into the crate's error, rejecting empty images.
fn checked(
    decoded: Result<DynamicImage, image::ImageError>,
    path: &Path,
) -> Result<DynamicImage, ImageError> {
    let img = decoded.map_err(|source| ImageError::Decode {
        path: path.to_path_buf(),
        source,
    })?;
    if img.width() == 0 || img.height() == 0 {
        return Err(ImageError::EmptyImage {
            path: path.to_path_buf(),
            width: img.width(),
            height: img.height(),
        });
    }
    Ok(img)
}

/// The `(width, height)` of an image file, read from its header without decoding it.
pub fn image_size(path: &Path) -> Result<(u32, u32), ImageError> {
    let file = std::fs::File::open(path).map_err(|e| ImageError::io(path, e))?;
    let reader = image::ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(|e| ImageError::io(path, e))?;
    reader
        .into_dimensions()
        .map_err(|source| ImageError::Decode {
            path: path.to_path_buf(),
            source,
        })
}
