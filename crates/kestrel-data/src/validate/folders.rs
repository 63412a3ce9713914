//! Folders that hold a dataset's files (`image_dir`, `anomaly_dir`, `segmentation_dir`):
//! one that is missing is reported once, naming the folder, the field and how many
//! samples it concerns, instead of one "not found" per file in it.

use std::path::{Path, PathBuf};

use super::Problem;
use crate::dataset::{Dataset, Sample};

/// The file-name fields of a sample, each resolved against one of the dataset's folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileField {
    /// `image_file_name`, in `image_dir`.
    Image,
    /// `anomaly_file_name`, in `anomaly_dir` (else `image_dir`).
    Anomaly,
    /// `segmentation_file_name`, in `segmentation_dir` (else `image_dir`).
    Segmentation,
    /// `depth_file_name`, in `image_dir`.
    Depth,
    /// `gripping_file_name`, in `image_dir`.
    Gripping,
}

impl FileField {
    /// Every file-name field.
    pub(super) const ALL: [FileField; 5] = [
        FileField::Image,
        FileField::Anomaly,
        FileField::Segmentation,
        FileField::Depth,
        FileField::Gripping,
    ];

    /// The field's name in the dataset file.
    pub(super) fn name(self) -> &'static str {
        match self {
            FileField::Image => "image_file_name",
            FileField::Anomaly => "anomaly_file_name",
            FileField::Segmentation => "segmentation_file_name",
            FileField::Depth => "depth_file_name",
            FileField::Gripping => "gripping_file_name",
        }
    }

    /// The sample's file name in this field, if set.
    pub(super) fn of(self, s: &Sample) -> Option<&str> {
        match self {
            FileField::Image => Some(&s.image_file_name),
            FileField::Anomaly => s.anomaly_file_name.as_deref(),
            FileField::Segmentation => s.segmentation_file_name.as_deref(),
            FileField::Depth => s.depth_file_name.as_deref(),
            FileField::Gripping => s.gripping_file_name.as_deref(),
        }
    }

    /// Where the dataset reads the sample's file in this field from, if it has one.
    pub(super) fn path(self, ds: &Dataset, s: &Sample) -> Option<PathBuf> {
        match self {
            FileField::Image => Some(ds.image_path(s)),
            FileField::Anomaly => ds.anomaly_path(s),
            FileField::Segmentation => ds.segmentation_path(s),
            FileField::Depth => ds.depth_path(s),
            FileField::Gripping => ds.gripping_path(s),
        }
    }

    /// The folder field this file name is relative to, in `ds`.
    pub(super) fn folder(self, ds: &Dataset) -> Folder {
        match self {
            FileField::Anomaly if ds.anomaly_dir.is_some() => Folder::Anomaly,
            FileField::Segmentation if ds.segmentation_dir.is_some() => Folder::Segmentation,
            _ => Folder::Image,
        }
    }
}

/// A folder field of the dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Folder {
    /// `image_dir`.
    Image,
    /// `anomaly_dir`.
    Anomaly,
    /// `segmentation_dir`.
    Segmentation,
}

impl Folder {
    /// The field's name in the dataset file.
    pub(super) fn name(self) -> &'static str {
        match self {
            Folder::Image => "image_dir",
            Folder::Anomaly => "anomaly_dir",
            Folder::Segmentation => "segmentation_dir",
        }
    }

    /// The folder as the dataset resolves it (`base_dir` joined with the field).
    pub(super) fn path(self, ds: &Dataset) -> PathBuf {
        let dir = match self {
            Folder::Image => Some(ds.image_dir.as_str()),
            Folder::Anomaly => ds.anomaly_dir.as_deref(),
            Folder::Segmentation => ds.segmentation_dir.as_deref(),
        };
        ds.base_dir.join(dir.unwrap_or(&ds.image_dir))
    }
}

/// The dataset's folders that cannot be listed (missing, not a folder, inaccessible), each
/// with the reason. Files in them are not checked one by one.
#[derive(Debug, Default)]
pub(super) struct MissingFolders {
    missing: Vec<(Folder, PathBuf, String)>,
}

impl MissingFolders {
    /// Looks at each folder field `ds` uses (`image_dir`, and `anomaly_dir` and
    /// `segmentation_dir` when set).
    pub(super) fn find(ds: &Dataset) -> Self {
        let mut folders = vec![Folder::Image];
        if ds.anomaly_dir.is_some() {
            folders.push(Folder::Anomaly);
        }
        if ds.segmentation_dir.is_some() {
            folders.push(Folder::Segmentation);
        }
        let missing = folders
            .into_iter()
            .filter_map(|folder| {
                let path = folder.path(ds);
                folder_problem(&path).map(|why| (folder, path, why))
            })
            .collect();
        MissingFolders { missing }
    }

    /// Whether the file `field` of sample `s` lies in a missing folder (a non-empty
    /// relative name): its problem is the folder's, reported once by [`Self::problems`].
    pub(super) fn covers(&self, ds: &Dataset, s: &Sample, field: FileField) -> bool {
        let Some(name) = field.of(s) else {
            return false;
        };
        if name.is_empty() || Path::new(name).is_absolute() {
            return false;
        }
        let folder = field.folder(ds);
        self.missing.iter().any(|(f, _, _)| *f == folder)
    }

    /// One problem per missing folder, naming the folder, its field and the number of
    /// samples with a file in it.
    pub(super) fn problems(&self, ds: &Dataset) -> Vec<Problem> {
        self.missing
            .iter()
            .map(|(folder, path, why)| {
                let samples = ds
                    .samples
                    .iter()
                    .filter(|s| {
                        FileField::ALL
                            .iter()
                            .any(|&f| f.folder(ds) == *folder && self.covers(ds, s, f))
                    })
                    .count();
                let mut p = Problem::dataset(
                    folder.name(),
                    format!(
                        "{why}; the files of {samples} sample(s) in it are not checked one by one"
                    ),
                );
                p.file = Some(path.clone());
                p
            })
            .collect()
    }
}

/// Why the folder `path` cannot hold files, if it cannot (an empty path is the current
/// folder).
fn folder_problem(path: &Path) -> Option<String> {
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some("folder not found".into()),
        Err(e) => Some(format!("cannot access folder: {e}")),
        Ok(m) if !m.is_dir() => Some("not a folder".into()),
        Ok(_) => None,
    }
}
