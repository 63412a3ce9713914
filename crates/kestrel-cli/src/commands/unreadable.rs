//! Images that cannot be decoded, set aside so the others are still processed, and
//! reported in the results at their place.

use anyhow::{Result, bail};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// An input image that could not be read.
pub(crate) struct Unreadable {
    /// Its position among the inputs.
    pub index: usize,
    /// The file.
    pub path: PathBuf,
    /// Why it could not be read.
    pub message: String,
}

/// Splits `paths` into the images that decode completely and those that do not. Files that
/// are not images to this command (a gripping dataset file, `.json`) are kept unchecked.
/// Fails, listing every image, when none can be read.
pub(crate) fn set_aside_unreadable(paths: Vec<PathBuf>) -> Result<(Vec<PathBuf>, Vec<Unreadable>)> {
    let mut good = Vec::with_capacity(paths.len());
    let mut bad = Vec::new();
    for (index, path) in paths.into_iter().enumerate() {
        if is_json(&path) {
            good.push(path);
            continue;
        }
        match kestrel::image::read_image(&path) {
            Ok(_) => good.push(path),
            Err(e) => bad.push(Unreadable {
                index,
                message: e.to_string(),
                path,
            }),
        }
    }
    if good.is_empty() && !bad.is_empty() {
        let list: Vec<String> = bad.iter().map(|u| format!("  {}", u.message)).collect();
        bail!("no image could be read:\n{}", list.join("\n"));
    }
    Ok((good, bad))
}

/// The results JSON (an array, one entry per readable image, in order) with an entry
/// `{"image": …, "error": …}` for each unreadable image at its place among the inputs.
pub(crate) fn merge_errors(json: &str, unreadable: &[Unreadable]) -> Result<String> {
    if unreadable.is_empty() {
        return Ok(json.to_string());
    }
    let Value::Array(mut entries) = serde_json::from_str(json)? else {
        bail!("results are not a JSON array");
    };
    for u in unreadable {
        let at = u.index.min(entries.len());
        entries.insert(at, json!({"image": u.path, "error": u.message}));
    }
    Ok(serde_json::to_string_pretty(&entries)?)
}

/// After the results are written: an error naming the unreadable images, if any.
pub(crate) fn fail_if_unreadable(
    unreadable: &[Unreadable],
    total: usize,
    out: &Path,
) -> Result<()> {
    if unreadable.is_empty() {
        return Ok(());
    }
    for u in unreadable {
        eprintln!("  {}", u.message);
    }
    bail!(
        "{} of {total} images could not be read (listed above and in {} with an \"error\"); the others have results",
        unreadable.len(),
        out.display()
    )
}

/// Whether `path` names a JSON file.
fn is_json(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
}
