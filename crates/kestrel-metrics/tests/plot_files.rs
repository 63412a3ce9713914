//! Plot files are written atomically: missing folders are created, and a write that fails
//! names the plot file and leaves no temporary file behind.

use std::path::Path;

use kestrel_metrics::{MetricsError, plot_confusion_matrix};

/// The names in `dir`, sorted.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Plots a one-class confusion matrix to `path`.
fn plot(path: &Path) -> Result<(), MetricsError> {
    plot_confusion_matrix(&[vec![1]], &["c".to_string()], path)
}

#[test]
fn missing_folders_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run/plots/cm.png");
    plot(&path).unwrap();
    assert!(image::open(&path).is_ok());
    assert_eq!(files_in(&dir.path().join("run/plots")), ["cm.png"]);
}

#[test]
fn a_failed_write_names_the_file_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    // The target is a folder that is not empty: the final rename must fail.
    let target = dir.path().join("cm.png");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("kept.txt"), b"kept").unwrap();
    let err = plot(&target).unwrap_err();
    assert!(matches!(err, MetricsError::Write { .. }), "{err:?}");
    let message = err.to_string();
    let expected = format!("cannot write {}: ", target.display());
    assert!(message.starts_with(&expected), "{message}");
    assert_eq!(files_in(dir.path()), ["cm.png"]);
    assert_eq!(files_in(&target), ["kept.txt"]);

    // A folder on the way that is a file: the error names the plot and that folder.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"").unwrap();
    let path = blocker.join("cm.png");
    let message = plot(&path).unwrap_err().to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    let folder = format!("cannot create folder {}", blocker.display());
    assert!(message.contains(&folder), "{message}");
    assert_eq!(files_in(dir.path()), ["blocker", "cm.png"]);
}
