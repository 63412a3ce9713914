//! Recursive discovery of image files in a folder.

use std::path::{Path, PathBuf};

use crate::error::DataError;

/// File extensions (lower case) recognised as images.
pub const IMAGE_EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "bmp", "tif", "tiff"];

/// Deepest folder nesting followed; guards against symbolic-link loops.
const MAX_DEPTH: usize = 64;

/// Whether `path` has an image extension (case-insensitive).
pub fn is_image_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// All image files below `root`, as `/`-separated paths relative to `root`, sorted.
///
/// Hidden files and folders (names starting with `.`) are skipped. Non-UTF-8 names are
/// reported as [`DataError::Format`].
pub fn find_images(root: &Path) -> Result<Vec<String>, DataError> {
    let mut found = Vec::new();
    walk(root, "", 0, &mut found)?;
    found.sort();
    Ok(found)
}

/// Adds the images in `root/prefix` to `found`, recursing into sub-folders.
fn walk(root: &Path, prefix: &str, depth: usize, found: &mut Vec<String>) -> Result<(), DataError> {
    let dir = if prefix.is_empty() {
        root.to_path_buf()
    } else {
        root.join(prefix)
    };
    if depth > MAX_DEPTH {
        return Err(DataError::format(
            dir,
            format!("folders nested deeper than {MAX_DEPTH} levels (symbolic-link loop?)"),
        ));
    }
    let entries = std::fs::read_dir(&dir).map_err(|e| DataError::io(&dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| DataError::io(&dir, e))?;
        let path: PathBuf = entry.path();
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            if path.is_dir() || is_image_file(&path) {
                return Err(DataError::format(path, "file name is not valid UTF-8"));
            }
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.to_string()
        } else {
            format!("{prefix}/{name}")
        };
        // `metadata` follows symbolic links, so linked folders and files count too.
        let meta = std::fs::metadata(&path).map_err(|e| DataError::io(&path, e))?;
        if meta.is_dir() {
            walk(root, &rel, depth + 1, found)?;
        } else if meta.is_file() && is_image_file(&path) {
            found.push(rel);
        }
    }
    Ok(())
}

/// The names of the folders directly inside `dir` (following symbolic links), sorted;
/// hidden ones (names starting with `.`) are skipped. Non-UTF-8 names are reported as
/// [`DataError::Format`].
pub fn sub_folders(dir: &Path) -> Result<Vec<String>, DataError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| DataError::io(dir, e))?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let name = entry
            .file_name()
            .into_string()
            .map_err(|_| DataError::format(&path, "folder name is not valid UTF-8"))?;
        if !name.starts_with('.') {
            found.push(name);
        }
    }
    found.sort();
    Ok(found)
}
