//! Evaluating a segmentation or edge-extraction model: pixel measures, the pixel confusion
//! matrix, and pictures of the worst images.

use crate::error::Result;
use crate::loader::Loader;
use crate::method::split_inputs;
use crate::model::Model;
use crate::predict::predict_paths;
use crate::segmentation::{IGNORE, PixelPrediction, SegmentationParams};
use kestrel_data::{Dataset, Split};
use kestrel_image::{
    LabelImage, default_palette, label_overlay, load_resized, save_png, side_by_side,
};
use kestrel_metrics::{
    EdgeF1, SegmentationAccumulator, SegmentationEvaluation, edge_f1, image_mean_iou,
    plot_confusion_matrix,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Edge pixels within this distance of a true edge count as found (edge extraction).
pub const EDGE_TOLERANCE_PX: u32 = 2;

/// How many of the worst images get a picture.
const PICTURES: usize = 8;

/// The evaluation of a segmentation model on one split.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentationReport {
    /// The split evaluated.
    pub split: String,
    /// Images evaluated.
    pub num_images: usize,
    /// Pixel measures over all images.
    #[serde(flatten)]
    pub measures: SegmentationEvaluation,
    /// Edge extraction: F1 of the edge pixels with a 2-pixel tolerance.
    pub edge_f1: Option<EdgeF1>,
    /// Per image: its mean IoU, worst first.
    pub images: Vec<SegmentedImageScore>,
    /// Ground truth and prediction per image, for pictures (same order as `images`).
    #[serde(skip)]
    pictures: Vec<(LabelImage, LabelImage)>,
}

/// One evaluated image.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentedImageScore {
    /// The image file.
    pub image: PathBuf,
    /// Mean IoU over the classes present in it (truth or prediction).
    pub mean_iou: Option<f64>,
}

impl Model {
    /// Evaluates a segmentation or edge-extraction model on the dataset's `split`.
    pub fn evaluate_segmentation(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<SegmentationReport> {
        let (method, net) = self
            .segmentation()
            .ok_or_else(|| self.wrong_method("be evaluated as a segmentation model"))?;
        let (targets, paths) = split_inputs(&method, dataset, split)?;
        let loader = Loader::plain(self.params.preprocess());
        let predictions: Vec<PixelPrediction> =
            predict_paths(&method, net, &loader, Arc::new(paths.clone()), batch_size)?;
        let classes = method.class_names.len();
        let mut acc = SegmentationAccumulator::new(classes, &[])?;
        let mut images = Vec::with_capacity(paths.len());
        for ((path, p), t) in paths.iter().zip(&predictions).zip(&targets) {
            acc.add(&p.labels, t)?;
            images.push(SegmentedImageScore {
                image: path.clone(),
                mean_iou: image_mean_iou(&p.labels, t, classes, &[])?,
            });
        }
        let measures = acc.finish(&method.class_names)?;
        let edge_f1 = if self.params.model_type == "edge_extraction" {
            let (w, h) = (method.width as usize, method.height as usize);
            let parts = predictions
                .iter()
                .zip(&targets)
                .map(|(p, t)| {
                    let pred: Vec<bool> = p.labels.iter().map(|&v| v == 1).collect();
                    let truth: Vec<bool> = t.iter().map(|&v| v == 1).collect();
                    edge_f1(&pred, &truth, w, h, EDGE_TOLERANCE_PX)
                })
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Some(EdgeF1::total(&parts, EDGE_TOLERANCE_PX))
        } else {
            None
        };
        let mut order: Vec<usize> = (0..images.len()).collect();
        order.sort_by(|&a, &b| {
            images[a]
                .mean_iou
                .unwrap_or(1.0)
                .total_cmp(&images[b].mean_iou.unwrap_or(1.0))
        });
        let label = |data: Vec<u8>| LabelImage {
            width: method.width,
            height: method.height,
            data,
        };
        let pictures = order
            .iter()
            .map(|&i| {
                let truth = targets[i]
                    .iter()
                    .map(|&v| if v == IGNORE { 0 } else { v })
                    .collect();
                (label(truth), label(predictions[i].labels.clone()))
            })
            .collect();
        let images = order.into_iter().map(|i| images[i].clone()).collect();
        Ok(SegmentationReport {
            split: split.to_string(),
            num_images: paths.len(),
            measures,
            edge_f1,
            images,
            pictures,
        })
    }
}

impl SegmentationReport {
    /// Writes the JSON (atomically), `<name>.confusion.png` (pixels) and, in
    /// `<name>.pictures/`, the worst images: image | prediction | ground truth. Returns the
    /// files written besides the JSON.
    pub fn write(&self, json_path: &Path, model: &Model) -> Result<Vec<PathBuf>> {
        let json = serde_json::to_vec_pretty(self).expect("evaluation serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        let confusion = json_path.with_extension("confusion.png");
        plot_confusion_matrix(
            &self.measures.confusion_matrix,
            &self.measures.class_names,
            &confusion,
        )?;
        let mut written = vec![confusion];
        let folder = json_path.with_extension("pictures");
        std::fs::create_dir_all(&folder).map_err(crate::error::io_error(&folder))?;
        let palette = default_palette(self.measures.class_names.len());
        let background: Vec<u8> = model
            .params
            .section::<SegmentationParams>()?
            .class_ids_background
            .iter()
            .filter_map(|id| model.params.class_ids.iter().position(|c| c == id))
            .map(|i| i as u8)
            .collect();
        for (entry, (truth, prediction)) in self.images.iter().zip(&self.pictures).take(PICTURES) {
            let image = load_resized(&entry.image, &model.params.preprocess())?;
            let panels = [
                kestrel_image::image_to_rgb(&image),
                label_overlay(&image, prediction, &palette, 0.5, &background),
                label_overlay(&image, truth, &palette, 0.5, &background),
            ];
            let stem = entry
                .image
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let path = folder.join(format!(
                "miou_{:.3}_{stem}.png",
                entry.mean_iou.unwrap_or(f64::NAN)
            ));
            save_png(&path, &side_by_side(&panels))?;
            written.push(path);
        }
        Ok(written)
    }
}

impl crate::method::Report for SegmentationReport {
    fn write(&self, json_path: &Path, model: &Model) -> Result<Vec<PathBuf>> {
        SegmentationReport::write(self, json_path, model)
    }

    fn summary(&self) -> String {
        let m = &self.measures;
        let mut lines = vec![
            format!(
                "{} images of split {}: mean IoU {:.4}, pixel accuracy {:.4}, mean class accuracy {:.4}, frequency-weighted IoU {:.4}",
                self.num_images,
                self.split,
                m.mean_iou,
                m.pixel_accuracy,
                m.mean_class_accuracy,
                m.frequency_weighted_iou
            ),
            format!("  {:<20} {:>9} {:>9}", "class", "IoU", "accuracy"),
        ];
        for c in &m.per_class {
            lines.push(format!(
                "  {:<20} {:>9.4} {:>9.4}",
                c.class_name,
                c.iou.unwrap_or(f64::NAN),
                c.accuracy.unwrap_or(f64::NAN)
            ));
        }
        if let Some(e) = &self.edge_f1 {
            lines.push(format!(
                "  edge pixels (tolerance {} px): precision {:.4}, recall {:.4}, F1 {:.4}",
                e.tolerance_px, e.precision, e.recall, e.f1
            ));
        }
        lines.join("\n")
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
