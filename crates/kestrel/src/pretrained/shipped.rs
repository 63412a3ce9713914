//! The pretrained models that come with Kestrel, in its `models/` folder.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// `(name, file)` of each shipped model.
pub const SHIPPED: [(&str, &str); 2] = [
    ("mobilenet_v2", "mobilenet_v2_imagenet.kmodel"),
    ("compact", "compact_fashion_mnist.kmodel"),
];

/// The file of the shipped model `name`, looked up in `$KESTREL_MODELS`, `./models`, the
/// repository's `models/` (for builds from the source tree) and `models/` beside the
/// executable's folder.
pub fn shipped_model_path(name: &str) -> Result<PathBuf> {
    let Some((_, file)) = SHIPPED.iter().find(|(n, _)| *n == name) else {
        let known: Vec<&str> = SHIPPED.iter().map(|(n, _)| *n).collect();
        return Err(Error::BadParam {
            name: "pretrained".into(),
            message: format!(
                "'{name}' is not a shipped model (shipped: {})",
                known.join(", ")
            ),
        });
    };
    let mut dirs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = std::env::var_os("KESTREL_MODELS") {
        dirs.push(dir.into());
    }
    dirs.push("models".into());
    dirs.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models"));
    if let Some(exe_dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        dirs.push(exe_dir.join("models"));
        dirs.push(exe_dir.join("../../models"));
    }
    dirs.iter()
        .map(|d| d.join(file))
        .find(|p| p.is_file())
        .ok_or_else(|| Error::Dataset(format!(
            "the shipped model file {file} was not found in {} (set KESTREL_MODELS to its folder)",
            dirs.iter().map(|d| d.display().to_string()).collect::<Vec<_>>().join(", ")
        )))
}
