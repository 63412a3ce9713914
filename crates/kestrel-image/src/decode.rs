//! Reading image files.

use std::io::BufReader;
use std::path::Path;

use crate::ImageError;

/// Decodes a PNG, JPEG, BMP or TIFF file (8 or 16 bit; grey, grey-alpha, RGB or RGBA).
///
/// The format is detected from the file's content, not its extension.
pub fn read_image(path: &Path) -> Result<image::DynamicImage, ImageError> {
    let file = std::fs::File::open(path).map_err(|e| ImageError::io(path, e))?;
    let reader = image::ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(|e| ImageError::io(path, e))?;
    let img = reader.decode().map_err(|source| ImageError::Decode {
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
