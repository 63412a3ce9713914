//! Evaluating a multi-label classifier, next to the training-frequency baseline.

use crate::error::{Error, Result};
use crate::method::GradientMethod;
use crate::model::Model;
use kestrel_data::{Dataset, Split};
use kestrel_metrics::{MultiLabelEvaluation, evaluate_multilabel};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The evaluation of a multi-label model on one split.
#[derive(Debug, Clone, Serialize)]
pub struct MultiLabelEvaluationReport {
    /// The split evaluated.
    pub split: String,
    /// The model's measures at its thresholds.
    #[serde(flatten)]
    pub measures: MultiLabelEvaluation,
    /// The baseline that gives every image each class's frequency in the train split as its
    /// confidence and predicts every class (the best F1 a constant prediction reaches).
    pub frequency_baseline: MultiLabelEvaluation,
    /// Per image: truth, prediction, confidences.
    pub images: Vec<MultiLabelImage>,
}

/// One evaluated image.
#[derive(Debug, Clone, Serialize)]
pub struct MultiLabelImage {
    /// The image file.
    pub image: PathBuf,
    /// The classes it shows.
    pub ground_truth: Vec<String>,
    /// The classes predicted.
    pub predicted: Vec<String>,
    /// Confidence per class, in the model's class order.
    pub confidences: Vec<f32>,
}

impl Model {
    /// Evaluates a multi-label model on the dataset's `split`.
    pub fn evaluate_multi_label(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<MultiLabelEvaluationReport> {
        let (method, _) = self
            .multi_label()
            .ok_or_else(|| self.wrong_method("be evaluated as a multi-label classifier"))?;
        let encode = |split| {
            dataset
                .samples_in(split)
                .iter()
                .map(|s| method.encode_target(dataset, s))
                .collect::<Result<Vec<_>>>()
        };
        let samples = dataset.samples_in(split);
        if samples.is_empty() {
            return Err(Error::Dataset(format!(
                "the dataset has no samples with split \"{split}\""
            )));
        }
        let truth = encode(split)?;
        let paths: Vec<PathBuf> = samples.iter().map(|s| dataset.image_path(s)).collect();
        let scores = self.label_confidences(&paths, batch_size)?;
        let thresholds = self.label_thresholds()?;
        let names = &method.class_names;
        let measures = evaluate_multilabel(names, &scores, &truth, &thresholds)?;

        let train = encode(Split::Train)?;
        let frequency: Vec<f32> = (0..names.len())
            .map(|c| train.iter().filter(|t| t[c]).count() as f32 / train.len().max(1) as f32)
            .collect();
        let constant = vec![frequency.clone(); truth.len()];
        let frequency_baseline = evaluate_multilabel(names, &constant, &truth, &frequency)?;

        let pick = |row: &[bool]| -> Vec<String> {
            (0..row.len())
                .filter(|&c| row[c])
                .map(|c| names[c].clone())
                .collect()
        };
        let images = paths
            .into_iter()
            .zip(&truth)
            .zip(scores)
            .map(|((image, t), confidences)| {
                let predicted: Vec<bool> = confidences
                    .iter()
                    .zip(&thresholds)
                    .map(|(s, th)| s >= th)
                    .collect();
                MultiLabelImage {
                    image,
                    ground_truth: pick(t),
                    predicted: pick(&predicted),
                    confidences,
                }
            })
            .collect();
        Ok(MultiLabelEvaluationReport {
            split: split.to_string(),
            measures,
            frequency_baseline,
            images,
        })
    }
}

impl MultiLabelEvaluationReport {
    /// Writes the report as JSON, atomically.
    pub fn write(&self, json_path: &Path) -> Result<()> {
        let json = serde_json::to_vec_pretty(self).expect("evaluation serialises");
        crate::model_file::write_atomic(json_path, &json)
    }
}

impl crate::method::Report for MultiLabelEvaluationReport {
    fn write(&self, json_path: &Path, _model: &Model) -> Result<Vec<PathBuf>> {
        MultiLabelEvaluationReport::write(self, json_path)?;
        Ok(Vec::new())
    }

    fn summary(&self) -> String {
        let m = &self.measures;
        let b = &self.frequency_baseline;
        let mut lines = vec![
            format!("{} images of split {}", m.num_samples, self.split),
            format!(
                "  mean AP {:.4} (baseline {:.4}), macro F1 {:.4} (baseline {:.4}), micro F1 {:.4}",
                m.mean_average_precision.unwrap_or(f64::NAN),
                b.mean_average_precision.unwrap_or(f64::NAN),
                m.macro_f1,
                b.macro_f1,
                m.micro_f1
            ),
            format!(
                "  exact match {:.4}, Hamming loss {:.4}",
                m.exact_match_ratio, m.hamming_loss
            ),
            format!(
                "  {:<20} {:>9} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6} {:>6}",
                "class", "AP", "precision", "recall", "f1", "TP", "FP", "FN", "TN"
            ),
        ];
        for c in &m.per_class {
            lines.push(format!(
                "  {:<20} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>6} {:>6} {:>6} {:>6}",
                c.class_name,
                c.average_precision.unwrap_or(f64::NAN),
                c.precision,
                c.recall,
                c.f1,
                c.tp,
                c.fp,
                c.fn_,
                c.tn
            ));
        }
        lines.join("\n")
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
