//! Reading a user's file whole, refusing what is not a regular file.

use std::io::{self, Read};
use std::path::Path;

/// Reads the regular file `path` whole.
///
/// Anything else is refused with [`io::ErrorKind::InvalidInput`] ("not a regular file")
/// before it is opened: a named pipe would block until a writer comes, a device such as
/// `/dev/zero` never ends (reading it would fill the memory), a folder cannot be read.
pub fn read_regular(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_regular`] for a UTF-8 text file (an error of kind
/// [`io::ErrorKind::InvalidData`] when it is not UTF-8).
pub fn read_regular_to_string(path: &Path) -> io::Result<String> {
    let mut file = open_regular(path)?;
    let mut text = String::new();
    file.read_to_string(&mut text)?;
    Ok(text)
}

/// Opens `path` after checking that it is a regular file (checked again on the open file).
fn open_regular(path: &Path) -> io::Result<std::fs::File> {
    let not_regular = || io::Error::new(io::ErrorKind::InvalidInput, "not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_are_read_and_others_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "héllo").unwrap();
        assert_eq!(read_regular(&path).unwrap(), "héllo".as_bytes());
        assert_eq!(read_regular_to_string(&path).unwrap(), "héllo");
        std::fs::write(&path, [0xff, 0xfe]).unwrap();
        let err = read_regular_to_string(&path).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let err = read_regular(dir.path()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("not a regular file"));
        let missing = read_regular(&dir.path().join("missing")).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
    }

    #[cfg(unix)]
    #[test]
    fn an_endless_device_is_refused_at_once() {
        // Before: reading /dev/zero as a dataset or label file grew until memory ran out.
        let err = read_regular(Path::new("/dev/zero")).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    }
}
