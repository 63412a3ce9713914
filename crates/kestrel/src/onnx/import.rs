//! Classification with an ONNX model (HALCON's `read_dl_model` on `.onnx`): tract runs the
//! network; the input size, preprocessing and class names come from the model's metadata
//! (as Kestrel's export writes it) or from the caller.

use super::PARAMS_KEY;
use crate::classification::ImageClassification;
use crate::error::{Error, Result, io_error};
use crate::params::ModelParams;
use kestrel_image::{load_resized, normalize_chw};
use kestrel_nn::BackboneKind;
use kestrel_onnx::OnnxModel;
use prost::Message;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tract_onnx::pb::ModelProto;

/// An ONNX classifier with its preprocessing.
pub struct OnnxClassifier {
    model: OnnxModel,
    /// Preprocessing and class names.
    pub params: ModelParams,
}

impl OnnxClassifier {
    /// Loads an ONNX classifier. `params` gives the preprocessing and class names when the
    /// file has no Kestrel metadata; the file's metadata wins otherwise.
    pub fn load(path: &Path, params: Option<ModelParams>) -> Result<Self> {
        let params = match read_metadata(path)?.remove(PARAMS_KEY) {
            Some(json) => serde_json::from_str(&json).map_err(|e| Error::ModelFile {
                path: path.into(),
                message: format!("invalid {PARAMS_KEY} metadata: {e}"),
            })?,
            None => params.ok_or_else(|| Error::ModelFile {
                path: path.into(),
                message: "no Kestrel metadata: give the image size, normalisation and class names"
                    .into(),
            })?,
        };
        let model =
            OnnxModel::load(path, Some(&input_shape(&params))).map_err(|e| onnx_error(path, e))?;
        Ok(Self { model, params })
    }

    /// Softmax confidences of every class for one image, in the network's output order.
    fn confidences(&self, image: &Path) -> Result<Vec<f32>> {
        let preprocess = self.params.preprocess();
        let img = load_resized(image, &preprocess)?;
        let input = normalize_chw(&img, &preprocess.normalization);
        let outputs = self
            .model
            .run(&input, &input_shape(&self.params))
            .map_err(|e| onnx_error(image, e))?;
        let (_, logits) = outputs
            .into_iter()
            .next()
            .ok_or_else(|| Error::Dataset("the ONNX model has no output".into()))?;
        if logits.len() != self.params.class_names.len() {
            return Err(Error::Dataset(format!(
                "the ONNX model gives {} outputs for {} class names",
                logits.len(),
                self.params.class_names.len()
            )));
        }
        let max = logits.iter().copied().fold(f32::MIN, f32::max);
        let exp: Vec<f32> = logits.iter().map(|v| (v - max).exp()).collect();
        let sum: f32 = exp.iter().sum();
        Ok(exp.into_iter().map(|v| v / sum).collect())
    }

    /// Classifies image files (in parallel), keeping the `top_k` best classes (all when 0).
    pub fn classify(&self, paths: &[PathBuf], top_k: usize) -> Result<Vec<ImageClassification>> {
        let keep = if top_k == 0 { usize::MAX } else { top_k };
        paths
            .par_iter()
            .map(|path| {
                let conf = self.confidences(path)?;
                let mut order: Vec<usize> = (0..conf.len()).collect();
                order.sort_by(|&a, &b| conf[b].total_cmp(&conf[a]));
                order.truncate(keep);
                Ok(ImageClassification {
                    image: path.clone(),
                    classes: order
                        .iter()
                        .map(|&i| self.params.class_names[i].clone())
                        .collect(),
                    confidences: order.iter().map(|&i| conf[i]).collect(),
                })
            })
            .collect()
    }

    /// The raw network output for an already preprocessed input `[1, C, H, W]`.
    pub fn logits(&self, input: &[f32]) -> Result<Vec<f32>> {
        let outputs = self
            .model
            .run(input, &input_shape(&self.params))
            .map_err(|e| Error::Dataset(e.to_string()))?;
        Ok(outputs
            .into_iter()
            .next()
            .map(|(_, v)| v)
            .unwrap_or_default())
    }
}

/// The `metadata_props` of an ONNX file.
fn read_metadata(path: &Path) -> Result<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).map_err(io_error(path))?;
    let model = ModelProto::decode(bytes.as_slice()).map_err(|e| Error::ModelFile {
        path: path.into(),
        message: format!("not an ONNX model ({e})"),
    })?;
    Ok(model
        .metadata_props
        .into_iter()
        .map(|entry| (entry.key, entry.value))
        .collect())
}

/// `[1, C, H, W]` from the parameters.
fn input_shape(p: &ModelParams) -> Vec<usize> {
    vec![
        1,
        p.image_num_channels as usize,
        p.image_height as usize,
        p.image_width as usize,
    ]
}

fn onnx_error(path: &Path, e: kestrel_onnx::OnnxError) -> Error {
    Error::ModelFile {
        path: path.into(),
        message: e.to_string(),
    }
}

/// Parameters describing an ONNX classifier that carries no Kestrel metadata: ImageNet-style
/// RGB input of `width` x `height` with the given class names.
pub fn imagenet_style_params(width: u32, height: u32, class_names: Vec<String>) -> ModelParams {
    let mut p = ModelParams::classification(BackboneKind::MobileNetV2, class_names);
    p.image_width = width;
    p.image_height = height;
    p
}
