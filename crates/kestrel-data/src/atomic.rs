//! Atomic file writing: write a temporary file next to the target, then rename it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::DataError;

/// Distinguishes temporary files of concurrent writes within one process.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` so that readers see either the old or the new content.
///
/// The temporary file lives in the same folder (so the rename stays on one file system)
/// and is removed if anything fails.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), DataError> {
    let file_name = path
        .file_name()
        .ok_or_else(|| DataError::format(path, "not a file path"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".{}.{n}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);

    let result = write_and_sync(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|e| DataError::io(path, e)));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Creates `path`, writes `bytes` and flushes them to disk.
fn write_and_sync(path: &Path, bytes: &[u8]) -> Result<(), DataError> {
    let mut file = std::fs::File::create(path).map_err(|e| DataError::io(path, e))?;
    file.write_all(bytes).map_err(|e| DataError::io(path, e))?;
    file.sync_all().map_err(|e| DataError::io(path, e))
}
