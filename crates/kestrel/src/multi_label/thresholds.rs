//! Choosing the per-class confidence thresholds (`min_confidence`) on validation data.

use crate::error::Result;
use crate::loader::Loader;
use crate::method::GradientMethod;
use crate::model::Model;
use crate::multi_label::MultiLabelParams;
use crate::predict::predict_paths;
use kestrel_data::{Dataset, Split};
use kestrel_metrics::best_f1_thresholds;
use std::path::PathBuf;
use std::sync::Arc;

/// Threshold of every class when there is no validation data to choose one.
pub const DEFAULT_THRESHOLD: f32 = 0.5;

/// Sets `min_confidence` when it is unset: per class the threshold that maximises F1 on the
/// dataset's validation split (0.5 for a class without positives there, and for every class
/// when there is no validation split). Returns how the thresholds were chosen.
pub fn calibrate_thresholds(
    model: &mut Model,
    dataset: &Dataset,
    batch_size: usize,
) -> Result<String> {
    let mut section: MultiLabelParams = model.params.section()?;
    if section.min_confidence.is_some() {
        return Ok("min_confidence set by the user".into());
    }
    let Some((method, net)) = model.multi_label() else {
        return Ok(String::new());
    };
    let samples = dataset.samples_in(Split::Validation);
    let classes = method.class_names.len();
    if samples.is_empty() {
        section.min_confidence = Some(vec![DEFAULT_THRESHOLD; classes]);
        model.params.set_section(&section);
        return Ok(format!(
            "{DEFAULT_THRESHOLD} for every class (no validation split)"
        ));
    }
    let targets = samples
        .iter()
        .map(|s| method.encode_target(dataset, s))
        .collect::<Result<Vec<_>>>()?;
    let paths: Vec<PathBuf> = samples.iter().map(|s| dataset.image_path(s)).collect();
    let loader = Loader::plain(model.params.preprocess());
    let scores = predict_paths(&method, net, &loader, Arc::new(paths), batch_size)?;
    section.min_confidence = Some(best_f1_thresholds(&scores, &targets)?);
    model.params.set_section(&section);
    Ok(format!(
        "best F1 per class on {} validation images",
        samples.len()
    ))
}
