//! Dataset validation: finds every problem of a dataset in one pass.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::dataset::{Dataset, Sample};

/// One problem found in a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Index of the sample in `Dataset::samples`, if the problem concerns one.
    pub sample_index: Option<usize>,
    /// The sample's image id, if the problem concerns a sample.
    pub image_id: Option<u64>,
    /// The image file concerned, if any.
    pub file: Option<PathBuf>,
    /// The dataset field at fault (`image_file_name`, `image_label_id`, `class_ids`, ...).
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem of the dataset as a whole.
    fn dataset(field: &str, message: String) -> Self {
        Problem {
            sample_index: None,
            image_id: None,
            file: None,
            field: field.to_string(),
            message,
        }
    }

    /// A problem of sample `index`, with or without its image file.
    fn sample(
        index: usize,
        sample: &Sample,
        file: Option<PathBuf>,
        field: &str,
        message: String,
    ) -> Self {
        Problem {
            sample_index: Some(index),
            image_id: Some(sample.image_id),
            file,
            field: field.to_string(),
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sample_index {
            Some(i) => write!(f, "sample {i}")?,
            None => write!(f, "dataset")?,
        }
        let mut details = Vec::new();
        if let Some(id) = self.image_id {
            details.push(format!("image_id {id}"));
        }
        if let Some(file) = &self.file {
            details.push(format!("file {}", file.display()));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        write!(f, ", field {}: {}", self.field, self.message)
    }
}

/// The result of [`validate`]: all problems found, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationReport {
    /// Every problem found (dataset-level first, then per sample in sample order).
    pub problems: Vec<Problem>,
    /// Number of samples checked.
    pub num_samples: usize,
}

impl ValidationReport {
    /// Whether no problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_ok() {
            return write!(f, "{} samples checked, no problems", self.num_samples);
        }
        writeln!(
            f,
            "{} samples checked, {} problem(s):",
            self.num_samples,
            self.problems.len()
        )?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Checks a dataset and reports all problems at once.
///
/// Dataset level: no samples, `class_names`/`class_ids` length mismatch, duplicate class
/// ids or names. Per sample: missing label, label not in `class_ids`, duplicate
/// `image_id`, empty file name, missing image file, unreadable or undecodable image
/// header. Image files are checked in parallel.
pub fn validate(ds: &Dataset) -> ValidationReport {
    let mut problems = dataset_problems(ds);
    let per_sample: Vec<Vec<Problem>> = ds
        .samples
        .par_iter()
        .enumerate()
        .map(|(i, s)| file_problems(ds, i, s))
        .collect();
    let mut label_and_id = label_and_id_problems(ds);
    for (i, mut file) in per_sample.into_iter().enumerate() {
        problems.append(&mut file);
        problems.extend(label_and_id.remove(&i).unwrap_or_default());
    }
    ValidationReport {
        problems,
        num_samples: ds.samples.len(),
    }
}

/// Problems of the dataset as a whole.
fn dataset_problems(ds: &Dataset) -> Vec<Problem> {
    let mut problems = Vec::new();
    if ds.samples.is_empty() {
        problems.push(Problem::dataset("samples", "dataset has no samples".into()));
    }
    if ds.class_names.len() != ds.class_ids.len() {
        problems.push(Problem::dataset(
            "class_names",
            format!(
                "{} class names but {} class ids",
                ds.class_names.len(),
                ds.class_ids.len()
            ),
        ));
    }
    let mut seen_ids = HashMap::new();
    for (i, id) in ds.class_ids.iter().enumerate() {
        if let Some(first) = seen_ids.insert(id, i) {
            problems.push(Problem::dataset(
                "class_ids",
                format!("class id {id} appears at positions {first} and {i}"),
            ));
        }
    }
    let mut seen_names = HashMap::new();
    for (i, name) in ds.class_names.iter().enumerate() {
        if let Some(first) = seen_names.insert(name, i) {
            problems.push(Problem::dataset(
                "class_names",
                format!("class name {name:?} appears at positions {first} and {i}"),
            ));
        }
    }
    problems
}

/// Label and duplicate-id problems, keyed by sample index.
fn label_and_id_problems(ds: &Dataset) -> HashMap<usize, Vec<Problem>> {
    let mut out: HashMap<usize, Vec<Problem>> = HashMap::new();
    let mut first_of_id: HashMap<u64, usize> = HashMap::new();
    for (i, s) in ds.samples.iter().enumerate() {
        let file = Some(ds.image_path(s));
        match s.image_label_id {
            None => out.entry(i).or_default().push(Problem::sample(
                i,
                s,
                file.clone(),
                "image_label_id",
                "missing label".into(),
            )),
            Some(label) if ds.class_index(label).is_none() => {
                out.entry(i).or_default().push(Problem::sample(
                    i,
                    s,
                    file.clone(),
                    "image_label_id",
                    format!("label {label} is not one of the class_ids"),
                ))
            }
            Some(_) => {}
        }
        if let Some(first) = first_of_id.get(&s.image_id) {
            out.entry(i).or_default().push(Problem::sample(
                i,
                s,
                file,
                "image_id",
                format!(
                    "duplicate image_id {} (first used by sample {first})",
                    s.image_id
                ),
            ));
        } else {
            first_of_id.insert(s.image_id, i);
        }
    }
    out
}

/// Problems of a sample's image file: empty name, missing file, unreadable header.
fn file_problems(ds: &Dataset, index: usize, s: &Sample) -> Vec<Problem> {
    if s.image_file_name.is_empty() {
        return vec![Problem::sample(
            index,
            s,
            None,
            "image_file_name",
            "empty file name".into(),
        )];
    }
    let path = ds.image_path(s);
    let message = match std::fs::metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "image file not found".to_string(),
        Err(e) => format!("cannot access image file: {e}"),
        Ok(m) if !m.is_file() => "not a regular file".to_string(),
        Ok(_) => match read_dimensions(&path) {
            Ok((w, h)) if w > 0 && h > 0 => return Vec::new(),
            Ok((w, h)) => format!("image has no pixels ({w} x {h})"),
            Err(e) => format!("cannot read image header: {e}"),
        },
    };
    vec![Problem::sample(
        index,
        s,
        Some(path),
        "image_file_name",
        message,
    )]
}

/// Width and height from an image file's header; the format is guessed from the content
/// first, then from the extension.
fn read_dimensions(path: &std::path::Path) -> image::ImageResult<(u32, u32)> {
    image::ImageReader::open(path)?
        .with_guessed_format()?
        .into_dimensions()
}
