//! Background photos: listed once, then per image one decoded, cropped and resized.

use std::path::{Path, PathBuf};

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use super::config::BackgroundSource;
use crate::error::Error3d;

/// The image files of each source that has any, each list sorted (folders are searched
/// recursively, following links; hidden files and folders, whose names start with a dot,
/// are skipped), with a warning per source that holds none. Errors: a source that does
/// not exist or cannot be listed (naming it), or no image in any source.
pub(super) fn list_backgrounds(
    sources: &[BackgroundSource],
) -> Result<(Vec<Vec<PathBuf>>, Vec<String>), Error3d> {
    let mut lists = Vec::new();
    let mut warnings = Vec::new();
    for source in sources {
        let mut files = Vec::new();
        let path = source.path();
        let meta = std::fs::metadata(path).map_err(|e| Error3d::io(path, e))?;
        if meta.is_dir() {
            walk(path, source, &mut files)?;
        } else if takes(source, path) {
            files.push(path.to_path_buf());
        }
        if files.is_empty() {
            warnings.push(format!(
                "{}: no background images (png, jpg, bmp, tif or the extensions given)",
                path.display()
            ));
        } else {
            files.sort();
            lists.push(files);
        }
    }
    if lists.is_empty() {
        let names: Vec<String> = sources
            .iter()
            .map(|s| s.path().display().to_string())
            .collect();
        return Err(Error3d::config(
            "backgrounds",
            format!("no background images found in {}", names.join(", ")),
        ));
    }
    Ok((lists, warnings))
}

/// Whether `path`'s extension is one `source` takes.
fn takes(source: &BackgroundSource, path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| source.takes(e))
}

/// Adds the image files under `dir` to `files`.
fn walk(dir: &Path, source: &BackgroundSource, files: &mut Vec<PathBuf>) -> Result<(), Error3d> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error3d::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error3d::io(dir, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let meta = std::fs::metadata(&path).map_err(|e| Error3d::io(&path, e))?;
        if meta.is_dir() {
            walk(&path, source, files)?;
        } else if meta.is_file() && takes(source, &path) {
            files.push(path);
        }
    }
    Ok(())
}

/// A `width` x `height` background: a photo of a uniformly drawn source (so a folder of
/// 17 photos is used as often as one of 1,800 textures), a uniformly drawn photo in it,
/// then a crop of the image's
/// aspect ratio whose size is `scale` (drawn from `scale_range`) times the largest such
/// crop, at a uniformly drawn place, mirrored left-right with probability 0.5, resized
/// bilinearly. Grey photos become grey RGB. An error names a photo that does not decode.
pub(super) fn background(
    sources: &[Vec<PathBuf>],
    width: u32,
    height: u32,
    scale_range: [f64; 2],
    rng: &mut ChaCha8Rng,
) -> Result<image::RgbImage, Error3d> {
    let files = &sources[rng.random_range(0..sources.len())];
    let path = &files[rng.random_range(0..files.len())];
    let scale = super::sample::uniform(rng, scale_range);
    let x_frac: f64 = rng.random();
    let y_frac: f64 = rng.random();
    let mirror = rng.random_bool(0.5);
    let photo = image::open(path)
        .map_err(|e| Error3d::Image {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?
        .to_rgb8();
    let (pw, ph) = (f64::from(photo.width()), f64::from(photo.height()));
    let aspect = f64::from(width) / f64::from(height);
    let (cw, ch) = if pw / ph > aspect {
        (ph * aspect, ph)
    } else {
        (pw, pw / aspect)
    };
    let cw = (cw * scale).round().clamp(1.0, pw);
    let ch = (ch * scale).round().clamp(1.0, ph);
    let x = ((pw - cw) * x_frac).floor() as u32;
    let y = ((ph - ch) * y_frac).floor() as u32;
    let crop = image::imageops::crop_imm(&photo, x, y, cw as u32, ch as u32).to_image();
    let mut out =
        image::imageops::resize(&crop, width, height, image::imageops::FilterType::Triangle);
    if mirror {
        image::imageops::flip_horizontal_in_place(&mut out);
    }
    Ok(out)
}
