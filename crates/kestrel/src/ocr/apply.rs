//! Applying a deep-OCR model to image files in its mode: words found and read (`auto`),
//! found only (`detection`), or read from crops (`recognition`).

use super::ctc::CharacterCandidates;
use super::{OcrMode, OcrParams, WordReading};
use crate::error::Result;
use crate::method::{ImageResult, Results, picture_stem};
use crate::model::Model;
use image::DynamicImage;
use kestrel_geom::RotatedBox;
use kestrel_image::{draw_rotated_box, read_image, rectified_crop, save_png};
use kestrel_metrics::PredictedWord;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Colour of the word boxes in pictures.
const BOX_COLOUR: [u8; 3] = [0, 220, 0];

/// One word found (and, in `auto` mode, read) in an image.
#[derive(Debug, Clone, Serialize)]
pub struct OcrWord {
    /// Row of the box centre (HALCON `rectangle2`), in image pixels.
    pub bbox_row: f64,
    /// Column of the box centre.
    pub bbox_col: f64,
    /// Angle of the reading direction (`length1` axis), radians, counter-clockwise.
    pub bbox_phi: f64,
    /// Half the box's length along the reading direction.
    pub bbox_length1: f64,
    /// Half the box's height.
    pub bbox_length2: f64,
    /// The detector's score.
    pub detection_score: f32,
    /// The text read (`auto` mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
    /// The recogniser's score (`auto` mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word_score: Option<f32>,
    /// Each character with its candidates (`auto` mode).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub characters: Vec<CharacterCandidates>,
}

impl OcrWord {
    /// The word as the OCR measures compare it: its rotated box and what was read.
    pub fn prediction(&self) -> PredictedWord {
        PredictedWord {
            rect: RotatedBox {
                row: self.bbox_row,
                col: self.bbox_col,
                phi: self.bbox_phi,
                length1: self.bbox_length1,
                length2: self.bbox_length2,
            },
            text: self.word.clone(),
        }
    }
}

/// The words of one image.
#[derive(Debug, Clone, Serialize)]
pub struct OcrResult {
    /// The image file.
    pub image: PathBuf,
    /// Its words, in reading order.
    pub words: Vec<OcrWord>,
}

impl ImageResult for OcrResult {
    fn line(&self) -> String {
        let texts: Vec<&str> = self.words.iter().filter_map(|w| w.word.as_deref()).collect();
        if texts.is_empty() {
            format!("{}: {} words", self.image.display(), self.words.len())
        } else {
            format!("{}: {} words: {}", self.image.display(), self.words.len(), texts.join(" "))
        }
    }

    /// `<stem>.png`: the image with its word boxes.
    fn draw(&self, _model: &Model, folder: &Path) -> Result<Vec<PathBuf>> {
        let mut img = read_image(&self.image)?.to_rgb8();
        for w in &self.words {
            draw_rotated_box(
                &mut img,
                w.bbox_row as f32,
                w.bbox_col as f32,
                w.bbox_phi as f32,
                w.bbox_length1 as f32,
                w.bbox_length2 as f32,
                BOX_COLOUR,
                2,
            );
        }
        let path = folder.join(format!("{}.png", picture_stem(&self.image)));
        save_png(&path, &img)?;
        Ok(vec![path])
    }
}

impl Model {
    /// Applies a deep-OCR model to image files in its `mode`; crops are read
    /// `batch_size` at a time.
    pub fn apply_ocr(&self, paths: &[PathBuf], batch_size: usize) -> Result<Box<dyn Results>> {
        self.ocr_net().ok_or_else(|| self.wrong_method("apply deep OCR"))?;
        let section: OcrParams = self.params.section()?;
        if section.mode == OcrMode::Recognition {
            let words = self.read_words(paths, batch_size)?;
            let results: Vec<WordReading> = paths
                .iter()
                .zip(words)
                .map(|(image, w)| WordReading {
                    image: image.clone(),
                    word: w.word,
                    score: w.score,
                    characters: w.characters,
                })
                .collect();
            return Ok(Box::new(results));
        }
        let read = section.mode == OcrMode::Auto;
        let mut results = Vec::with_capacity(paths.len());
        for path in paths {
            let img = read_image(path)?;
            results.push(self.ocr_image(&img, path, read, batch_size)?);
        }
        Ok(Box::new(results))
    }

    /// Finds the words of one decoded image and, with `read`, reads each.
    pub fn ocr_image(&self, img: &DynamicImage, path: &Path, read: bool, batch_size: usize) -> Result<OcrResult> {
        let found = self.detect_words(img, path)?;
        let mut words: Vec<OcrWord> = found
            .iter()
            .map(|f| OcrWord {
                bbox_row: f.rect.row,
                bbox_col: f.rect.col,
                bbox_phi: f.rect.phi,
                bbox_length1: f.rect.length1,
                bbox_length2: f.rect.length2,
                detection_score: f.score,
                word: None,
                word_score: None,
                characters: Vec::new(),
            })
            .collect();
        if read && !found.is_empty() {
            let rgb = img.to_rgb8();
            let crops = found
                .iter()
                .map(|f| rectified_crop(&rgb, &f.rect.cast::<f32>()).map(DynamicImage::ImageRgb8))
                .collect::<std::result::Result<Vec<_>, _>>()?;
            // Crops of similar widths share a batch, so little is padded.
            let mut order: Vec<usize> = (0..crops.len()).collect();
            order.sort_by(|&a, &b| aspect(&crops[a]).total_cmp(&aspect(&crops[b])));
            let mut decoded = vec![None; crops.len()];
            for chunk in order.chunks(batch_size.max(1)) {
                let refs: Vec<(&DynamicImage, &Path)> = chunk.iter().map(|&i| (&crops[i], path)).collect();
                for (&i, d) in chunk.iter().zip(self.read_word_images(&refs)?) {
                    decoded[i] = Some(d);
                }
            }
            let decoded = decoded.into_iter().map(|d| d.expect("every crop is read once"));
            for (w, d) in words.iter_mut().zip(decoded) {
                w.word = Some(d.word);
                w.word_score = Some(d.score);
                w.characters = d.characters;
            }
        }
        Ok(OcrResult {
            image: path.to_path_buf(),
            words,
        })
    }
}

/// Width over height of a crop.
fn aspect(img: &DynamicImage) -> f64 {
    f64::from(img.width()) / f64::from(img.height().max(1))
}
