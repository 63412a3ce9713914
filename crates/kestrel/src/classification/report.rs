//! Evaluation of a classifier on a dataset split: the measures, the per-image predictions,
//! and the confusion-matrix picture.

use crate::classification::{ClassPrediction, evaluate_predictions};
use crate::error::Result;
use crate::loader::Loader;
use crate::method::{Report, split_inputs};
use crate::model::Model;
use crate::predict::predict_paths;
use kestrel_data::{Dataset, Split};
use kestrel_metrics::{ClassificationEvaluation, plot_confusion_matrix};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The evaluation of a classifier on one split.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// The split evaluated.
    pub split: String,
    /// The measures.
    #[serde(flatten)]
    pub measures: ClassificationEvaluation,
    /// Per image: file, ground truth and prediction.
    pub images: Vec<EvaluatedImage>,
}

/// One evaluated image.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluatedImage {
    /// The image file.
    pub image: PathBuf,
    /// The ground-truth class.
    pub ground_truth: String,
    /// The prediction, best class first.
    #[serde(flatten)]
    pub prediction: ClassPrediction,
}

impl Model {
    /// Evaluates a classifier on the dataset's `split`.
    pub fn evaluate_classification(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Evaluation> {
        let (method, net) = self
            .classifier()
            .ok_or_else(|| self.wrong_method("be evaluated as a classifier"))?;
        let (targets, paths) = split_inputs(&method, dataset, split)?;
        let loader = Loader::plain(self.params.preprocess());
        let predictions =
            predict_paths(&method, net, &loader, Arc::new(paths.clone()), batch_size)?;
        let measures = evaluate_predictions(&method.class_names, &targets, &predictions)?;
        let images = paths
            .into_iter()
            .zip(&targets)
            .zip(predictions)
            .map(|((image, &t), prediction)| EvaluatedImage {
                image,
                ground_truth: method.class_names[t].clone(),
                prediction,
            })
            .collect();
        Ok(Evaluation {
            split: split.to_string(),
            measures,
            images,
        })
    }
}

impl Evaluation {
    /// Writes the JSON (atomically) and, beside it, `<name>.confusion.png`; returns the PNG path.
    pub fn write(&self, json_path: &Path) -> Result<PathBuf> {
        let json = serde_json::to_vec_pretty(self).expect("evaluation serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        let png = json_path.with_extension("confusion.png");
        plot_confusion_matrix(
            &self.measures.confusion_matrix,
            &self.measures.class_names,
            &png,
        )?;
        Ok(png)
    }
}

impl Report for Evaluation {
    fn write(&self, json_path: &Path, _model: &Model) -> Result<Vec<PathBuf>> {
        Ok(vec![Evaluation::write(self, json_path)?])
    }

    fn summary(&self) -> String {
        let m = &self.measures;
        let mut lines = vec![format!(
            "{} images of split {}: top-1 accuracy {:.4} (error {:.4}), macro F1 {:.4}",
            m.num_images,
            self.split,
            1.0 - m.top1_error,
            m.top1_error,
            m.macro_f1
        )];
        for (k, v) in &m.top_k_error {
            if k != "top1" {
                lines.push(format!("  {k} error {v:.4}"));
            }
        }
        lines.push(format!(
            "  {:<20} {:>9} {:>9} {:>9} {:>8}",
            "class", "precision", "recall", "f1", "images"
        ));
        for c in &m.per_class {
            lines.push(format!(
                "  {:<20} {:>9.4} {:>9.4} {:>9.4} {:>8}",
                c.class_name, c.precision, c.recall, c.f1, c.support
            ));
        }
        lines.join("\n")
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
