//! Evaluating a deep-OCR model's recogniser on the word crops of a dataset split.

use crate::error::{Error, Result};
use crate::method::Report;
use crate::model::Model;
use kestrel_data::{Dataset, Split};
use kestrel_image::read_image;
use kestrel_metrics::{
    RecognitionEvaluation, WorstWordRow, evaluate_recognition, plot_worst_words,
};
use serde::Serialize;
use std::any::Any;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Wrong readings kept in a report.
const MAX_WORST: usize = 50;

/// Deep OCR's measures on a split of word crops.
#[derive(Debug, Clone, Serialize)]
pub struct OcrReport {
    /// The split evaluated.
    pub split: String,
    /// Word accuracy (exact and IIIT5K-normalised), character error rate, worst readings
    /// (their `sample` is the index among the split's crops).
    #[serde(flatten)]
    pub recognition: RecognitionEvaluation,
    /// Crops read per second, preprocessing included.
    pub words_per_second: f64,
    /// The split's crops, in the order `recognition.worst[..].sample` counts them.
    #[serde(skip)]
    pub crops: Vec<PathBuf>,
}

impl Model {
    /// Reads every word crop of the dataset's `split` (samples with a `word`) and compares
    /// with the truth.
    pub fn evaluate_ocr(&self, dataset: &Dataset, split: Split, batch_size: usize) -> Result<OcrReport> {
        let samples = dataset.samples_in(split);
        let mut truth = Vec::new();
        let mut paths = Vec::new();
        for s in &samples {
            match &s.word {
                Some(word) => {
                    truth.push(word.clone());
                    paths.push(dataset.image_path(s));
                }
                None => {
                    return Err(Error::Dataset(format!(
                        "sample {} ({}) of split {split} has no word: deep OCR evaluates word crops",
                        s.image_id, s.image_file_name
                    )));
                }
            }
        }
        if paths.is_empty() {
            return Err(Error::Dataset(format!("split {split} has no samples")));
        }
        let start = Instant::now();
        let read = self.read_words(&paths, batch_size)?;
        let seconds = start.elapsed().as_secs_f64();
        let words: Vec<&str> = read.iter().map(|w| w.word.as_str()).collect();
        let recognition = evaluate_recognition(&truth, &words, MAX_WORST)?;
        Ok(OcrReport {
            split: split.to_string(),
            recognition,
            words_per_second: paths.len() as f64 / seconds.max(1e-9),
            crops: paths,
        })
    }
}

impl Report for OcrReport {
    /// Writes the JSON and, beside it, `<name>.worst_words.png`: the worst readings' crops
    /// with their truth and what was read.
    fn write(&self, json_path: &Path, _model: &Model) -> Result<Vec<PathBuf>> {
        let json = serde_json::to_vec_pretty(self).expect("report serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        let rows = self
            .recognition
            .worst
            .iter()
            .map(|w| {
                let crop = read_image(&self.crops[w.sample])?.to_rgb8();
                Ok(WorstWordRow::from_recognition(w, crop))
            })
            .collect::<Result<Vec<_>>>()?;
        let picture = json_path.with_extension("worst_words.png");
        plot_worst_words(&rows, &picture)?;
        Ok(vec![picture])
    }

    fn summary(&self) -> String {
        let r = &self.recognition;
        format!(
            "{} words of split {}: word accuracy {:.4} (case-insensitive letters and digits {:.4}), \
             character error rate {:.4}; {:.1} words/s",
            r.num_words,
            self.split,
            r.word_accuracy,
            r.word_accuracy_normalized,
            r.character_error_rate,
            self.words_per_second
        )
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
