//! Atomic file writing: a temporary file next to the target, flushed to disk, then renamed
//! over it.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` so that readers see either the old or the new content, never
/// a part: the bytes go to a hidden temporary file (`.kestrel-XXXXXX.tmp`) in the same
/// folder (so the rename stays on one file system), are flushed to disk (`fsync`), and the
/// file is renamed over `path`, replacing any file there. Missing parent folders are
/// created first, as the commands that write results do for their output folder. The new
/// file gets the permissions a newly created file gets (as `File::create`).
///
/// On any failure (the disk full while writing, the rename refused because `path` is a
/// folder, ...) the temporary file is removed before the error is returned; only a killed
/// process can leave one behind. Fails when `path` has no file name, a folder on the way
/// cannot be created or written to, or the disk fails. The error is the operating
/// system's, to be paired with `path` by the caller; where a folder is at fault, its
/// message names the folder (never the temporary file).
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
    std::fs::create_dir_all(dir).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot create folder {}: {e}", dir.display()),
        )
    })?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kestrel-").suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // 0o666 less the umask, as for `File::create` (tempfile's default is 0o600).
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // tempfile's own messages name the temporary file; this one names the folder.
    let mut file = builder.tempfile_in(dir).map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!(
                "cannot create a file in folder {}: {}",
                dir.display(),
                e.kind()
            ),
        )
    })?;
    // From here on, returning drops `file` (a `NamedTempFile`), which deletes the
    // temporary file; the plain `File` is written so errors are the system's own.
    file.as_file_mut().write_all(bytes)?;
    file.as_file().sync_all()?;
    // A failed rename hands the temporary file back inside the error; dropping it there
    // deletes it.
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_and_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["a.txt"]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            let plain = dir.path().join("b.txt");
            std::fs::write(&plain, b"").unwrap();
            let expected = std::fs::metadata(&plain).unwrap().permissions().mode();
            assert_eq!(mode, expected);
        }
        assert!(write_atomic(Path::new("/"), b"x").is_err());
        assert_eq!(names(dir.path()), ["a.txt", "b.txt"]);
    }

    #[test]
    fn missing_folders_are_created() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/deeper/a.txt");
        write_atomic(&path, b"x").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"x");
        assert_eq!(names(&dir.path().join("new/deeper")), ["a.txt"]);
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        // The target is a folder that is not empty: no file can be renamed over it.
        let target = dir.path().join("out");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside.txt"), b"kept").unwrap();
        assert!(write_atomic(&target, b"new").is_err());
        assert_eq!(names(dir.path()), ["out"]);
        assert_eq!(names(&target), ["inside.txt"]);
    }

    #[test]
    fn a_folder_that_cannot_be_created_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("file");
        std::fs::write(&file, b"").unwrap();
        let err = write_atomic(&file.join("a.txt"), b"x").unwrap_err();
        let message = err.to_string();
        let expected = format!("cannot create folder {}: ", file.display());
        assert!(message.starts_with(&expected), "{message}");
        assert!(!message.contains(".kestrel-"), "{message}");
        assert_eq!(names(dir.path()), ["file"]);
    }
}
