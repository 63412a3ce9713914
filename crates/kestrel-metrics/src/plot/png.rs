//! Rendering into memory and writing PNG files atomically.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use plotters::coord::Shift;
use plotters::prelude::{BitMapBackend, DrawingArea, IntoDrawingArea};

use crate::MetricsError;

/// The drawing surface plots draw on.
pub type Canvas<'a> = DrawingArea<BitMapBackend<'a>, Shift>;

/// Renders a `width x height` image with `draw` and writes it as a PNG to `path`,
/// atomically (temporary file in the same folder, then rename).
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

/// Encodes RGB `pixels` as PNG into a temporary file next to `path`, then renames it.
fn write_atomically(
    path: &Path,
    pixels: &[u8],
    width: u32,
    height: u32,
) -> Result<(), MetricsError> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let write_error = |message: String| MetricsError::Write {
        path: path.to_path_buf(),
        message,
    };
    let name = path
        .file_name()
        .ok_or_else(|| write_error("the path has no file name".into()))?
        .to_string_lossy();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp: PathBuf = path.with_file_name(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = image::save_buffer_with_format(
        &temp,
        pixels,
        width,
        height,
        image::ExtendedColorType::Rgb8,
        image::ImageFormat::Png,
    )
    .map_err(|e| e.to_string())
    .and_then(|()| std::fs::rename(&temp, path).map_err(|e| e.to_string()));
    if let Err(message) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(write_error(message));
    }
    Ok(())
}
