//! Reading word crops: preprocessing (height fixed, aspect kept, padded on the right), the
//! recogniser network, and CTC decoding.

use super::ctc::{DecodedWord, greedy_decode};
use super::{NAME, OcrNet, OcrParams};
use crate::device::devices_of;
use crate::error::{Error, Result};
use crate::model::Model;
use burn::tensor::{Tensor, TensorData};
use image::DynamicImage;
use kestrel_image::{Normalization, PreprocessParams, normalize_chw, read_image, resize_dynamic};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A word crop scaled for the recogniser: `height` pixels high, its aspect kept up to
/// `max_width` pixels wide (wider words are squeezed), as CHW values with its width.
pub(crate) fn scale_crop(img: &DynamicImage, height: u32, max_width: u32, path: &Path) -> Result<(Vec<f32>, usize)> {
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err(Error::Image(kestrel_image::ImageError::EmptyImage {
            path: path.into(),
            width: w,
            height: h,
        }));
    }
    let width = ((f64::from(height) * f64::from(w) / f64::from(h)).ceil() as u32).clamp(1, max_width);
    let normalization = Normalization::Range { min: -1.0, max: 1.0 };
    let params = PreprocessParams {
        width,
        height,
        num_channels: 3,
        normalization: normalization.clone(),
    };
    let resized = resize_dynamic(img, &params)?;
    Ok((normalize_chw(&resized, &normalization), width as usize))
}

/// Scaled crops side by side in one batch `[n, 3, height, width]`, each padded on the
/// right with zeros (the normalised value of mid-grey); `width` is the widest crop, at
/// least `min_width`.
pub(crate) fn crop_batch(crops: &[(Vec<f32>, usize)], height: usize, min_width: usize) -> TensorData {
    let padded = crops.iter().map(|(_, w)| *w).max().unwrap_or(1).max(min_width);
    let mut out = vec![0.0; crops.len() * 3 * height * padded];
    for ((chw, width), image) in crops.iter().zip(out.chunks_exact_mut(3 * height * padded)) {
        for (row_in, row_out) in chw.chunks_exact(*width).zip(image.chunks_exact_mut(padded)) {
            row_out[..*width].copy_from_slice(row_in);
        }
    }
    TensorData::new(out, [crops.len(), 3, height, padded])
}

impl Model {
    /// The deep-OCR network, for a `deep_ocr` model.
    pub fn ocr_net(&self) -> Option<&OcrNet> {
        (self.params.model_type == NAME)
            .then(|| self.network.get::<OcrNet>())
            .flatten()
    }

    /// Reads the word in each image file (each a crop of one word), `batch_size` crops per
    /// forward pass.
    pub fn read_words(&self, paths: &[PathBuf], batch_size: usize) -> Result<Vec<DecodedWord>> {
        self.ocr_net().ok_or_else(|| self.wrong_method("read words"))?;
        let mut words = Vec::with_capacity(paths.len());
        for chunk in paths.chunks(batch_size.max(1)) {
            let images = chunk
                .par_iter()
                .map(|p| read_image(p).map_err(Error::from).map(|img| (img, p)))
                .collect::<Result<Vec<_>>>()?;
            let refs: Vec<(&DynamicImage, &Path)> = images.iter().map(|(i, p)| (i, p.as_path())).collect();
            words.extend(self.read_word_images(&refs)?);
        }
        Ok(words)
    }

    /// Reads the word in each decoded crop (`path` only names it in errors), in one
    /// forward pass: crops are padded to `image_width`, or to the widest crop of the batch
    /// when that is wider.
    pub fn read_word_images(&self, crops: &[(&DynamicImage, &Path)]) -> Result<Vec<DecodedWord>> {
        let net = self.ocr_net().ok_or_else(|| self.wrong_method("read words"))?;
        let recognizer = net.recognizer.as_ref().ok_or_else(|| Error::BadParam {
            name: "recognition_network".into(),
            message: "the model has no word recogniser".into(),
        })?;
        let section: OcrParams = self.params.section()?;
        let height = self.params.image_height;
        if crops.is_empty() {
            return Ok(Vec::new());
        }
        let scaled = crops
            .par_iter()
            .map(|(img, path)| scale_crop(img, height, section.recognition_image_width_max, path))
            .collect::<Result<Vec<_>>>()?;
        let input = crop_batch(&scaled, height as usize, self.params.image_width as usize);
        let x = Tensor::<4>::from_data(input, &devices_of(recognizer));
        let out = recognizer
            .forward_named(vec![x], &[section.recognition_output.as_str()])?
            .remove(0);
        let dims = out.dims().to_vec();
        let [_, positions, classes] = dims[..] else {
            return Err(Error::Dataset(format!(
                "the recogniser's output {} has shape {dims:?}, not [batch, positions, classes]",
                section.recognition_output
            )));
        };
        section.check_classes(classes)?;
        let mut probs = out
            .into_rank::<3>()
            .expect("rank checked above");
        if !section.recognition_output_is_probability {
            probs = burn::tensor::activation::softmax(probs, 2);
        }
        let values = probs
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .map_err(|e| Error::Dataset(format!("reading the recogniser's output: {e:?}")))?;
        Ok(values
            .chunks_exact(positions * classes)
            .map(|p| greedy_decode(p, classes, &section.recognition_alphabet, section.recognition_num_candidates))
            .collect())
    }
}
