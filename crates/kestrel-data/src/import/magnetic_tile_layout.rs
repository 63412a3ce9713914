//! The Magnetic-Tile defect layout: `MT_<Class>/Imgs/<name>.jpg` + `<name>.png` mask.

use std::path::Path;

use crate::error::DataError;
use crate::scan::{is_image_file, sub_folders};

/// Class name of the defect-free folder `MT_Free`.
pub(crate) const FREE: &str = "Free";

/// Prefix of every class folder.
const PREFIX: &str = "MT_";

/// One image of the layout.
pub(crate) struct MtImage {
    /// Class name: the folder name without `MT_` (`Free`, `Blowhole`, ...).
    pub class: String,
    /// Image path relative to the root, `/`-separated (`MT_Crack/Imgs/x.jpg`).
    pub image: String,
    /// Path of the mask next to it (`MT_Crack/Imgs/x.png`), relative to the root.
    pub mask: String,
    /// Whether the mask file exists.
    pub has_mask: bool,
}

/// Every image below `root`: the `MT_*` folders in name order, their `Imgs` images
/// (any image extension except `.png`, which marks masks) in name order.
///
/// A class folder without `Imgs` is [`DataError::Io`]; a root without `MT_*` folders is
/// [`DataError::NoImages`].
pub(crate) fn find_mt_images(root: &Path) -> Result<Vec<MtImage>, DataError> {
    let mut found = Vec::new();
    for folder in sub_folders(root)? {
        let Some(class) = folder.strip_prefix(PREFIX) else {
            continue;
        };
        let imgs = root.join(&folder).join("Imgs");
        let entries = std::fs::read_dir(&imgs).map_err(|e| DataError::io(&imgs, e))?;
        let mut names = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| DataError::io(&imgs, e))?;
            let path = entry.path();
            let is_mask = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("png"));
            if !path.is_file() || !is_image_file(&path) || is_mask {
                continue;
            }
            let name = entry
                .file_name()
                .into_string()
                .map_err(|_| DataError::format(&path, "file name is not valid UTF-8"))?;
            if !name.starts_with('.') {
                names.push(name);
            }
        }
        names.sort();
        for name in names {
            let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
            let mask = format!("{folder}/Imgs/{stem}.png");
            found.push(MtImage {
                class: class.to_string(),
                image: format!("{folder}/Imgs/{name}"),
                has_mask: root.join(&mask).is_file(),
                mask,
            });
        }
    }
    if found.is_empty() {
        return Err(DataError::NoImages {
            path: root.to_path_buf(),
        });
    }
    Ok(found)
}
