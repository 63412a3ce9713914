//! Evaluating an anomaly-detection model: image and pixel AUROC, PRO up to 30 % FPR, the
//! decisions at the model's thresholds, ROC curves and heat-map pictures.

use crate::anomaly::detect::anomaly_images;
use crate::anomaly::map::AnomalyImage;
use crate::anomaly::params::AnomalyParams;
use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::model::Model;
use kestrel_data::{AnomalyLabel, Dataset, Split};
use kestrel_image::{load_resized, read_mask};
use kestrel_metrics::{
    AnomalyMap, BinaryCounts, RocCurve, binary_at_threshold, pixel_roc_curve, plot_roc_curve,
    pro_auc, roc_auc, roc_curve,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

/// PRO is integrated up to this false-positive rate (the MVTec AD convention).
const PRO_MAX_FPR: f64 = 0.3;

/// How many of the worst-scored images get a heat-map picture.
const PICTURES: usize = 12;

/// The evaluation of an anomaly-detection model on one split.
#[derive(Debug, Clone, Serialize)]
pub struct AnomalyEvaluation {
    /// The split evaluated.
    pub split: String,
    /// Images evaluated.
    pub num_images: usize,
    /// Defect-free images among them.
    pub num_ok: usize,
    /// Defective images among them.
    pub num_nok: usize,
    /// Area under the ROC curve of the image scores (ok vs nok).
    pub image_auroc: f64,
    /// Area under the ROC curve of the pixel scores against the defect masks (all pixels of
    /// all images; defect-free images count as all-good), when masks exist.
    pub pixel_auroc: Option<f64>,
    /// Per-region overlap integrated up to 30 % false-positive rate, normalised to [0, 1].
    pub pro_auc_30: Option<f64>,
    /// Image AUROC of each defect class against the defect-free images.
    pub per_class_image_auroc: BTreeMap<String, f64>,
    /// The image threshold used for the decision.
    pub classification_threshold: f32,
    /// The pixel threshold used for the defect regions.
    pub segmentation_threshold: f32,
    /// The image decisions at `classification_threshold` (nok = positive).
    pub image_decisions: BinaryCounts,
    /// Precision of the nok decision.
    pub image_precision: f64,
    /// Recall of the nok decision.
    pub image_recall: f64,
    /// F1 of the nok decision.
    pub image_f1: f64,
    /// Pixel F1 of the defect regions at `segmentation_threshold`, when masks exist.
    pub pixel_f1: Option<f64>,
    /// Inference speed (loading, network and scoring), images per second.
    pub images_per_second: f64,
    /// Per image: file, truth, score, decision.
    pub images: Vec<EvaluatedAnomalyImage>,
    /// The image-level ROC curve.
    #[serde(skip)]
    pub image_roc: RocCurve,
    /// The pixel-level ROC curve.
    #[serde(skip)]
    pub pixel_roc: Option<RocCurve>,
    /// Anomaly images, for pictures.
    #[serde(skip)]
    anomaly_images: Vec<AnomalyImage>,
    /// Defect masks at the model's size, for pictures.
    #[serde(skip)]
    masks: Vec<Option<Vec<bool>>>,
}

/// One evaluated image.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluatedAnomalyImage {
    /// The image file.
    pub image: PathBuf,
    /// Ground truth: `ok` or `nok`.
    pub anomaly_label: String,
    /// The dataset class (defect type), when known.
    pub class_name: Option<String>,
    /// The image's anomaly score.
    pub anomaly_score: f32,
    /// The decision at the classification threshold.
    pub anomaly_class: String,
}

impl Model {
    /// Evaluates an anomaly-detection model on the dataset's `split` (samples need an
    /// `anomaly_label`; `nok` samples with an `anomaly_file_name` give the pixel measures).
    pub fn evaluate_anomaly(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<AnomalyEvaluation> {
        let net = self
            .anomaly_net()
            .ok_or_else(|| self.wrong_method("be evaluated as an anomaly detector"))?;
        let section: AnomalyParams = self.params.section()?;
        let (classification, segmentation) = section.thresholds()?;
        let samples = dataset.samples_in(split);
        if samples.is_empty() {
            return Err(Error::Dataset(format!(
                "the dataset has no samples with split \"{split}\""
            )));
        }
        let mut nok = Vec::with_capacity(samples.len());
        for s in &samples {
            match s.anomaly_label {
                Some(label) => nok.push(label == AnomalyLabel::Nok),
                None => {
                    return Err(Error::Dataset(format!(
                        "sample {} ({}): field anomaly_label is missing",
                        s.image_id, s.image_file_name
                    )));
                }
            }
        }
        let (w, h) = (self.params.image_width, self.params.image_height);
        let masks = samples
            .iter()
            .zip(&nok)
            .map(|(s, &is_nok)| match dataset.anomaly_path(s) {
                Some(path) if is_nok => read_mask(&path, w, h, 128).map(Some),
                _ if is_nok => Ok(None),
                _ => Ok(Some(vec![false; (w * h) as usize])),
            })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let paths: Vec<PathBuf> = samples.iter().map(|s| dataset.image_path(s)).collect();
        let loader = Loader::plain(self.params.preprocess());
        let started = Instant::now();
        let images = anomaly_images(
            net,
            &loader,
            Arc::new(paths.clone()),
            batch_size,
            section.anomaly_smoothing_sigma,
        )?;
        let images_per_second = images.len() as f64 / started.elapsed().as_secs_f64();
        let scores: Vec<f32> = images.iter().map(AnomalyImage::max_score).collect();

        let image_roc = roc_curve(&scores, &nok)?;
        let image_auroc = roc_auc(&scores, &nok)?;
        let class_name = |s: &kestrel_data::Sample| {
            s.image_label_id
                .and_then(|id| dataset.class_index(id))
                .map(|i| dataset.class_names[i].clone())
        };
        let mut per_class_image_auroc = BTreeMap::new();
        for name in samples
            .iter()
            .zip(&nok)
            .filter(|(_, n)| **n)
            .filter_map(|(s, _)| class_name(s))
        {
            if per_class_image_auroc.contains_key(&name) {
                continue;
            }
            let (sub_scores, sub_nok): (Vec<f32>, Vec<bool>) = samples
                .iter()
                .zip(&nok)
                .zip(&scores)
                .filter(|((s, n), _)| !**n || class_name(s).as_deref() == Some(&name))
                .map(|((_, n), score)| (*score, *n))
                .unzip();
            if let Ok(auc) = roc_auc(&sub_scores, &sub_nok) {
                per_class_image_auroc.insert(name, auc);
            }
        }
        let image_decisions = binary_at_threshold(&scores, &nok, classification)?;

        let maps: Vec<AnomalyMap> = images
            .iter()
            .zip(&masks)
            .filter_map(|(image, mask)| {
                mask.as_ref().map(|m| {
                    AnomalyMap::new(image.width, image.height, &image.scores, Some(m.as_slice()))
                })
            })
            .collect::<std::result::Result<_, _>>()?;
        let has_defect_pixels = masks.iter().flatten().any(|m| m.iter().any(|&p| p));
        let (pixel_roc, pro, pixel_f1) = if has_defect_pixels {
            let roc = pixel_roc_curve(&maps)?;
            let pro = pro_auc(&maps, PRO_MAX_FPR)?;
            let (pixel_scores, pixel_truth): (Vec<f32>, Vec<bool>) = maps
                .iter()
                .flat_map(|m| {
                    m.scores
                        .iter()
                        .copied()
                        .zip(m.mask.unwrap_or_default().iter().copied())
                })
                .unzip();
            let f1 = binary_at_threshold(&pixel_scores, &pixel_truth, segmentation)?.f1();
            (Some(roc), Some(pro), Some(f1))
        } else {
            (None, None, None)
        };
        let evaluated = samples
            .iter()
            .zip(&paths)
            .zip(&nok)
            .zip(&scores)
            .map(|(((s, path), &n), &score)| EvaluatedAnomalyImage {
                image: path.clone(),
                anomaly_label: if n { "nok" } else { "ok" }.into(),
                class_name: class_name(s),
                anomaly_score: score,
                anomaly_class: if score >= classification { "nok" } else { "ok" }.into(),
            })
            .collect();
        Ok(AnomalyEvaluation {
            split: split.to_string(),
            num_images: samples.len(),
            num_ok: nok.iter().filter(|&&n| !n).count(),
            num_nok: nok.iter().filter(|&&n| n).count(),
            image_auroc,
            pixel_auroc: pixel_roc.as_ref().map(RocCurve::auc),
            pro_auc_30: pro,
            per_class_image_auroc,
            classification_threshold: classification,
            segmentation_threshold: segmentation,
            image_precision: image_decisions.precision(),
            image_recall: image_decisions.recall(),
            image_f1: image_decisions.f1(),
            image_decisions,
            pixel_f1,
            images_per_second,
            images: evaluated,
            image_roc,
            pixel_roc,
            anomaly_images: images,
            masks,
        })
    }
}

impl AnomalyEvaluation {
    /// Writes the JSON (atomically), `<name>.roc.png` and, in `<name>.pictures/`, heat maps
    /// of the highest-scored defective and defect-free images (image | heat map with the
    /// predicted region outlined | ground truth). Returns the files written besides the JSON.
    pub fn write(&self, json_path: &Path, model: &Model) -> Result<Vec<PathBuf>> {
        let json = serde_json::to_vec_pretty(self).expect("evaluation serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        let roc_png = json_path.with_extension("roc.png");
        let mut curves = vec![("image", &self.image_roc, self.image_auroc)];
        if let (Some(roc), Some(auc)) = (&self.pixel_roc, self.pixel_auroc) {
            curves.push(("pixel", roc, auc));
        }
        plot_roc_curve(&curves, "Anomaly detection ROC", &roc_png)?;
        let mut written = vec![roc_png];
        let folder = json_path.with_extension("pictures");
        std::fs::create_dir_all(&folder).map_err(crate::error::io_error(&folder))?;
        let mut order: Vec<usize> = (0..self.images.len()).collect();
        order.sort_by(|&a, &b| {
            self.images[b]
                .anomaly_score
                .total_cmp(&self.images[a].anomaly_score)
        });
        let worst_ok = order
            .iter()
            .filter(|&&i| self.images[i].anomaly_label == "ok")
            .take(PICTURES / 2);
        let top_nok = order
            .iter()
            .filter(|&&i| self.images[i].anomaly_label == "nok")
            .take(PICTURES / 2);
        let score_max = self.classification_threshold.max(f32::MIN_POSITIVE) * 1.5;
        for &i in top_nok.chain(worst_ok) {
            let entry = &self.images[i];
            let image = load_resized(&entry.image, &model.params.preprocess())?;
            let heat = &self.anomaly_images[i];
            let region: Vec<bool> = heat
                .scores
                .iter()
                .map(|&s| s >= self.segmentation_threshold)
                .collect();
            let mut panels = vec![
                kestrel_image::image_to_rgb(&image),
                kestrel_image::heat_overlay(&image, &heat.scores, 0.0, score_max, Some(&region)),
            ];
            if let Some(mask) = &self.masks[i] {
                panels.push(kestrel_image::heat_overlay(
                    &image,
                    &[],
                    0.0,
                    1.0,
                    Some(mask),
                ));
            }
            let stem = entry
                .image
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let path = folder.join(format!(
                "{}_{:.3}_{}.png",
                entry.anomaly_label, entry.anomaly_score, stem
            ));
            kestrel_image::save_png(&path, &kestrel_image::side_by_side(&panels))?;
            written.push(path);
        }
        Ok(written)
    }
}

impl crate::method::Report for AnomalyEvaluation {
    fn write(&self, json_path: &Path, model: &Model) -> Result<Vec<PathBuf>> {
        AnomalyEvaluation::write(self, json_path, model)
    }

    fn summary(&self) -> String {
        let mut lines = vec![
            format!(
                "{} images of split {} ({} ok, {} nok), {:.1} images/s",
                self.num_images, self.split, self.num_ok, self.num_nok, self.images_per_second
            ),
            format!("  image AUROC {:.4}", self.image_auroc),
        ];
        if let (Some(pixel), Some(pro)) = (self.pixel_auroc, self.pro_auc_30) {
            lines.push(format!(
                "  pixel AUROC {pixel:.4}, PRO (FPR <= 0.3) {pro:.4}"
            ));
        }
        lines.push(format!(
            "  at threshold {:.4}: precision {:.4}, recall {:.4}, F1 {:.4}",
            self.classification_threshold, self.image_precision, self.image_recall, self.image_f1
        ));
        for (class, auc) in &self.per_class_image_auroc {
            lines.push(format!("  {class:<20} image AUROC {auc:.4}"));
        }
        lines.join("\n")
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
