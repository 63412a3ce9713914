//! Evaluation of a model on a dataset split: the method's measures as JSON-ready values,
//! the per-image predictions, and the pictures.

use crate::classification::{ClassPrediction, evaluate_predictions};
use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::method::split_inputs;
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
    /// Evaluates the model on the dataset's `split`.
    pub fn evaluate(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Evaluation> {
        let (method, net) = self.classifier().ok_or_else(|| {
            Error::Dataset(format!(
                "cannot evaluate a {} model",
                self.params.model_type
            ))
        })?;
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
