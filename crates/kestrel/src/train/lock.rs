//! One training run per output model at a time: the run holds an exclusive lock on a file
//! in its run folder while it trains. The operating system releases the lock when the
//! process ends in any way (even SIGKILL), so a stale lock never blocks a later run.

use crate::error::{Error, Result, io_error};
use std::fs::{File, TryLockError};
use std::path::PathBuf;

/// The lock of a run folder, released when dropped. A folder that held nothing but the
/// lock (a model fitted in one pass writes no checkpoint) is removed again.
#[derive(Debug)]
pub struct RunLock {
    file: Option<File>,
    path: PathBuf,
}

impl RunLock {
    /// Locks `<dir>/lock`, creating the folder; fails with [`Error::Locked`] when another
    /// process holds it.
    pub fn acquire(dir: PathBuf) -> Result<RunLock> {
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        let path = dir.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_error(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock {
                file: Some(file),
                path,
            }),
            Err(TryLockError::WouldBlock) => Err(Error::Locked { path }),
            Err(TryLockError::Error(e)) => Err(io_error(&path)(e)),
        }
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Removed while still locked, so no other run can take the lock of a file that is
        // about to disappear.
        if let Some(dir) = self.path.parent() {
            let only_lock = std::fs::read_dir(dir)
                .map(|entries| entries.flatten().all(|e| e.path() == self.path))
                .unwrap_or(false);
            if only_lock {
                // Best effort: a folder that cannot be removed is harmless.
                let _ = std::fs::remove_file(&self.path);
                let _ = std::fs::remove_dir(dir);
            }
        }
        drop(self.file.take());
    }
}
