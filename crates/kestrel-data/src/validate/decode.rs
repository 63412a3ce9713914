//! Reading the files validation checks: each is opened up to its header, refused when the
//! header claims no pixels or more than [`kestrel_geom::max_image_pixels`] (so nothing is
//! allocated for it), and only then decoded completely.

use std::path::{Path, PathBuf};

use image::{DynamicImage, ImageDecoder, ImageFormat};

use super::jpeg::strict_jpeg;

/// An image file read up to its header, its size within the pixel limit.
pub(super) struct Header {
    decoder: Box<dyn ImageDecoder>,
    /// The file when it is a JPEG, which is decoded strictly (see [`strict_jpeg`]).
    jpeg: Option<PathBuf>,
}

impl Header {
    /// The `(width, height)` the header gives.
    pub(super) fn size(&self) -> (u32, u32) {
        self.decoder.dimensions()
    }

    /// Decodes every pixel; the error message says what the file is (`what`) and gives the
    /// decoder's reason (a truncated or corrupt file fails here, not at its header).
    pub(super) fn decode(self, what: &str) -> Result<DynamicImage, String> {
        if let Some(path) = &self.jpeg {
            strict_jpeg(path, what)?;
        }
        DynamicImage::from_decoder(self.decoder).map_err(|e| format!("cannot decode {what}: {e}"))
    }

    /// Like [`Header::decode`] for a file whose pixels are not needed: a JPEG is decoded
    /// only once (strictly).
    pub(super) fn check(self, what: &str) -> Result<(), String> {
        match &self.jpeg {
            Some(path) => strict_jpeg(path, what),
            None => self.decode(what).map(drop),
        }
    }
}

/// Opens the image file `path` and reads its header (format from the content, then the
/// extension). The error message says what the file is (`what`) and why it cannot be used:
/// missing, not a regular file, an unreadable header, no pixels, or too many.
pub(super) fn read_header(path: &Path, what: &str) -> Result<Header, String> {
    regular_file(path, what)?;
    let header = |e: image::ImageError| format!("cannot decode {what} header: {e}");
    let reader = image::ImageReader::open(path)
        .and_then(|r| r.with_guessed_format())
        .map_err(|e| header(e.into()))?;
    let jpeg = (reader.format() == Some(ImageFormat::Jpeg)).then(|| path.to_path_buf());
    let decoder = reader.into_decoder().map_err(header)?;
    let (w, h) = decoder.dimensions();
    pixel_count(what, w, h)?;
    Ok(Header {
        decoder: Box::new(decoder),
        jpeg,
    })
}

/// Reads the header of `path` ([`read_header`]) and decodes the file completely.
pub(super) fn decode(path: &Path, what: &str) -> Result<DynamicImage, String> {
    read_header(path, what)?.decode(what)
}

/// An error unless `path` is a regular file: missing, inaccessible, or something else (a
/// named pipe would block, a folder cannot be decoded).
pub(super) fn regular_file(path: &Path, what: &str) -> Result<(), String> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!("{what} not found")),
        Err(e) => Err(format!("cannot access {what}: {e}")),
        Ok(m) if !m.is_file() => Err(format!("{what} is not a regular file")),
        Ok(_) => Ok(()),
    }
}

/// An error when a header's `w x h` is no pixels or more than
/// [`kestrel_geom::max_image_pixels`].
pub(super) fn pixel_count(what: &str, w: u32, h: u32) -> Result<(), String> {
    if w == 0 || h == 0 {
        return Err(format!("{what} has no pixels ({w} x {h})"));
    }
    match kestrel_geom::image_size_problem(w, h) {
        Some(message) => Err(format!("{what} too large: {message}")),
        None => Ok(()),
    }
}
