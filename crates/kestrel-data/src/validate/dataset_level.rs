//! Problems of the dataset as a whole: classes and class-id lists.

use std::collections::HashMap;

use super::Problem;
use crate::dataset::Dataset;

/// No samples, `class_names`/`class_ids` length mismatch, duplicate class ids or names,
/// and `ignore_class_ids` / `class_ids_background` entries that are not class ids.
pub(super) fn dataset_problems(ds: &Dataset) -> Vec<Problem> {
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
    for (field, ids) in [
        ("ignore_class_ids", &ds.ignore_class_ids),
        ("class_ids_background", &ds.class_ids_background),
    ] {
        for &id in ids {
            if ds.class_index(id).is_none() {
                problems.push(Problem::dataset(
                    field,
                    format!("class id {id} is not one of the class_ids"),
                ));
            }
        }
    }
    problems
}
