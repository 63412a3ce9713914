//! Class-name lists (one name per line, as torchvision's `imagenet_classes.txt`).

use crate::error::{Result, io_error};
use std::path::Path;

/// Reads one class name per line (blank lines skipped). Names that occur more than once
/// (ImageNet has two `crane`s and two `maillot`s) get their index appended, `crane (517)`,
/// so every class has a unique name.
pub fn read_class_names(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(io_error(path))?;
    let names: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    Ok(make_unique(names))
}

fn make_unique(names: Vec<String>) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            if names.iter().filter(|m| *m == n).count() > 1 {
                format!("{n} ({i})")
            } else {
                n.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn duplicates_get_their_index() {
        let names = super::make_unique(vec!["crane".into(), "cat".into(), "crane".into()]);
        assert_eq!(names, ["crane (0)", "cat", "crane (2)"]);
    }
}
