//! Atomic file writing: a temporary file next to the target, flushed to disk, then renamed
//! over it.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` so that readers see either the old or the new content, never
/// a part: the bytes go to a temporary file in the same folder (so the rename stays on one
/// file system), are flushed to disk (`fsync`), and the file is renamed over `path`,
/// replacing any file there. The temporary file is removed if anything fails. The new
/// file gets the permissions a newly created file gets (as `File::create`).
///
/// Fails when `path` has no file name, its folder does not exist or is not writable, or
/// the disk fails; the error is the operating system's, to be paired with `path` by the
/// caller.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if path.file_name().is_none() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file path",
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kestrel-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // 0o666 less the umask, as for `File::create` (tempfile's default is 0o600).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut file = builder.tempfile_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            let plain = dir.path().join("b.txt");
            std::fs::write(&plain, b"").unwrap();
            let expected = std::fs::metadata(&plain).unwrap().permissions().mode();
            assert_eq!(mode, expected);
        }
        assert!(write_atomic(&dir.path().join("missing/a.txt"), b"x").is_err());
        assert!(write_atomic(Path::new("/"), b"x").is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
