//! Finding words: the image scaled for the detector, its text probability map, and the
//! map's regions as rotated boxes in the image's pixels.

use super::tiles::{merge, tiles};
use super::{OcrNet, OcrParams};
use crate::device::devices_of;
use crate::error::{Error, Result};
use crate::model::Model;
use burn::tensor::{Tensor, TensorData};
use image::DynamicImage;
use kestrel_nn::GraphNet;
use kestrel_geom::RotatedBox;
use kestrel_image::{
    Normalization, PreprocessParams, WordBoxParams, normalize_chw, resize_dynamic, word_boxes,
};
use serde::Serialize;
use std::path::Path;

/// ImageNet mean and standard deviation, the detector's input normalisation.
const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// A word found in an image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FoundWord {
    /// Its rotated box in the image's pixels (HALCON's `rectangle2`).
    pub rect: RotatedBox,
    /// The mean text probability over its region.
    pub score: f32,
}

/// The detector's input size for an image of `width x height`: scaled down so that the
/// longest side is at most `limit`, then each side rounded to a multiple of 32 (at least
/// 32), as PaddleOCR's detector expects.
pub(crate) fn detection_size(width: u32, height: u32, limit: u32) -> (u32, u32) {
    let longest = width.max(height) as f64;
    let ratio = if longest > f64::from(limit) {
        f64::from(limit) / longest
    } else {
        1.0
    };
    let round = |side: u32| (((f64::from(side) * ratio) / 32.0).round() as u32 * 32).max(32);
    (round(width), round(height))
}

impl Model {
    /// Finds the words in a decoded image (`path` only names it in errors).
    pub fn detect_words(&self, img: &DynamicImage, path: &Path) -> Result<Vec<FoundWord>> {
        let net: &OcrNet = self.ocr_net().ok_or_else(|| self.wrong_method("find words"))?;
        let detector = net.detector.as_ref().ok_or_else(|| Error::BadParam {
            name: "detection_network".into(),
            message: "the model has no word detector".into(),
        })?;
        let section: OcrParams = self.params.section()?;
        let (w, h) = (img.width(), img.height());
        if w == 0 || h == 0 {
            return Err(Error::Image(kestrel_image::ImageError::EmptyImage {
                path: path.into(),
                width: w,
                height: h,
            }));
        }
        let tiles = if section.detection_tiling {
            tiles(
                w,
                h,
                section.detection_image_size,
                section.detection_tiling_overlap,
            )
        } else {
            Vec::new()
        };
        if tiles.len() <= 1 {
            let (map, size) = probability_map(detector, &section, img)?;
            return regions(&map, size, (w, h), &section);
        }
        let mut merged = vec![0.0f32; w as usize * h as usize];
        for tile in tiles {
            let crop = img.crop_imm(tile.x, tile.y, tile.width, tile.height);
            let (map, size) = probability_map(detector, &section, &crop)?;
            merge(&mut merged, w, tile, &map, size);
        }
        regions(&merged, (w, h), (w, h), &section)
    }
}

/// The detector's text probability map of `img`, scaled to
/// [`detection_size`], and the map's size.
fn probability_map(
    detector: &GraphNet,
    section: &OcrParams,
    img: &DynamicImage,
) -> Result<(Vec<f32>, (u32, u32))> {
    let (mw, mh) = detection_size(img.width(), img.height(), section.detection_image_size);
    let normalization = Normalization::MeanStd {
        mean: MEAN.to_vec(),
        std: STD.to_vec(),
    };
    let params = PreprocessParams {
        width: mw,
        height: mh,
        num_channels: 3,
        normalization: normalization.clone(),
    };
    let input = normalize_chw(&resize_dynamic(img, &params)?, &normalization);
    let device = devices_of(detector);
    let x = Tensor::<4>::from_data(
        TensorData::new(input, [1, 3, mh as usize, mw as usize]),
        &device,
    );
    let map = detector
        .forward_named(vec![x], &[section.detection_output.as_str()])?
        .remove(0);
    if map.dims() != [1, 1, mh as usize, mw as usize] {
        return Err(Error::Dataset(format!(
            "the detector's output {} has shape {:?}, not [1, 1, {mh}, {mw}]",
            section.detection_output,
            map.dims()
        )));
    }
    let values = map
        .into_rank::<4>()
        .expect("rank checked above")
        .into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .map_err(|e| Error::Dataset(format!("reading the detector's output: {e:?}")))?;
    Ok((values, (mw, mh)))
}

/// The words of a probability map `width x height`, in image pixels (`scale` = image
/// pixels per map pixel in x and y).
fn regions(
    map: &[f32],
    (width, height): (u32, u32),
    (image_width, image_height): (u32, u32),
    section: &OcrParams,
) -> Result<Vec<FoundWord>> {
    let map_pixel = f64::from(image_width) * f64::from(image_height)
        / (f64::from(width) * f64::from(height));
    let params = WordBoxParams {
        min_character_score: section.detection_min_character_score,
        min_word_score: section.detection_min_word_score,
        min_word_area: (f64::from(section.detection_min_word_area) / map_pixel).ceil() as u32,
        unclip_ratio: section.detection_unclip_ratio,
        ..WordBoxParams::default()
    };
    let boxes = word_boxes(map, width, height, image_width, image_height, &params)?;
    Ok(boxes
        .into_iter()
        .map(|b| FoundWord {
            rect: b.rect.cast::<f64>(),
            score: b.score,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::detection_size;

    #[test]
    fn sizes_are_multiples_of_32_within_the_limit() {
        assert_eq!(detection_size(640, 480, 960), (640, 480));
        assert_eq!(detection_size(1920, 1080, 960), (960, 544));
        assert_eq!(detection_size(10, 10, 960), (32, 32));
        assert_eq!(detection_size(100, 50, 960), (96, 64));
    }
}
