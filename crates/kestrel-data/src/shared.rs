//! Where the shared real data and pretrained weights are (`KESTREL_SHARED`).

use std::path::{Path, PathBuf};

/// The folder named by the `KESTREL_SHARED` environment variable, or `None` when it is not
/// set. A relative path is taken from the workspace root (the nearest folder above the
/// current one that holds a `Cargo.lock`), so `KESTREL_SHARED=../shared` means the same
/// folder to every crate's tests, whatever their working directory.
pub fn shared_data_dir() -> Option<PathBuf> {
    let value = std::env::var_os("KESTREL_SHARED").filter(|v| !v.is_empty())?;
    let path = PathBuf::from(value);
    if path.is_absolute() {
        return Some(path);
    }
    let cwd = std::env::current_dir().ok()?;
    let root = cwd
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").exists())
        .map(Path::to_path_buf)
        .unwrap_or(cwd);
    Some(root.join(path))
}
