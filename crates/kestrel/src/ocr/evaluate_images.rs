//! Evaluating a deep-OCR model on whole images with word boxes: detection precision,
//! recall and F1 at rotated IoU 0.5, and end-to-end word accuracy in `auto` mode.

use super::{OcrMode, OcrParams, OcrWord};
use crate::error::{Error, Result};
use crate::method::Report;
use crate::model::Model;
use kestrel_data::{Dataset, Split};
use kestrel_image::read_image;
use kestrel_metrics::{
    OCR_IOU_THRESHOLD, OcrImage, TruthWord, WordDetectionEvaluation,
    evaluate_word_detection,
};
use serde::Serialize;
use std::any::Any;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Wrong readings kept in a report.
const MAX_WORST: usize = 50;

/// Deep OCR's measures on a split of whole images with word boxes.
#[derive(Debug, Clone, Serialize)]
pub struct OcrImagesReport {
    /// The split evaluated.
    pub split: String,
    /// Whether the words were read too (`auto` mode with a recogniser).
    pub read: bool,
    /// Counts, precision, recall, F1, end-to-end accuracy, per image and worst readings.
    #[serde(flatten)]
    pub detection: WordDetectionEvaluation,
    /// Images per second, decoding included.
    pub images_per_second: f64,
}

impl Model {
    /// Finds (and in `auto` mode reads) the words of every image of the dataset's
    /// `split` and compares them with the samples' word boxes.
    pub fn evaluate_ocr_images(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<OcrImagesReport> {
        let section: OcrParams = self.params.section()?;
        let net = self.ocr_net().ok_or_else(|| self.wrong_method("be evaluated as deep OCR"))?;
        let read = section.mode == OcrMode::Auto && net.recognizer.is_some();
        let samples = dataset.samples_in(split);
        if samples.is_empty() {
            return Err(Error::Dataset(format!("split {split} has no samples")));
        }
        let started = Instant::now();
        let mut images = Vec::with_capacity(samples.len());
        for s in &samples {
            let truth = s
                .word_boxes()?
                .into_iter()
                .map(|w| TruthWord {
                    rect: w.rect,
                    text: w.text,
                    dont_care: w.dont_care,
                })
                .collect();
            let path = dataset.image_path(s);
            let result = self.ocr_image(&read_image(&path)?, &path, read, batch_size)?;
            let predictions = result.words.iter().map(OcrWord::prediction).collect();
            images.push(OcrImage { truth, predictions });
        }
        let seconds = started.elapsed().as_secs_f64();
        Ok(OcrImagesReport {
            split: split.to_string(),
            read,
            detection: evaluate_word_detection(&images, OCR_IOU_THRESHOLD, MAX_WORST)?,
            images_per_second: samples.len() as f64 / seconds.max(1e-9),
        })
    }
}

impl Report for OcrImagesReport {
    fn write(&self, json_path: &Path, _model: &Model) -> Result<Vec<PathBuf>> {
        let json = serde_json::to_vec_pretty(self).expect("report serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        Ok(Vec::new())
    }

    fn summary(&self) -> String {
        let d = &self.detection;
        let mut line = format!(
            "{} images of split {}, {} words: detection precision {:.4}, recall {:.4}, F1 {:.4} (rotated IoU {})",
            d.num_images, self.split, d.num_truth, d.precision, d.recall, d.f1, d.iou_threshold
        );
        if let Some(e2e) = d.end_to_end_accuracy {
            line.push_str(&format!("; end-to-end word accuracy {e2e:.4}"));
        }
        line.push_str(&format!("; {:.2} images/s", self.images_per_second));
        line
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
