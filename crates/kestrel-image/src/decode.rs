//! Reading image files.

use std::io::{BufReader, Cursor};
use std::path::Path;

use image::DynamicImage;

use crate::ImageError;

/// Decodes a PNG, JPEG, BMP or TIFF file (8 or 16 bit; grey, grey-alpha, RGB or RGBA).
///
/// The format is detected from the file's content, not its extension. An image whose
/// header claims more pixels than [`kestrel_geom::max_image_pixels`] is refused before
/// it is decoded; so is anything but a regular file (a named pipe would block).
pub fn read_image(path: &Path) -> Result<DynamicImage, ImageError> {
    image_size(path)?;
    let file = std::fs::File::open(path).map_err(|e| ImageError::io(path, e))?;
    let reader = image::ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(|e| ImageError::io(path, e))?;
    checked(reader.decode(), path)
}

/// Like [`read_image`], for the content of a file already read into memory; `path` only
/// names the file in errors.
pub(crate) fn decode_bytes(bytes: &[u8], path: &Path) -> Result<DynamicImage, ImageError> {
    size_within_limit(Cursor::new(bytes), path)?;
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

/// The `(width, height)` of an image file, read from its header without decoding it; an
/// image larger than [`kestrel_geom::max_image_pixels`] is an error.
pub fn image_size(path: &Path) -> Result<(u32, u32), ImageError> {
    regular_file(path)?;
    let file = std::fs::File::open(path).map_err(|e| ImageError::io(path, e))?;
    size_within_limit(BufReader::new(file), path)
}

/// The size in the header of the image `source` holds, refused above the pixel limit
/// (`path` names it in errors).
pub(crate) fn size_within_limit(
    source: impl std::io::BufRead + std::io::Seek,
    path: &Path,
) -> Result<(u32, u32), ImageError> {
    let reader = image::ImageReader::new(source)
        .with_guessed_format()
        .map_err(|e| ImageError::io(path, e))?;
    let (width, height) = reader
        .into_dimensions()
        .map_err(|source| ImageError::Decode {
            path: path.to_path_buf(),
            source,
        })?;
    match kestrel_geom::image_size_problem(width, height) {
        Some(message) => Err(ImageError::TooLarge {
            path: path.to_path_buf(),
            message,
        }),
        None => Ok((width, height)),
    }
}

/// An error unless `path` is a regular file (opening a named pipe or a device would block
/// or read without end).
fn regular_file(path: &Path) -> Result<(), ImageError> {
    let metadata = std::fs::metadata(path).map_err(|e| ImageError::io(path, e))?;
    if metadata.is_file() {
        Ok(())
    } else {
        Err(ImageError::io(
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a regular file"),
        ))
    }
}
