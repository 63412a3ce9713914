//! Evaluating a detection model COCO style, in each image's own pixels: box (or rotated
//! box) mean AP over IoU 0.50:0.95, AP50, AP75, by size, recall, per class, and for
//! instance segmentation the same for masks; a precision-recall PNG and pictures.

use crate::detection::decode::DetectedObject;
use crate::detection::target::class_index;
use crate::detection::{
    Detection, DetectionParams, DetectionTarget, EVALUATION_MIN_CONFIDENCE, InstanceType,
};
use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::method::{GradientMethod, split_inputs};
use crate::model::Model;
use crate::predict::predict_loaded;
use kestrel_data::{Dataset, InstanceMask, Sample, Split};
use kestrel_geom::{Rle, RotatedBox};
use kestrel_image::{
    RotatedRect, default_palette, draw_rotated_box, image_to_rgb, load_resized,
    save_png, scale_rotated_rects, side_by_side,
};
use kestrel_metrics::{
    DetectionEvaluation, EvalCategory, EvalImage, GroundTruth, GroundTruthSet, IouType, Mask,
    MetricsError, evaluate_detection, plot_precision_recall,
};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How many images get a picture.
const PICTURES: usize = 12;

/// The evaluation of a detection model on one split.
#[derive(Debug, Clone, Serialize)]
pub struct DetectionReport {
    /// The split evaluated.
    pub split: String,
    /// Images evaluated.
    pub num_images: usize,
    /// Ground-truth objects.
    pub num_objects: usize,
    /// Detections evaluated (confidence at least 0.05).
    pub num_detections: usize,
    /// Box measures (rotated boxes for `rectangle2` models).
    pub boxes: DetectionEvaluation,
    /// Mask measures, for instance segmentation.
    pub masks: Option<DetectionEvaluation>,
    /// Predictions and ground truth at the model's size of up to [`PICTURES`] images spread
    /// over the split, for pictures.
    #[serde(skip)]
    pictures: Vec<(PathBuf, Vec<DetectedObject>, DetectionTarget)>,
}

impl Model {
    /// Evaluates a detection model on the dataset's `split`.
    pub fn evaluate_detection(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<DetectionReport> {
        let (mut method, net) = self
            .detection()
            .ok_or_else(|| self.wrong_method("be evaluated as a detection model"))?;
        method.decode.min_confidence = vec![EVALUATION_MIN_CONFIDENCE; method.class_names.len()];
        let (annotations, paths) = split_inputs(&method, dataset, split)?;
        let samples = dataset.samples_in(split);
        let loader = Loader::plain(self.params.preprocess());
        let (predictions, loaded): (Vec<_>, Vec<_>) =
            predict_loaded(&method, net, &loader, Arc::new(paths.clone()), batch_size)?
                .into_iter()
                .unzip();
        let mut gt = GroundTruthSet {
            categories: categories(&method),
            ..Default::default()
        };
        let mut box_detections = Vec::new();
        let mut mask_detections = Vec::new();
        let mut mask_truth = Vec::new();
        for (i, ((sample, image), objects)) in
            samples.iter().zip(&loaded).zip(&predictions).enumerate()
        {
            let id = i as u64;
            let (w0, h0) = (image.original_width, image.original_height);
            gt.images.push(EvalImage {
                id,
                width: w0,
                height: h0,
            });
            let (boxes, masks) = ground_truth(&method, dataset, sample, id, (w0, h0))?;
            gt.annotations.extend(boxes);
            mask_truth.extend(masks);
            for object in objects {
                let (d, m) = to_image(&method, object, id, (w0, h0))?;
                box_detections.push(d);
                mask_detections.extend(m);
            }
        }
        let box_type = if method.instance_type == InstanceType::Rectangle2 {
            IouType::Rotated
        } else {
            IouType::Bbox
        };
        let boxes = evaluate_detection(&gt, &box_detections, box_type)?;
        let masks = if method.instance_type == InstanceType::Mask {
            let mask_gt = GroundTruthSet {
                annotations: mask_truth,
                ..gt.clone()
            };
            Some(evaluate_detection(
                &mask_gt,
                &mask_detections,
                IouType::Segm,
            )?)
        } else {
            None
        };
        // Images spread over the split (datasets are often sorted by class).
        let step = paths.len().div_ceil(PICTURES).max(1);
        let pictures = paths
            .iter()
            .zip(predictions)
            .zip(annotations.iter().zip(&loaded))
            .step_by(step)
            .map(|((p, d), (a, image))| Ok((p.clone(), d, method.place_target(a, image)?)))
            .collect::<Result<_>>()?;
        Ok(DetectionReport {
            split: split.to_string(),
            num_images: paths.len(),
            num_objects: gt.annotations.len(),
            num_detections: box_detections.len(),
            boxes,
            masks,
            pictures,
        })
    }
}

/// The model's classes as evaluation categories (id = class index).
fn categories(method: &Detection) -> Vec<EvalCategory> {
    method
        .class_names
        .iter()
        .enumerate()
        .map(|(k, name)| EvalCategory {
            id: k as u32,
            name: name.clone(),
        })
        .collect()
}

/// A sample's objects in its image's pixels: boxes (or rotated boxes) and, for
/// instance segmentation, masks.
fn ground_truth(
    method: &Detection,
    dataset: &Dataset,
    sample: &Sample,
    id: u64,
    (w0, h0): (u32, u32),
) -> Result<(Vec<GroundTruth>, Vec<GroundTruth>)> {
    let class_of = |label: u32| {
        class_index(method, dataset, label).ok_or_else(|| {
            Error::Dataset(format!(
                "sample {} ({}): bbox_label_id {label} is not one of the model's classes",
                sample.image_id, sample.image_file_name
            ))
        })
    };
    if method.instance_type == InstanceType::Rectangle2 {
        let boxes = sample
            .rotated_boxes()?
            .iter()
            .map(|b| {
                let r = b.rect;
                Ok(GroundTruth {
                    area: r.area(),
                    mask: Some(Mask::Rotated(r)),
                    ..GroundTruth::new(id, class_of(b.label_id)? as u32, bounding_xywh(&r))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        return Ok((boxes, Vec::new()));
    }
    let boxes = sample.boxes()?;
    let mut box_truth = Vec::with_capacity(boxes.len());
    let mut mask_truth = Vec::new();
    for (k, b) in boxes.iter().enumerate() {
        let class = class_of(b.label_id)? as u32;
        let mut truth = GroundTruth::new(id, class, b.to_xywh());
        if method.instance_type == InstanceType::Mask {
            let mask = sample
                .mask_polygons
                .as_ref()
                .and_then(|m| m.get(k))
                .ok_or_else(|| {
                    Error::Dataset(format!(
                        "sample {} ({}): mask_polygons[{k}] is missing",
                        sample.image_id, sample.image_file_name
                    ))
                })?;
            let mask = metrics_mask(mask)?;
            let rle = match &mask {
                Mask::Rle(r) => r.clone(),
                Mask::Polygons(p) => Rle::from_polygons(p, h0, w0).map_err(MetricsError::from)?,
                Mask::Rotated(_) => unreachable!("dataset masks are polygons or RLE"),
            };
            // COCO's annotation area is the mask's; it decides the size range of both.
            truth.area = rle.area() as f64;
            mask_truth.push(GroundTruth {
                mask: Some(mask),
                ..truth.clone()
            });
        }
        box_truth.push(truth);
    }
    Ok((box_truth, mask_truth))
}

/// A dataset mask as the evaluation takes it.
fn metrics_mask(mask: &InstanceMask) -> Result<Mask> {
    Ok(match mask {
        InstanceMask::Polygons(p) => Mask::Polygons(p.clone()),
        InstanceMask::Rle(r) => Mask::Rle(r.to_rle().map_err(MetricsError::from)?),
    })
}

/// `[x, y, w, h]` of the rectangle's bounding box.
fn bounding_xywh(r: &RotatedBox) -> [f64; 4] {
    r.bounding_box().to_xywh()
}

/// An object found at the model's size as a box (and mask) detection in the image's
/// pixels.
fn to_image(
    method: &Detection,
    object: &DetectedObject,
    id: u64,
    (w0, h0): (u32, u32),
) -> Result<(
    kestrel_metrics::Detection,
    Option<kestrel_metrics::Detection>,
)> {
    let rect = scale_rotated_rects(&[object.rect], method.width, method.height, w0, h0)[0];
    let rotated: RotatedBox = rect.cast();
    let detection = kestrel_metrics::Detection {
        image_id: id,
        category_id: object.class as u32,
        bbox: bounding_xywh(&rotated),
        score: object.score as f64,
        mask: (method.instance_type == InstanceType::Rectangle2).then_some(Mask::Rotated(rotated)),
    };
    let mask = match &object.mask {
        Some(grid) => {
            let bitmap = image_mask(grid, &rect, (w0, h0));
            Some(kestrel_metrics::Detection {
                mask: Some(Mask::Rle(
                    Rle::encode(&bitmap, h0, w0).map_err(MetricsError::from)?,
                )),
                ..detection.clone()
            })
        }
        None => None,
    };
    Ok((detection, mask))
}

/// A detection's mask as a `w0 x h0` bitmap: its probability above 0.5 inside its box.
pub fn image_mask(
    grid: &crate::detection::MaskGrid,
    rect: &RotatedRect,
    (w0, h0): (u32, u32),
) -> Vec<u8> {
    let mut bitmap = vec![0u8; (w0 * h0) as usize];
    let b = rect.bounding_box();
    let x1 = b.x1.floor().max(0.0) as u32;
    let y1 = b.y1.floor().max(0.0) as u32;
    let x2 = (b.x2.ceil().max(0.0) as u32).min(w0);
    let y2 = (b.y2.ceil().max(0.0) as u32).min(h0);
    for y in y1..y2 {
        for x in x1..x2 {
            if grid.sample(x as f32, y as f32, w0, h0) > 0.5 {
                bitmap[(y * w0 + x) as usize] = 1;
            }
        }
    }
    bitmap
}

/// Box mean AP (IoU 0.50:0.95) of predictions against targets, both at the model's size
/// (the validation measure while training).
pub fn model_size_box_ap(
    method: &Detection,
    predictions: &[Vec<DetectedObject>],
    targets: &[DetectionTarget],
) -> Result<f64> {
    let rotated = method.instance_type == InstanceType::Rectangle2;
    let as_box = |r: &RotatedRect| r.cast::<f64>();
    let mut gt = GroundTruthSet {
        categories: categories(method),
        ..Default::default()
    };
    let mut detections = Vec::new();
    for (i, (objects, target)) in predictions.iter().zip(targets).enumerate() {
        let id = i as u64;
        gt.images.push(EvalImage {
            id,
            width: method.width,
            height: method.height,
        });
        for (r, &class) in target.rects.iter().zip(&target.classes) {
            let b = as_box(r);
            gt.annotations.push(GroundTruth {
                area: b.area(),
                mask: rotated.then_some(Mask::Rotated(b)),
                ..GroundTruth::new(id, class as u32, bounding_xywh(&b))
            });
        }
        for o in objects {
            let b = as_box(&o.rect);
            detections.push(kestrel_metrics::Detection {
                image_id: id,
                category_id: o.class as u32,
                bbox: bounding_xywh(&b),
                score: o.score as f64,
                mask: rotated.then_some(Mask::Rotated(b)),
            });
        }
    }
    let iou_type = if rotated {
        IouType::Rotated
    } else {
        IouType::Bbox
    };
    Ok(evaluate_detection(&gt, &detections, iou_type)?
        .ap
        .unwrap_or(0.0))
}

impl DetectionReport {
    /// Writes the JSON (atomically), `<name>.pr.png` (precision-recall at IoU 0.5 per
    /// class, boxes; `<name>.mask_pr.png` for masks) and, in `<name>.pictures/`, images
    /// spread over the split with their detections at `min_confidence` | ground truth.
    /// Returns the files written besides the JSON.
    pub fn write(&self, json_path: &Path, model: &Model) -> Result<Vec<PathBuf>> {
        let json = serde_json::to_vec_pretty(self).expect("evaluation serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        let mut written = Vec::new();
        for (evaluation, suffix, title) in [
            (Some(&self.boxes), "pr.png", "boxes"),
            (self.masks.as_ref(), "mask_pr.png", "masks"),
        ] {
            let Some(evaluation) = evaluation else {
                continue;
            };
            let curves: Vec<(String, _, f64)> = evaluation
                .per_class
                .iter()
                .filter_map(|c| Some((c.name.clone(), c.curve50()?, c.ap50?)))
                .collect();
            if curves.is_empty() {
                continue;
            }
            let refs: Vec<(&str, _, f64)> = curves
                .iter()
                .map(|(n, c, ap)| (n.as_str(), c, *ap))
                .collect();
            let path = json_path.with_extension(suffix);
            plot_precision_recall(
                &refs,
                &format!(
                    "Precision-recall at IoU 0.5 ({title}, {} split)",
                    self.split
                ),
                &path,
            )?;
            written.push(path);
        }
        let folder = json_path.with_extension("pictures");
        std::fs::create_dir_all(&folder).map_err(crate::error::io_error(&folder))?;
        let palette = default_palette(model.params.class_names.len());
        let min_confidence = model
            .params
            .section::<DetectionParams>()?
            .min_confidence(model.params.class_names.len());
        for (path, objects, target) in &self.pictures {
            let image = load_resized(path, &model.params.preprocess())?;
            let mut found = image_to_rgb(&image);
            for o in objects
                .iter()
                .filter(|o| o.score >= min_confidence[o.class])
            {
                let r = &o.rect;
                let colour = palette[o.class];
                draw_rotated_box(
                    &mut found, r.row, r.col, r.phi, r.length1, r.length2, colour, 2,
                );
            }
            let mut truth = image_to_rgb(&image);
            for (r, &class) in target.rects.iter().zip(&target.classes) {
                let colour = palette[class];
                draw_rotated_box(
                    &mut truth, r.row, r.col, r.phi, r.length1, r.length2, colour, 2,
                );
            }
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let out = folder.join(format!("{stem}.png"));
            save_png(&out, &side_by_side(&[found, truth]))?;
            written.push(out);
        }
        Ok(written)
    }
}

impl crate::method::Report for DetectionReport {
    fn write(&self, json_path: &Path, model: &Model) -> Result<Vec<PathBuf>> {
        DetectionReport::write(self, json_path, model)
    }

    fn summary(&self) -> String {
        let mut lines = vec![format!(
            "{} images of split {}, {} objects, {} detections (confidence >= {EVALUATION_MIN_CONFIDENCE})",
            self.num_images, self.split, self.num_objects, self.num_detections
        )];
        let value = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.4}"));
        for (what, e) in [("boxes", Some(&self.boxes)), ("masks", self.masks.as_ref())] {
            let Some(e) = e else {
                continue;
            };
            lines.push(format!(
                "  {what}: mean AP {} (IoU 0.50:0.95), AP50 {}, AP75 {}, AR100 {}",
                value(e.ap),
                value(e.ap50),
                value(e.ap75),
                value(e.ar100)
            ));
            lines.push(format!(
                "    {:<20} {:>8} {:>8} {:>8} {:>8}",
                "class", "objects", "AP", "AP50", "recall50"
            ));
            for c in &e.per_class {
                lines.push(format!(
                    "    {:<20} {:>8} {:>8} {:>8} {:>8}",
                    c.name,
                    c.num_ground_truth,
                    value(c.ap),
                    value(c.ap50),
                    value(c.recall50)
                ));
            }
        }
        lines.join("\n")
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}
