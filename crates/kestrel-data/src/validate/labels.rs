//! Per-sample label and image-id problems (no file access).

use std::collections::{HashMap, HashSet};

use super::Problem;
use crate::dataset::{Dataset, Sample};

/// The kinds of label a sample can carry, by field name.
const KINDS: [&str; 10] = [
    "image_label_id",
    "image_label_ids",
    "anomaly_label",
    "segmentation_file_name",
    "bbox_label_id",
    "word",
    "words",
    "point_row",
    "grasp_row",
    "gripping_file_name",
];

/// Whether `s` has the label kind `KINDS[k]`.
fn has_kind(s: &Sample, k: usize) -> bool {
    match k {
        0 => s.image_label_id.is_some(),
        1 => s.image_label_ids.is_some(),
        2 => s.anomaly_label.is_some(),
        3 => s.segmentation_file_name.is_some(),
        4 => s.bbox_label_id.is_some(),
        5 => s.word.is_some(),
        6 => s.words.is_some(),
        7 => s.point_row.is_some(),
        8 => s.grasp_row.is_some(),
        _ => s.gripping_file_name.is_some(),
    }
}

/// Label and duplicate-id problems, keyed by sample index.
///
/// A sample lacks a label when no sample has any kind of label, or when it lacks a kind
/// (`image_label_id`, `image_label_ids`, `anomaly_label`, `segmentation_file_name`,
/// `bbox_label_id`, `word`, `words`, `point_row`, `grasp_row`, `gripping_file_name`) that
/// other samples have; a counting
/// sample ([`Sample::is_counting`]) needs no label when no sample has one (example boxes
/// alone). Class ids in `image_label_id` /
/// `image_label_ids` must be `class_ids` (each unknown or repeated one is reported); an
/// `anomaly_file_name` needs an `anomaly_label`.
pub(super) fn label_and_id_problems(ds: &Dataset) -> HashMap<usize, Vec<Problem>> {
    let present: Vec<usize> = (0..KINDS.len())
        .filter(|&k| ds.samples.iter().any(|s| has_kind(s, k)))
        .collect();
    let mut out: HashMap<usize, Vec<Problem>> = HashMap::new();
    let mut first_of_id: HashMap<u64, usize> = HashMap::new();
    for (i, s) in ds.samples.iter().enumerate() {
        let file = Some(ds.image_path(s));
        let mut add = |field: &str, message: String| {
            out.entry(i)
                .or_default()
                .push(Problem::sample(i, s, file.clone(), field, message));
        };
        if present.is_empty() && !s.is_counting() {
            add("image_label_id", "missing label".into());
        }
        for &k in &present {
            if !has_kind(s, k) {
                add(
                    KINDS[k],
                    format!("missing label: other samples have a {}", KINDS[k]),
                );
            }
        }
        if let Some(label) = s.image_label_id
            && ds.class_index(label).is_none()
        {
            add(
                "image_label_id",
                format!("label {label} is not one of the class_ids"),
            );
        }
        if let Some(labels) = &s.image_label_ids {
            let mut seen = HashSet::new();
            for &label in labels {
                if !seen.insert(label) {
                    add("image_label_ids", format!("label {label} is listed twice"));
                } else if ds.class_index(label).is_none() {
                    add(
                        "image_label_ids",
                        format!("label {label} is not one of the class_ids"),
                    );
                }
            }
        }
        // With other samples labelled, a missing anomaly_label is reported above already.
        if s.anomaly_file_name.is_some() && !present.contains(&2) {
            add(
                "anomaly_label",
                "anomaly mask given but no anomaly_label".into(),
            );
        }
        if let Some(first) = first_of_id.get(&s.image_id) {
            add(
                "image_id",
                format!(
                    "duplicate image_id {} (first used by sample {first})",
                    s.image_id
                ),
            );
        } else {
            first_of_id.insert(s.image_id, i);
        }
    }
    out
}
