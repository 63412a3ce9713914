//! Reading the UTF-8 text files of the line-based importers.

use std::path::Path;

use crate::error::DataError;

/// The content of a UTF-8 text file, without a leading byte-order mark.
///
/// A file that is not valid UTF-8 is a [`DataError::Format`] naming the line of the first
/// invalid byte.
pub(crate) fn read_text(path: &Path) -> Result<String, DataError> {
    let bytes = kestrel_geom::read_regular(path).map_err(|e| DataError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let line = 1 + e.as_bytes()[..valid]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        DataError::format(path, format!("line {line}: not valid UTF-8"))
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

/// A problem with line `line` (1-based) of `path`.
pub(crate) fn line_error(path: &Path, line: usize, message: impl std::fmt::Display) -> DataError {
    DataError::format(path, format!("line {line}: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_dropped_and_bad_bytes_name_their_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "\u{feff}x y\n").unwrap();
        assert_eq!(read_text(&path).unwrap(), "x y\n");
        std::fs::write(&path, b"ok\nbad \xff\n").unwrap();
        let e = read_text(&path).unwrap_err().to_string();
        assert!(e.ends_with("a.txt: line 2: not valid UTF-8"), "{e}");
    }
}
