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

/// A word crop ready for the recogniser: CHW values, `height x max_width`, the word's
/// pixels on the left and zeros after them.
pub(crate) fn prepare_crop(img: &DynamicImage, height: u32, max_width: u32, path: &Path) -> Result<Vec<f32>> {
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
    let chw = normalize_chw(&resized, &normalization);
    let (width, height, max_width) = (width as usize, height as usize, max_width as usize);
    let mut out = vec![0.0; 3 * height * max_width];
    for (row_in, row_out) in chw.chunks_exact(width).zip(out.chunks_exact_mut(max_width)) {
        row_out[..width].copy_from_slice(row_in);
    }
    Ok(out)
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
    /// forward pass.
    pub fn read_word_images(&self, crops: &[(&DynamicImage, &Path)]) -> Result<Vec<DecodedWord>> {
        let net = self.ocr_net().ok_or_else(|| self.wrong_method("read words"))?;
        let recognizer = net.recognizer.as_ref().ok_or_else(|| Error::BadParam {
            name: "recognition_network".into(),
            message: "the model has no word recogniser".into(),
        })?;
        let section: OcrParams = self.params.section()?;
        let (height, width) = (self.params.image_height, self.params.image_width);
        if crops.is_empty() {
            return Ok(Vec::new());
        }
        let inputs = crops
            .par_iter()
            .map(|(img, path)| prepare_crop(img, height, width, path))
            .collect::<Result<Vec<_>>>()?;
        let batch = inputs.len();
        let device = devices_of(recognizer);
        let x = Tensor::<4>::from_data(
            TensorData::new(inputs.concat(), [batch, 3, height as usize, width as usize]),
            &device,
        );
        let out = recognizer
            .forward_named(vec![x], &[section.recognition_output.as_str()])?
            .remove(0);
        let dims = out.dims().to_vec();
        let [b, positions, classes] = dims[..] else {
            return Err(Error::Dataset(format!(
                "the recogniser's output {} has shape {dims:?}, not [batch, positions, classes]",
                section.recognition_output
            )));
        };
        debug_assert_eq!(b, batch);
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
