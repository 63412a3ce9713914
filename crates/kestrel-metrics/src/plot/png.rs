//! Rendering into memory and writing PNG files atomically.

use std::path::Path;

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea};

use crate::MetricsError;

/// The drawing surface plots draw on.
pub type Canvas<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Renders a `width x height` image with `draw` and writes it as a PNG to `path`,
/// atomically ([`kestrel_geom::write_atomic`]: missing folders are created, and a write
/// that fails leaves no temporary file behind); errors name `path`.
pub fn render_png(
    path: &Path,
    (width, height): (u32, u32),
    draw: impl FnOnce(&Canvas<'_>) -> Result<(), String>,
) -> Result<(), MetricsError> {
    super::font::ensure_registered().map_err(|message| plot_error(path, message))?;
    let mut buffer = vec![255u8; width as usize * height as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        draw(&root).map_err(|message| plot_error(path, message))?;
        root.present()
            .map_err(|e| plot_error(path, e.to_string()))?;
    }
    write_atomically(path, &buffer, width, height)
}

fn plot_error(path: &Path, message: String) -> MetricsError {
    MetricsError::Plot {
        path: path.to_path_buf(),
        message,
    }
}

/// Encodes RGB `pixels` as PNG in memory, then writes it to `path` atomically.
fn write_atomically(
    path: &Path,
    pixels: &[u8],
    width: u32,
    height: u32,
) -> Result<(), MetricsError> {
    use image::ImageEncoder;
    let write_error = |message: String| MetricsError::Write {
        path: path.to_path_buf(),
        message,
    };
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new(&mut bytes)
        .write_image(pixels, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| write_error(e.to_string()))?;
    kestrel_geom::write_atomic(path, &bytes).map_err(|e| write_error(e.to_string()))
}
