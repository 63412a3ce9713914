//! The output policy of the commands that write a result file: never one of the command's
//! own inputs, and an existing file only with `--force`.

use anyhow::{Result, bail};
use std::path::Path;

/// Checks that `out` may be written by a command reading `inputs`: it must not be one of
/// them (whatever `force` says), and must not exist unless `force`.
pub fn check_output(out: &Path, force: bool, inputs: &[&Path]) -> Result<()> {
    if !out.exists() {
        return Ok(());
    }
    if let Ok(target) = out.canonicalize() {
        for input in inputs {
            if input.canonicalize().is_ok_and(|i| i == target) {
                bail!(
                    "--out {} is one of the command's inputs; it is never overwritten (choose \
                     another --out)",
                    out.display()
                );
            }
        }
    }
    if !out.is_file() {
        bail!("--out {} exists and is not a file", out.display());
    }
    if !force {
        bail!(
            "{} already exists (pass --force to replace it)",
            out.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_inputs_always_and_existing_files_without_force() {
        let tmp = tempfile::tempdir().unwrap();
        let input = tmp.path().join("model.kmodel");
        std::fs::write(&input, b"x").unwrap();
        let same = tmp.path().join("./model.kmodel");
        assert!(check_output(&same, true, &[&input]).is_err());
        let other = tmp.path().join("result.json");
        assert!(check_output(&other, false, &[&input]).is_ok());
        std::fs::write(&other, b"{}").unwrap();
        let message = check_output(&other, false, &[&input])
            .unwrap_err()
            .to_string();
        assert!(message.contains("--force"), "{message}");
        assert!(check_output(&other, true, &[&input]).is_ok());
        assert!(check_output(tmp.path(), true, &[]).is_err());
    }
}
