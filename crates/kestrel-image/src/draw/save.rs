//! Writing pictures.

use std::path::Path;

use image::RgbImage;

use crate::ImageError;
use crate::encode::encode_png;

/// Writes `img` as an 8-bit RGB PNG, atomically: encoded in memory, written to a temporary
/// file in the same folder, then renamed, so a reader never sees half a file (missing
/// folders are created; see [`kestrel_geom::write_atomic`]). An empty picture is an
/// [`ImageError::EmptyImage`] error.
pub fn save_png(path: &Path, img: &RgbImage) -> Result<(), ImageError> {
    if img.width() == 0 || img.height() == 0 {
        return Err(ImageError::EmptyImage {
            path: path.to_path_buf(),
            width: img.width(),
            height: img.height(),
        });
    }
    let bytes = encode_png(
        path,
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    kestrel_geom::write_atomic(path, &bytes).map_err(|e| ImageError::io(path, e))
}
