//! File names that climb out of their folder with `..` (a warning).
//!
//! Such a name is not forbidden: `depth_file_name` and `gripping_file_name` have no folder
//! field of their own, so `../depth/x.png` is the only relative way to reach a folder next
//! to `image_dir`, and `dataset import --format counting-json` keeps the list's image paths
//! (relative to the list's folder) as written. Kestrel only reads through these names,
//! never writes, so such a file is no more reachable than through an absolute name, which
//! is allowed. The warning makes the file's real place visible.

use std::path::{Component, Path};

use super::Problem;
use super::folders::FileField;
use crate::dataset::{Dataset, Sample};

/// A warning per file-name field of sample `index` whose relative name leaves its folder
/// with `..` (e.g. `../x.png`, `a/../../x.png`); absolute names are not concerned.
pub(super) fn escape_problems(ds: &Dataset, index: usize, s: &Sample) -> Vec<Problem> {
    FileField::ALL
        .iter()
        .filter_map(|&field| {
            let name = field.of(s)?;
            if !climbs_out(name) {
                return None;
            }
            let message = format!(
                "file name {name:?} climbs out of its folder ({}) with \"..\"; \
                 the file is read from outside it",
                field.folder(ds).name()
            );
            let p = Problem::sample(index, s, field.path(ds, s), field.name(), message);
            Some(p.into_warning())
        })
        .collect()
}

/// Whether the relative path `name` reaches above its starting folder at some point.
pub(crate) fn climbs_out(name: &str) -> bool {
    let mut depth: i64 = 0;
    for component in Path::new(name).components() {
        match component {
            Component::Normal(_) => depth += 1,
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::climbs_out;

    #[test]
    fn only_names_that_reach_above_their_folder_climb_out() {
        for name in [
            "../x.png",
            "a/../../x.png",
            "./../x",
            "..",
            "a/b/../../../c",
        ] {
            assert!(climbs_out(name), "{name}");
        }
        for name in [
            "x.png",
            "a/../x.png",
            "a/b/../c",
            "./x",
            "/abs/../x",
            "..x/y",
            "a/..",
        ] {
            assert!(!climbs_out(name), "{name}");
        }
    }
}
