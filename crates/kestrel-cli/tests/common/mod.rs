//! Helpers for running the `kestrel` binary in tests.

#![allow(dead_code)] // each test file uses a different part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// Runs `kestrel` with `args` in `dir`.
pub fn kestrel(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kestrel"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the kestrel binary runs")
}

/// Runs `kestrel` and asserts success, returning stdout.
pub fn ok(dir: &Path, args: &[&str]) -> String {
    let out = kestrel(dir, args);
    assert!(
        out.status.success(),
        "kestrel {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `kestrel`, asserts a non-zero exit, returns stderr.
pub fn fails(dir: &Path, args: &[&str]) -> String {
    let out = kestrel(dir, args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "kestrel {args:?} should have failed; stdout:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.contains("error:"), "no 'error:' line in:\n{stderr}");
    stderr
}

/// A copy of `per_class` images of each class of the bundled fashion-mini dataset,
/// folder per class, in `dir/images`.
pub fn small_image_folder(dir: &Path, per_class: usize) -> PathBuf {
    let src = repo_root().join("examples/fashion-mini");
    let dst = dir.join("images");
    for class in std::fs::read_dir(&src).unwrap() {
        let class = class.unwrap().path();
        if !class.is_dir() {
            continue;
        }
        let target = dst.join(class.file_name().unwrap());
        std::fs::create_dir_all(&target).unwrap();
        let mut files: Vec<_> = std::fs::read_dir(&class)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files.into_iter().take(per_class) {
            std::fs::copy(&f, target.join(f.file_name().unwrap())).unwrap();
        }
    }
    dst
}

/// Writes a dataset (imported from a small image folder and split) and returns its path.
pub fn small_dataset(dir: &Path, per_class: usize) -> PathBuf {
    small_image_folder(dir, per_class);
    let path = dir.join("dataset.json");
    ok(
        dir,
        &[
            "dataset",
            "import",
            "--format",
            "folder",
            "--src",
            "images",
            "--out",
            "dataset.json",
        ],
    );
    ok(
        dir,
        &[
            "dataset",
            "split",
            "dataset.json",
            "--train",
            "60",
            "--val",
            "20",
            "--test",
            "20",
        ],
    );
    path
}

/// The small dataset in `dir` and a compact classifier `m.kmodel` trained on it for one
/// epoch.
pub fn trained_model(dir: &Path) {
    small_dataset(dir, 3);
    ok(
        dir,
        &[
            "train",
            "--dataset",
            "dataset.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
}
