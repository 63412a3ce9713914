//! Evaluating a gripping model on a dataset split: the Cornell rectangle metric of the best
//! grasp, point precision, gripping-map IoU/F1, and pictures of the worst scenes.

use super::result::{GrippingPoint, GrippingResult};
use crate::error::{Error, Result};
use crate::method::{Report, picture_stem};
use crate::model::Model;
use kestrel_data::{Dataset, Split};
use kestrel_image::{
    ImageF32, RotatedRect, draw_grasps, grasp_picture,
    read_image, read_label_image, save_png, scale_rotated_rects,
};
use kestrel_metrics::{
    GraspImage, GripTruth, GrippingMapAccumulator, GrippingMapEvaluation, PointEvaluation,
    PointImage, RectangleEvaluation, RotatedBox, evaluate_cornell, evaluate_points,
};
use serde::Serialize;
use std::any::Any;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Point precision is also reported over the best this many points.
pub const TOP_K: usize = 5;

/// How many of the worst scenes get a picture.
const PICTURES: usize = 8;

/// Colour of the labelled good grasps in the pictures (green).
const TRUTH_COLOUR: [u8; 3] = [40, 200, 60];

/// The evaluation of a gripping model on one split.
#[derive(Debug, Clone, Serialize)]
pub struct GrippingReport {
    /// The split evaluated.
    pub split: String,
    /// Scenes evaluated.
    pub num_images: usize,
    /// The Cornell rectangle metric of each scene's best grasp (IoU above 0.25 with a good
    /// rectangle whose angle differs by less than 30°), over the scenes with good
    /// rectangles (`None` when none has one).
    pub rectangle: Option<RectangleEvaluation>,
    /// Whether the best point (and the best `TOP_K`) lie inside a good rectangle (or the
    /// labelled gripping region of a scene without rectangles).
    pub points: PointEvaluation,
    /// The gripping map (at `min_score`) against the good rectangles (their centre thirds
    /// or wholes, as `grasp_region` says) and the labelled gripping regions, at the
    /// model's input size.
    pub map: Option<GrippingMapEvaluation>,
    /// Scenes per second (network, points, without 3D poses).
    pub images_per_second: f64,
    /// Per scene, in dataset order.
    pub images: Vec<GrippedScene>,
}

/// One evaluated scene.
#[derive(Debug, Clone, Serialize)]
pub struct GrippedScene {
    /// The image file.
    pub image: PathBuf,
    /// Whether the best grasp meets the Cornell rectangle metric (`None` without good
    /// rectangles).
    pub hit: Option<bool>,
    /// The best grasp's IoU with the good rectangles within 30° (0 without a point;
    /// `None` without good rectangles).
    pub best_iou: Option<f64>,
    /// Whether the best point lies inside a good rectangle.
    pub top1_inside: bool,
    /// The gripping points found, best first.
    pub points: Vec<GrippingPoint>,
    /// The labelled good grasps (pixels of the image file).
    #[serde(skip)]
    truth: Vec<RotatedRect>,
    /// The result, for pictures.
    #[serde(skip)]
    result: GrippingResult,
}

impl Model {
    /// Evaluates a gripping model on the dataset's `split` (scenes with good grasp
    /// rectangles).
    pub fn evaluate_gripping(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<GrippingReport> {
        let (method, _) = self
            .gripping()
            .ok_or_else(|| self.wrong_method("be evaluated as a gripping model"))?;
        let samples = dataset.samples_in(split);
        if samples.is_empty() {
            return Err(Error::Dataset(format!(
                "the dataset has no samples with split \"{split}\""
            )));
        }
        let started = Instant::now();
        let scenes = self.grip_scenes(dataset, &samples, batch_size, false)?;
        let images_per_second = samples.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);
        let mut map = GrippingMapAccumulator::new(method.params.min_score);
        let (mut rects, mut point_images, mut images) = (Vec::new(), Vec::new(), Vec::new());
        for (sample, (result, maps)) in samples.iter().zip(scenes) {
            let truth: Vec<RotatedRect> = sample
                .grasps()?
                .iter()
                .filter(|g| g.positive)
                .map(|g| g.rect.cast())
                .collect();
            let (w, h) = kestrel_image::image_size(&result.image)?;
            let region = match dataset.gripping_path(sample) {
                Some(path) => Some(read_label_image(&path)?),
                None => None,
            };
            let boxes: Vec<RotatedBox> = truth.iter().map(|r| r.cast()).collect();
            if !boxes.is_empty() {
                rects.push(GraspImage {
                    positives: boxes.clone(),
                    predicted: result.points.iter().map(|p| p.rect().cast()).collect(),
                });
            }
            let point_truth = match &region {
                Some(labels) if boxes.is_empty() => {
                    let labels = labels.resize_nearest(w, h);
                    GripTruth::Region {
                        width: w,
                        height: h,
                        mask: labels.data.iter().map(|&v| v != 0).collect(),
                    }
                }
                _ => GripTruth::Rectangles(boxes.clone()),
            };
            point_images.push(PointImage {
                truth: point_truth,
                points: result.points.iter().map(|p| (p.row, p.col)).collect(),
            });
            let at_model = scale_rotated_rects(&truth, w, h, method.width, method.height);
            let region_at_model = region.map(|r| r.resize_nearest(method.width, method.height));
            let (target, _) = method.target_maps(&at_model, region_at_model.as_ref());
            let labelled: Vec<bool> = target.quality.iter().map(|&q| q > 0.0).collect();
            map.add(&maps.quality, &labelled)?;
            images.push(GrippedScene {
                image: result.image.clone(),
                hit: (!boxes.is_empty()).then_some(false),
                best_iou: (!boxes.is_empty()).then_some(0.0),
                top1_inside: false,
                points: result.points.clone(),
                truth,
                result,
            });
        }
        let rectangle = evaluate_cornell(&rects);
        let points = evaluate_points(&point_images, TOP_K)?;
        let mut next_rect = 0;
        for (i, scene) in images.iter_mut().enumerate() {
            if let (Some(r), Some(_)) = (&rectangle, scene.hit) {
                scene.hit = Some(r.image_hits[next_rect]);
                scene.best_iou = Some(r.image_best_iou[next_rect]);
                next_rect += 1;
            }
            scene.top1_inside = scene
                .points
                .first()
                .is_some_and(|p| point_images[i].truth.contains(p.row, p.col));
        }
        Ok(GrippingReport {
            split: split.to_string(),
            num_images: images.len(),
            rectangle,
            points,
            map: map.evaluation(),
            images_per_second,
            images,
        })
    }
}

impl Report for GrippingReport {
    /// The JSON, and for the worst scenes (misses first, then by the best grasp's IoU)
    /// `<stem>_grasps.png`: the gripping map as a heat overlay, the best grasp (jaws red,
    /// opening edges blue) and the labelled good grasps (green), in the folder
    /// `<json>.pictures`.
    fn write(&self, json_path: &Path, _model: &Model) -> Result<Vec<PathBuf>> {
        let json = serde_json::to_vec_pretty(self).expect("report serialises");
        crate::model_file::write_atomic(json_path, &json)?;
        let folder = json_path.with_extension("pictures");
        std::fs::create_dir_all(&folder).map_err(crate::error::io_error(&folder))?;
        let mut order: Vec<usize> = (0..self.images.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&self.images[a], &self.images[b]);
            let key = |s: &GrippedScene| (s.hit.unwrap_or(s.top1_inside), s.best_iou.unwrap_or(0.0));
            let (ka, kb) = (key(a), key(b));
            ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
        });
        let mut written = Vec::new();
        for &i in order.iter().take(PICTURES) {
            let scene = &self.images[i];
            let rgb = read_image(&scene.image)?.to_rgb8();
            let (w, h) = rgb.dimensions();
            let base = ImageF32::from_rgb8(&rgb);
            let found: Vec<RotatedRect> = scene.points.iter().map(GrippingPoint::rect).collect();
            let mut picture = grasp_picture(&base, Some(&scene.result.map_at(w, h)), &[]);
            draw_grasps(&mut picture, &scene.truth, TRUTH_COLOUR, TRUTH_COLOUR, 1);
            draw_grasps(&mut picture, &found[..found.len().min(1)], kestrel_image::JAW_COLOUR, kestrel_image::OPENING_COLOUR, 2);
            let path = folder.join(format!("{}_grasps.png", picture_stem(&scene.image)));
            save_png(&path, &picture)?;
            written.push(path);
        }
        Ok(written)
    }

    fn summary(&self) -> String {
        let map = self.map.as_ref().map_or(String::new(), |m| {
            format!("; gripping map IoU {:.3}, F1 {:.3}", m.iou, m.f1)
        });
        let rectangle = self.rectangle.as_ref().map_or(String::new(), |r| {
            format!("Cornell rectangle accuracy {:.3} ({}/{}); ", r.accuracy, r.hits, r.num_images)
        });
        format!(
            "{} scenes of split {}: {rectangle}top-1 point precision {:.3}, top-{} {:.3}{map}; \
             {:.2} scenes/s",
            self.num_images,
            self.split,
            self.points.top1_precision,
            self.points.k,
            self.points.topk_precision,
            self.images_per_second
        )
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
