//! Depth images of gripping samples, checked the way `kestrel-3d` reads them: a TIFF
//! (`.tif`/`.tiff`) through the `tiff` crate, anything else through the `image` crate.
//! Either is decoded completely, after its header passed the pixel limit.

use std::io::BufReader;
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult};

use super::decode::{decode, pixel_count, regular_file};
use super::files::size_problem;

/// What the messages call the file.
const WHAT: &str = "depth image";

/// What is wrong with a depth image: missing, undecodable, not single-channel grey (8- or
/// 16-bit; a TIFF float32, float64 or 16-bit), or of another size than the image
/// (`image_size`, when known).
pub(super) fn depth_problem(path: &Path, image_size: Option<(u32, u32)>) -> Option<String> {
    let size = if is_tiff(path) {
        tiff_size(path)
    } else {
        grey_size(path)
    };
    match size {
        Ok(size) => size_problem(WHAT, size, image_size),
        Err(message) => Some(message),
    }
}

/// Whether `path` names a TIFF (by its extension, as `kestrel-3d` decides).
fn is_tiff(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff"))
}

/// The size of an 8- or 16-bit grey depth image (a PNG), decoded completely.
fn grey_size(path: &Path) -> Result<(u32, u32), String> {
    let depth = decode(path, WHAT)?;
    match depth.color() {
        image::ColorType::L8 | image::ColorType::L16 => Ok((depth.width(), depth.height())),
        other => Err(format!(
            "depth image must be single-channel grey, found {other:?}"
        )),
    }
}

/// The size of a single-channel TIFF of float32, float64 or 16-bit values, decoded
/// completely.
fn tiff_size(path: &Path) -> Result<(u32, u32), String> {
    regular_file(path, WHAT)?;
    let header = |e: tiff::TiffError| format!("cannot decode {WHAT} header: {e}");
    let file = std::fs::File::open(path).map_err(|e| format!("cannot access {WHAT}: {e}"))?;
    let mut decoder = Decoder::new(BufReader::new(file)).map_err(header)?;
    let (w, h) = decoder.dimensions().map_err(header)?;
    pixel_count(WHAT, w, h)?;
    let colour = decoder.colortype().map_err(header)?;
    if !matches!(colour, tiff::ColorType::Gray(_)) {
        return Err(format!(
            "depth image must be single-channel grey, found {colour:?}"
        ));
    }
    match decoder.read_image() {
        Ok(DecodingResult::F32(_) | DecodingResult::F64(_) | DecodingResult::U16(_)) => Ok((w, h)),
        Ok(_) => Err("depth TIFF must hold float32, float64 or 16-bit values".into()),
        Err(e) => Err(format!("cannot decode {WHAT}: {e}")),
    }
}
