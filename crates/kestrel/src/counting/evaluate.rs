//! Evaluating deep counting on a dataset split: each image counted with its own example
//! boxes (or, without any, the model's prepared examples) and compared with its true
//! object positions.

use crate::counting::examples::ExampleImage;
use crate::counting::pictures::{FOUND, MISSED, Mark, WRONG, marks_picture, score_picture};
use crate::counting::result::CountResult;
use crate::error::{Error, Result};
use crate::method::{Report, picture_stem};
use crate::model::Model;
use kestrel_data::{Dataset, Split};
use kestrel_image::{read_image, save_png};
use kestrel_metrics::{CountingEvaluation, CountingImage, evaluate_counting, match_points};
use serde::Serialize;
use std::any::Any;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Images drawn by [`Report::write`]: those with the largest relative count errors.
const PICTURES: usize = 16;

/// One evaluated image, for the report's list and pictures.
#[derive(Debug, Clone, Serialize)]
pub struct CountedImage {
    /// The image file.
    pub image: PathBuf,
    /// Whether the image's own example boxes were used (else the model's).
    pub own_examples: bool,
    /// The true positions `(row, col)`.
    #[serde(skip)]
    pub truth: Vec<(f64, f64)>,
    /// What was found.
    #[serde(skip)]
    pub result: CountResult,
    /// The examples' mean size `(width, height)`, image pixels.
    #[serde(skip)]
    pub example_size: (f64, f64),
}

/// Deep counting's measures on a dataset split.
#[derive(Debug, Clone, Serialize)]
pub struct CountingReport {
    /// The split evaluated.
    pub split: String,
    /// MAE, RMSE, relative MAE and position precision/recall/F1, overall and per image
    /// (`per_image` is parallel to `images`).
    #[serde(flatten)]
    pub evaluation: CountingEvaluation,
    /// The images, in the order of `per_image`.
    pub images: Vec<CountedImage>,
    /// Images counted per second (decoding included, preparing the examples of each image
    /// included).
    pub images_per_second: f64,
}

impl Model {
    /// Counts the objects in every image of the dataset's `split` and compares with the
    /// truth (`point_row`/`point_col`, or the centres of `bbox_*` boxes). A true position
    /// matches a found one within half the examples' mean size.
    pub fn evaluate_counting(&self, dataset: &Dataset, split: Split) -> Result<CountingReport> {
        let samples = dataset.samples_in(split);
        if samples.is_empty() {
            return Err(Error::Dataset(format!("split {split} has no samples")));
        }
        let stored = self.stored_examples();
        let start = Instant::now();
        let mut images = Vec::with_capacity(samples.len());
        let mut inputs = Vec::with_capacity(samples.len());
        for sample in samples {
            let path = dataset.image_path(sample);
            let name = |e: &dyn std::fmt::Display| {
                Error::Dataset(format!("sample {} ({}): {e}", sample.image_id, sample.image_file_name))
            };
            let truth = sample.count_points().map_err(|e| name(&e))?;
            let boxes = sample.exemplar_boxes().map_err(|e| name(&e))?;
            let image = read_image(&path)?;
            let own = !boxes.is_empty();
            let examples = if own {
                self.prepare_examples(&[ExampleImage { image: &image, path: &path, boxes: &boxes }])?
            } else {
                match &stored {
                    Ok(examples) => examples.clone(),
                    Err(e) => return Err(name(&format!("no example boxes, and {e}"))),
                }
            };
            let result = self.count_objects(&image, &path, &examples)?;
            let radius = (examples.width + examples.height) / 4.0;
            inputs.push(CountingImage {
                truth: truth.clone(),
                predicted: result.objects.iter().map(|o| (o.row, o.column)).collect(),
                predicted_count: result.count as f64,
                match_radius: radius,
            });
            images.push(CountedImage {
                image: path,
                own_examples: own,
                truth,
                result,
                example_size: (examples.width, examples.height),
            });
        }
        let seconds = start.elapsed().as_secs_f64();
        let evaluation = evaluate_counting(&inputs).map_err(|e| Error::Dataset(e.to_string()))?;
        Ok(CountingReport {
            split: split.to_string(),
            evaluation,
            images_per_second: images.len() as f64 / seconds.max(1e-9),
            images,
        })
    }
}

impl CountedImage {
    /// The marks of a comparison with the truth: found and matched, found but wrong, and
    /// missed (a box of the examples' size around the true position).
    fn marks(&self) -> Vec<Mark> {
        let found: Vec<(f64, f64)> = self.result.objects.iter().map(|o| (o.row, o.column)).collect();
        let (w, h) = self.example_size;
        let pairs = match_points(&self.truth, &found, (w + h) / 4.0);
        let mut matched_truth = vec![false; self.truth.len()];
        let mut matched_found = vec![false; found.len()];
        for (t, f) in pairs {
            matched_truth[t] = true;
            matched_found[f] = true;
        }
        let mut marks: Vec<Mark> = self
            .result
            .objects
            .iter()
            .zip(&matched_found)
            .map(|(o, &hit)| (o.bbox(), if hit { FOUND } else { WRONG }))
            .collect();
        marks.extend(
            self.truth
                .iter()
                .zip(&matched_truth)
                .filter(|(_, hit)| !**hit)
                .map(|(&(r, c), _)| ([r - h / 2.0, c - w / 2.0, r + h / 2.0, c + w / 2.0], MISSED)),
        );
        marks
    }
}

impl Report for CountingReport {
    /// The JSON, and for the images with the largest relative count errors
    /// `<stem>_count.png` (green: found and true; yellow: found, not true; red: missed) and
    /// `<stem>_scores.png`, in the folder `<json>.pictures`.
    fn write(&self, json_path: &Path, _model: &Model) -> Result<Vec<PathBuf>> {
        let json = serde_json::to_vec_pretty(self).expect("report serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        let folder = json_path.with_extension("pictures");
        std::fs::create_dir_all(&folder).map_err(crate::error::io_error(&folder))?;
        let error = |i: usize| {
            let r = &self.evaluation.per_image[i];
            r.relative_error.unwrap_or(r.abs_error)
        };
        let mut order: Vec<usize> = (0..self.images.len()).collect();
        order.sort_by(|&a, &b| error(b).total_cmp(&error(a)));
        let mut written = Vec::new();
        for &i in order.iter().take(PICTURES) {
            let entry = &self.images[i];
            let image = read_image(&entry.image)?;
            let stem = picture_stem(&entry.image);
            let count = folder.join(format!("{stem}_count.png"));
            save_png(&count, &marks_picture(&image, &entry.marks()))?;
            let scores = folder.join(format!("{stem}_scores.png"));
            save_png(&scores, &score_picture(&image, &entry.result.score_map))?;
            written.extend([count, scores]);
        }
        Ok(written)
    }

    fn summary(&self) -> String {
        let e = &self.evaluation;
        let relative = e.relative_mae.map_or("n/a".to_string(), |r| format!("{r:.3}"));
        format!(
            "{} images of split {}: MAE {:.2}, RMSE {:.2}, relative MAE {relative}; positions \
             precision {:.3}, recall {:.3}, F1 {:.3}; {:.2} images/s",
            e.num_images, self.split, e.mae, e.rmse, e.precision, e.recall, e.f1, self.images_per_second
        )
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
