//! Deep OCR's entry in the method registry.

use super::{NAME, OcrNet, OcrParams, PREFIX};
use crate::error::{Error, Result};
use crate::method::{InferOptions, Method, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::{ModelParams, section_fields};
use crate::train::{TrainOptions, TrainSummary};
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_nn::graph::fresh_weights;
use kestrel_nn::{BackboneKind, GraphNet};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// Deep OCR (HALCON's `ocr`): finds and reads words, with networks imported from ONNX
/// (`kestrel model import-ocr`) or a recogniser trained from scratch.
pub struct OcrMethod;

impl Method for OcrMethod {
    fn name(&self) -> &'static str {
        NAME
    }

    fn description(&self) -> &'static str {
        "finds and reads words (CTC recogniser: PaddleOCR's PP-OCRv4 imported from ONNX, or Kestrel's CRNN trained from scratch)"
    }

    /// For a dataset of word crops, a new CRNN recogniser (`crnn.rs`) to train from
    /// scratch, reading digits, ASCII letters and every other character of the dataset's
    /// words; otherwise the parameters an imported model starts from.
    fn default_params(&self, _backbone: BackboneKind, dataset: &Dataset) -> ModelParams {
        let words: Vec<&str> = dataset.samples.iter().filter_map(|s| s.word.as_deref()).collect();
        if words.is_empty() {
            return ModelParams::deep_ocr(48, 320);
        }
        let mut params = ModelParams::deep_ocr(32, 128);
        let alphabet = super::crnn::alphabet_for(&words);
        params.set_section(&OcrParams {
            mode: super::OcrMode::Recognition,
            recognition_network: Some(super::crnn::crnn_spec(alphabet.len() + 1)),
            recognition_output: super::crnn::OUTPUT.into(),
            recognition_output_is_probability: false,
            recognition_image_width_max: 256,
            recognition_batch_norm_frozen: false,
            recognition_alphabet: alphabet,
            ..OcrParams::default()
        });
        params.learning_rate = 1e-3;
        params.epochs = 30;
        params
    }

    fn extra_params(&self) -> Map<String, Value> {
        section_fields(&OcrParams::default())
    }

    fn has_backbone(&self) -> bool {
        false
    }

    /// The section's ranges, and augmentation that keeps words readable: a mirrored or
    /// turned word is not the word its label names.
    fn validate_params(&self, params: &ModelParams) -> Result<()> {
        let augmentation = &params.augmentation;
        if augmentation.mirror != kestrel_image::Mirror::None || augmentation.rotate_90 {
            return Err(Error::BadParam {
                name: "augmentation".into(),
                message: "deep OCR does not mirror or turn words by 90° (a mirrored word is not its label); use rotation_range_deg, crop_percentage, brightness, contrast and blur".into(),
            });
        }
        params.section::<OcrParams>()?.validate()
    }

    /// The detector and recogniser rebuilt from the graphs in the parameters, with the
    /// file's weights, or fresh ones for a new model.
    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network> {
        let section: OcrParams = params.section()?;
        // A new model (no stored tensors) starts from fresh random weights, to be trained.
        let fresh = init.stored.is_none();
        let build = |spec: Option<kestrel_onnx::GraphSpec>, name: &str| {
            spec.map(|spec| {
                let weights = fresh.then(|| fresh_weights(&spec, device));
                GraphNet::new(spec, weights.as_ref(), device)
            })
                .transpose()
                .map_err(|e| Error::BadParam {
                    name: name.into(),
                    message: e.to_string(),
                })
        };
        Ok(Network::new(
            PREFIX,
            OcrNet {
                recognizer: build(section.recognition_network, "recognition_network")?,
                detector: build(section.detection_network, "detection_network")?,
            },
        ))
    }

    /// Trains the recogniser (a new one from scratch, an imported one fine-tuned) on the
    /// train split's word crops (CTC).
    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary> {
        super::train::fine_tune(model, dataset, options)
    }

    /// Word crops (samples with a `word`) are read and scored by word accuracy; whole
    /// images with word boxes by detection F1 and end-to-end accuracy.
    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>> {
        let whole_images = dataset
            .samples_in(split)
            .iter()
            .any(|s| s.words.is_some() || s.bbox_row.is_some());
        if whole_images {
            Ok(Box::new(model.evaluate_ocr_images(dataset, split, batch_size)?))
        } else {
            Ok(Box::new(model.evaluate_ocr(dataset, split, batch_size)?))
        }
    }

    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>> {
        model.apply_ocr(paths, options.batch_size)
    }
}

impl ModelParams {
    /// Default parameters for deep OCR: RGB crops `height` pixels high and up to `width`
    /// wide, mapped to `[-1, 1]`; one class, `word`.
    pub fn deep_ocr(height: u32, width: u32) -> Self {
        let mut params = Self {
            model_type: crate::method::MethodKind::of(&OcrMethod),
            backbone: BACKBONE.into(),
            image_width: width,
            image_height: height,
            image_num_channels: 3,
            image_range_min: -1.0,
            image_range_max: 1.0,
            image_mean: None,
            image_std: None,
            class_ids: vec![0],
            batch_size: 32,
            learning_rate: 1e-4,
            ..Self::classification(BackboneKind::MobileNetV2, vec![kestrel_data::words::WORD_CLASS.into()])
        };
        params.complete_method_params();
        params
    }
}

/// The `backbone` parameter of deep-OCR models: their networks are ONNX graphs.
const BACKBONE: &str = "onnx_graph";
