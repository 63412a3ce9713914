//! Detection inference: each image's objects in its own pixels, as JSON with HALCON's box
//! keys and COCO run-length encoded masks, and pictures with the objects drawn.

use crate::detection::decode::DetectedObject;
use crate::detection::evaluate::image_mask;
use crate::detection::{DecodeSettings, Detection, DetectionParams, NAME};
use crate::error::Result;
use crate::loader::Loader;
use crate::method::{ImageResult, picture_stem};
use crate::model::Model;
use crate::predict::predict_loaded;
use kestrel_geom::Rle;
use kestrel_image::{
    RotatedRect, default_palette, draw_rotated_box, read_image, save_png,
    scale_rotated_rects,
};
use kestrel_metrics::MetricsError;
use kestrel_nn::DetectionNet;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One found object in its image's pixels (see `kestrel_data`'s coordinate convention).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectJson {
    /// Class name.
    pub class: String,
    /// Class id.
    pub class_id: u32,
    /// Confidence in `[0, 1]`.
    pub confidence: f32,
    /// Top edge of the (bounding) box.
    pub bbox_row1: f32,
    /// Left edge.
    pub bbox_col1: f32,
    /// Bottom edge.
    pub bbox_row2: f32,
    /// Right edge.
    pub bbox_col2: f32,
    /// Rotated box (`rectangle2` models): centre row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox_row: Option<f32>,
    /// Centre column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox_col: Option<f32>,
    /// Angle of the `length1` axis, radians.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox_phi: Option<f32>,
    /// Half length along `bbox_phi`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox_length1: Option<f32>,
    /// Half length across.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bbox_length2: Option<f32>,
    /// Instance mask, COCO compressed RLE (`mask` models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask_rle: Option<String>,
    /// Mask pixels (`mask` models).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask_area: Option<u64>,
    /// The mask as a bitmap (row-major, 1 = object), for pictures.
    #[serde(skip)]
    pub mask: Option<Vec<u8>>,
}

/// The objects found in one image.
#[derive(Debug, Clone, Serialize)]
pub struct ImageDetections {
    /// The image file.
    pub image: PathBuf,
    /// Its width.
    pub width: u32,
    /// Its height.
    pub height: u32,
    /// Objects, most confident first.
    pub objects: Vec<ObjectJson>,
}

impl Model {
    /// The detection method and network, for a `detection` model.
    pub fn detection(&self) -> Option<(Detection, &DetectionNet)> {
        if self.params.model_type != NAME {
            return None;
        }
        let net = self.network.get::<DetectionNet>()?;
        let section: DetectionParams = self.params.section().ok()?;
        let method = Detection {
            class_ids: self.params.class_ids.clone(),
            class_names: self.params.class_names.clone(),
            instance_type: section.instance_type,
            ignore_direction: section.ignore_direction,
            freeze_backbone_level: section.freeze_backbone_level,
            width: self.params.image_width,
            height: self.params.image_height,
            decode: DecodeSettings {
                min_confidence: section.min_confidence(self.params.class_names.len()),
                max_overlap: section.max_overlap,
                max_overlap_class_agnostic: section.max_overlap_class_agnostic,
                max_detections: section.max_num_detections,
            },
        };
        Some((method, net))
    }

    /// Finds objects in image files, each preprocessed as the model's parameters say, with
    /// the model's `min_confidence`, `max_overlap`, `max_overlap_class_agnostic` and
    /// `max_num_detections`.
    pub fn detect(&self, paths: &[PathBuf], batch_size: usize) -> Result<Vec<ImageDetections>> {
        let (method, net) = self
            .detection()
            .ok_or_else(|| self.wrong_method("detect objects"))?;
        let loader = Loader::plain(self.params.preprocess());
        let predictions =
            predict_loaded(&method, net, &loader, Arc::new(paths.to_vec()), batch_size)?;
        paths
            .iter()
            .zip(predictions)
            .map(|(path, (objects, image))| {
                let (width, height) = (image.original_width, image.original_height);
                let objects = objects
                    .iter()
                    .map(|o| object_json(&method, o, (width, height)))
                    .collect::<Result<Vec<_>>>()?;
                Ok(ImageDetections {
                    image: path.clone(),
                    width,
                    height,
                    objects,
                })
            })
            .collect()
    }
}

/// An object found at the model's size, in the image's pixels.
fn object_json(method: &Detection, o: &DetectedObject, (w0, h0): (u32, u32)) -> Result<ObjectJson> {
    let rect = scale_rotated_rects(&[o.rect], method.width, method.height, w0, h0)[0];
    let b = rect.bounding_box();
    let rotated = method.instance_type == crate::detection::InstanceType::Rectangle2;
    let some = |v: f32| rotated.then_some(v);
    let mask = o
        .mask
        .as_ref()
        .map(|grid| image_mask(grid, &rect, (w0, h0)));
    let rle = mask
        .as_ref()
        .map(|m| Rle::encode(m, h0, w0))
        .transpose()
        .map_err(MetricsError::from)?;
    Ok(ObjectJson {
        class: method.class_names[o.class].clone(),
        class_id: method.class_ids[o.class],
        confidence: o.score,
        bbox_row1: b.y1,
        bbox_col1: b.x1,
        bbox_row2: b.y2,
        bbox_col2: b.x2,
        bbox_row: some(rect.row),
        bbox_col: some(rect.col),
        bbox_phi: some(rect.phi),
        bbox_length1: some(rect.length1),
        bbox_length2: some(rect.length2),
        mask_area: rle.as_ref().map(Rle::area),
        mask_rle: rle.as_ref().map(Rle::to_compressed),
        mask,
    })
}

impl ImageDetections {
    /// Writes the image with its objects drawn (box outlines in the class colour, masks
    /// tinted) to `path` as PNG.
    pub fn draw(&self, model: &Model, path: &Path) -> Result<()> {
        let mut picture = read_image(&self.image)?.to_rgb8();
        let palette = default_palette(model.params.class_names.len());
        for o in &self.objects {
            let class = model
                .params
                .class_names
                .iter()
                .position(|n| *n == o.class)
                .unwrap_or(0);
            let colour = palette[class];
            if let Some(mask) = &o.mask {
                for (pixel, &m) in picture.pixels_mut().zip(mask) {
                    if m != 0 {
                        for (c, &t) in pixel.0.iter_mut().zip(&colour) {
                            *c = ((*c as u16 + t as u16) / 2) as u8;
                        }
                    }
                }
            }
            let r = match (
                o.bbox_row,
                o.bbox_col,
                o.bbox_phi,
                o.bbox_length1,
                o.bbox_length2,
            ) {
                (Some(row), Some(col), Some(phi), Some(length1), Some(length2)) => RotatedRect {
                    row,
                    col,
                    phi,
                    length1,
                    length2,
                },
                _ => RotatedRect {
                    row: (o.bbox_row1 + o.bbox_row2) / 2.0,
                    col: (o.bbox_col1 + o.bbox_col2) / 2.0,
                    phi: 0.0,
                    length1: (o.bbox_col2 - o.bbox_col1) / 2.0,
                    length2: (o.bbox_row2 - o.bbox_row1) / 2.0,
                },
            };
            draw_rotated_box(
                &mut picture,
                r.row,
                r.col,
                r.phi,
                r.length1,
                r.length2,
                colour,
                2,
            );
        }
        save_png(path, &picture)?;
        Ok(())
    }
}

/// Objects named per image in [`ImageResult::line`].
const SHOWN_OBJECTS: usize = 5;

impl ImageResult for ImageDetections {
    /// `image: N object(s): class (confidence), …`.
    fn line(&self) -> String {
        let found: Vec<String> = self
            .objects
            .iter()
            .take(SHOWN_OBJECTS)
            .map(|o| format!("{} ({:.3})", o.class, o.confidence))
            .collect();
        let more = self.objects.len().saturating_sub(SHOWN_OBJECTS);
        format!(
            "{}: {} object(s){}{}{}",
            self.image.display(),
            self.objects.len(),
            if found.is_empty() { "" } else { ": " },
            found.join(", "),
            if more > 0 {
                format!(", … {more} more")
            } else {
                String::new()
            }
        )
    }

    /// `<stem>.png`: the image with its objects drawn.
    fn draw(&self, model: &Model, folder: &Path) -> Result<Vec<PathBuf>> {
        let path = folder.join(format!("{}.png", picture_stem(&self.image)));
        ImageDetections::draw(self, model, &path)?;
        Ok(vec![path])
    }
}
