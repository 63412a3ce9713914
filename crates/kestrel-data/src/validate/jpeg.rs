//! Strict JPEG decoding. The `image` crate (which training reads with) decodes JPEGs
//! leniently: data that ends early or holds foreign bytes becomes grey or garbage pixels,
//! without an error. Validation decodes them strictly, so such a file is reported.

use std::path::Path;

use zune_core::bytestream::ZCursor;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

/// Decodes the JPEG file `path` strictly; the error message says what the file is (`what`)
/// and gives the decoder's reason. The size is not limited here: the caller checked the
/// header against the pixel limit.
pub(super) fn strict_jpeg(path: &Path, what: &str) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {what}: {e}"))?;
    let side = usize::from(u16::MAX);
    let options = DecoderOptions::default()
        .set_strict_mode(true)
        .set_max_width(side)
        .set_max_height(side);
    JpegDecoder::new_with_options(ZCursor::new(&bytes[..]), options)
        .decode()
        .map(drop)
        .map_err(|e| {
            let reason = e.to_string();
            format!(
                "cannot decode {what}: corrupt or truncated JPEG data ({})",
                reason.trim_matches('"')
            )
        })
}
