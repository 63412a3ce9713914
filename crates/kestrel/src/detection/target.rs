//! A sample's objects as the dataset gives them ([`DetectionAnnotation`], in the image
//! file's pixels) and as the detection loss needs them ([`DetectionTarget`]: boxes at the
//! model's size, class indices, and for instance segmentation an instance-label image),
//! moved with augmented images.

use crate::detection::{Detection, InstanceType};
use crate::error::{Error, Result};
use kestrel_data::{Dataset, InstanceMask, Sample};
use kestrel_geom::Rle;
use crate::loader::LoadedImage;
use kestrel_image::{
    AugmentPlan, AxisBox, LabelImage, RotatedRect, scale_boxes, scale_rotated_rects,
};

/// Most objects an instance-segmentation image may hold (label values 1..=254).
const MAX_MASKED_OBJECTS: usize = 254;

/// One image's objects at the model's input size.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectionTarget {
    /// Boxes in input pixels (`phi = 0` for axis-aligned boxes).
    pub rects: Vec<RotatedRect>,
    /// Class index (network output) per box.
    pub classes: Vec<usize>,
    /// Instance masks: `k + 1` where object `k` lies, 0 elsewhere (`mask` models only).
    pub instances: Option<LabelImage>,
}

/// One image's objects as the dataset gives them, in the image file's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectionAnnotation {
    /// Boxes in the image file's pixels (`phi = 0` for axis-aligned boxes).
    pub rects: Vec<RotatedRect>,
    /// Class index (network output) per box.
    pub classes: Vec<usize>,
    /// One mask per box (`mask` models only).
    pub masks: Option<Vec<InstanceMask>>,
}

/// Reads `sample`'s objects for `method`; errors name the sample and field.
pub fn encode(
    method: &Detection,
    dataset: &Dataset,
    sample: &Sample,
) -> Result<DetectionAnnotation> {
    let named = |message: String| {
        Error::Dataset(format!(
            "sample {} ({}): {message}",
            sample.image_id, sample.image_file_name
        ))
    };
    let (labels, rects) = if method.instance_type == InstanceType::Rectangle2 {
        let boxes = sample.rotated_boxes()?;
        let rects: Vec<RotatedRect> = boxes.iter().map(|b| b.rect.cast()).collect();
        let labels: Vec<u32> = boxes.iter().map(|b| b.label_id).collect();
        (labels, rects)
    } else {
        let boxes = sample.boxes()?;
        let rects = boxes
            .iter()
            .map(|b| b.axis_box().cast::<f32>().to_rotated())
            .collect();
        let labels: Vec<u32> = boxes.iter().map(|b| b.label_id).collect();
        (labels, rects)
    };
    let classes = labels
        .iter()
        .map(|&id| {
            class_index(method, dataset, id).ok_or_else(|| {
                named(format!(
                    "bbox_label_id {id} is not one of the model's classes"
                ))
            })
        })
        .collect::<Result<Vec<usize>>>()?;
    let masks = if method.instance_type == InstanceType::Mask {
        let masks = sample
            .mask_polygons
            .as_ref()
            .ok_or_else(|| named("field mask_polygons is missing (instance_type mask)".into()))?;
        if masks.len() != rects.len() {
            return Err(named(format!(
                "mask_polygons has {} masks for {} boxes",
                masks.len(),
                rects.len()
            )));
        }
        if masks.len() > MAX_MASKED_OBJECTS {
            return Err(named(format!(
                "{} objects; instance segmentation takes at most {MAX_MASKED_OBJECTS} per image",
                masks.len()
            )));
        }
        let size = (method.width, method.height);
        for (k, mask) in masks.iter().enumerate() {
            rasterise(mask, size, size).map_err(|e| named(format!("mask_polygons[{k}]: {e}")))?;
        }
        Some(masks.clone())
    } else {
        None
    };
    Ok(DetectionAnnotation {
        rects,
        classes,
        masks,
    })
}

/// The target of a loaded image: its annotation scaled from the image file's size to the
/// model's, masks rasterised there, then moved with the augmentation the image got.
pub fn place(
    method: &Detection,
    annotation: &DetectionAnnotation,
    image: &LoadedImage,
) -> Result<DetectionTarget> {
    let (w0, h0) = (image.original_width, image.original_height);
    let (w, h) = (method.width, method.height);
    let rects = if method.instance_type == InstanceType::Rectangle2 {
        scale_rotated_rects(&annotation.rects, w0, h0, w, h)
    } else {
        let axis: Vec<AxisBox> = annotation
            .rects
            .iter()
            .map(RotatedRect::bounding_box)
            .collect();
        scale_boxes(&axis, w0, h0, w, h)
            .iter()
            .map(AxisBox::to_rotated)
            .collect()
    };
    let instances = match &annotation.masks {
        Some(masks) => {
            let mut label = LabelImage {
                width: w,
                height: h,
                data: vec![0; (w * h) as usize],
            };
            for (k, mask) in masks.iter().enumerate() {
                let bitmap = rasterise(mask, (w0, h0), (w, h)).map_err(|e| {
                    Error::Dataset(format!("mask {k} of an image of {w0}x{h0}: {e}"))
                })?;
                for (out, &v) in label.data.iter_mut().zip(&bitmap) {
                    if v != 0 {
                        *out = k as u8 + 1;
                    }
                }
            }
            Some(label)
        }
        None => None,
    };
    let target = DetectionTarget {
        rects,
        classes: annotation.classes.clone(),
        instances,
    };
    Ok(augment(method, target, &image.plan))
}

/// The model's class index for a dataset class id (matched by class name).
pub fn class_index(method: &Detection, dataset: &Dataset, label_id: u32) -> Option<usize> {
    let i = dataset.class_ids.iter().position(|&c| c == label_id)?;
    let name = &dataset.class_names[i];
    method.class_names.iter().position(|m| m == name)
}

/// A row-major 0/1 bitmap of `mask` (given for an image of `from` = `(w, h)`) at `to`.
fn rasterise(
    mask: &InstanceMask,
    from: (u32, u32),
    to: (u32, u32),
) -> std::result::Result<Vec<u8>, String> {
    let (sx, sy) = (to.0 as f64 / from.0 as f64, to.1 as f64 / from.1 as f64);
    match mask {
        InstanceMask::Polygons(polygons) => {
            let scaled: Vec<Vec<f64>> = polygons
                .iter()
                .map(|p| {
                    p.chunks(2)
                        .flat_map(|xy| [xy[0] * sx, xy.get(1).copied().unwrap_or(0.0) * sy])
                        .collect()
                })
                .collect();
            Ok(Rle::from_polygons(&scaled, to.1, to.0)
                .map_err(|e| e.to_string())?
                .decode())
        }
        InstanceMask::Rle(rle) => {
            let [h, w] = rle.size;
            let decoded = rle.to_rle().map_err(|e| e.to_string())?;
            let full = LabelImage {
                width: w,
                height: h,
                data: decoded.decode(),
            };
            Ok(full.resize_nearest(to.0, to.1).data)
        }
    }
}

/// Moves a target with the augmentation its image got: boxes are moved, clipped and dropped
/// ([`AugmentPlan::apply_boxes`], [`AugmentPlan::apply_rotated`]), and instance masks
/// follow the kept boxes.
fn augment(method: &Detection, target: DetectionTarget, plan: &AugmentPlan) -> DetectionTarget {
    let (w, h) = (method.width, method.height);
    let moved_instances = target
        .instances
        .as_ref()
        .map(|labels| plan.apply_labels(labels, w, h));
    let (rects, sources) = if method.instance_type == InstanceType::Rectangle2 {
        plan.apply_rotated(&target.rects, w, h)
    } else {
        // Axis-aligned targets are `phi = 0` rectangles: their bounding boxes are them.
        let axis: Vec<AxisBox> = target.rects.iter().map(RotatedRect::bounding_box).collect();
        let (boxes, sources) = plan.apply_boxes(&axis, w, h);
        (boxes.iter().map(AxisBox::to_rotated).collect(), sources)
    };
    let classes = sources.iter().map(|&k| target.classes[k]).collect();
    let instances = moved_instances.map(|mut labels| {
        let mut remap = [0u8; 256];
        for (new, &old) in sources.iter().enumerate() {
            remap[old + 1] = new as u8 + 1;
        }
        for v in &mut labels.data {
            *v = remap[*v as usize];
        }
        labels
    });
    DetectionTarget {
        rects,
        classes,
        instances,
    }
}
