//! Writing 8-bit grey images as PNG files, in parallel.

use std::io::BufWriter;
use std::path::Path;

use rayon::prelude::*;

use crate::error::DataError;

/// Writes one 8-bit grey image of `width` x `height` pixels to `path`.
pub(crate) fn write_grey_png(
    path: &Path,
    width: u32,
    height: u32,
    pixels: &[u8],
) -> Result<(), DataError> {
    let file = std::fs::File::create(path).map_err(|e| DataError::io(path, e))?;
    let mut encoder = png::Encoder::new(BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let to_err = |source| DataError::ImageWrite {
        path: path.to_path_buf(),
        source,
    };
    let mut writer = encoder.write_header().map_err(to_err)?;
    writer.write_image_data(pixels).map_err(to_err)?;
    writer.finish().map_err(to_err)
}

/// Writes one 8-bit grey image of `width` x `height` pixels to `path` atomically (encoded
/// in memory, written to a temporary file next to it, then renamed).
pub(crate) fn write_grey_png_atomic(
    path: &Path,
    width: u32,
    height: u32,
    pixels: &[u8],
) -> Result<(), DataError> {
    let mut bytes = Vec::new();
    let mut encoder = png::Encoder::new(&mut bytes, width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let to_err = |source| DataError::ImageWrite {
        path: path.to_path_buf(),
        source,
    };
    let mut writer = encoder.write_header().map_err(to_err)?;
    writer.write_image_data(pixels).map_err(to_err)?;
    writer.finish().map_err(to_err)?;
    kestrel_geom::write_atomic(path, &bytes).map_err(|e| DataError::io(path, e))
}

/// Writes consecutive `width` x `height` grey images from `data` into `dir`, in parallel,
/// named by their index zero-padded to at least six digits (`000123.png`).
///
/// Returns the file names (without folder) in order.
pub(crate) fn write_grey_pngs(
    dir: &Path,
    width: u32,
    height: u32,
    data: &[u8],
) -> Result<Vec<String>, DataError> {
    let pixels = width as usize * height as usize;
    let count = data.len().checked_div(pixels).unwrap_or(0);
    let digits = count.saturating_sub(1).to_string().len().max(6);
    let names: Vec<String> = (0..count).map(|i| format!("{i:0digits$}.png")).collect();
    names
        .par_iter()
        .zip(data.par_chunks_exact(pixels.max(1)))
        .try_for_each(|(name, image)| write_grey_png(&dir.join(name), width, height, image))?;
    Ok(names)
}
