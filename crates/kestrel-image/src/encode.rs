//! Encoding images for writing.

use std::path::Path;

use image::ImageEncoder;
use image::codecs::png::PngEncoder;

use crate::ImageError;

/// Encodes 8-bit interleaved samples as a PNG in memory; `path` only names the file in
/// errors.
pub(crate) fn encode_png(
    path: &Path,
    samples: &[u8],
    width: u32,
    height: u32,
    colour: image::ExtendedColorType,
) -> Result<Vec<u8>, ImageError> {
    let mut bytes = Vec::new();
    PngEncoder::new(&mut bytes)
        .write_image(samples, width, height, colour)
        .map_err(|source| ImageError::Encode {
            path: path.to_path_buf(),
            source,
        })?;
    Ok(bytes)
}
