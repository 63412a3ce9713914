//! Writing label images.

use std::path::Path;

use crate::encode::encode_png;
use crate::{ImageError, LabelImage};

/// Writes `labels` as an 8-bit grey PNG (grey value = class id), atomically: the file is
/// encoded in memory, written to a temporary file in the same folder, then renamed, so a
/// reader never sees half a file (missing folders are created; see
/// [`kestrel_geom::write_atomic`]).
///
/// An empty label image is an [`ImageError::EmptyImage`] error and one whose `data` does not
/// hold `width * height` ids an [`ImageError::InvalidLabels`] error.
pub fn write_label_png(path: &Path, labels: &LabelImage) -> Result<(), ImageError> {
    if labels.width == 0 || labels.height == 0 {
        return Err(ImageError::EmptyImage {
            path: path.to_path_buf(),
            width: labels.width,
            height: labels.height,
        });
    }
    if !labels.is_consistent() {
        return Err(ImageError::InvalidLabels {
            path: path.to_path_buf(),
            message: format!(
                "{} ids for a {}x{} label image",
                labels.data.len(),
                labels.width,
                labels.height
            ),
        });
    }
    let bytes = encode_png(
        path,
        &labels.data,
        labels.width,
        labels.height,
        image::ExtendedColorType::L8,
    )?;
    kestrel_geom::write_atomic(path, &bytes).map_err(|e| ImageError::io(path, e))
}
