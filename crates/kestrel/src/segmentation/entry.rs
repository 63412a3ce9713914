//! Segmentation's and edge extraction's entries in the method registry.

use super::{EDGES_NAME, NAME, SegmentationParams};
use crate::error::{Error, Result};
use crate::method::{InferOptions, Method, NetworkInit, Report, Results};
use crate::model::Model;
use crate::network::Network;
use crate::params::{ModelParams, section_fields};
use crate::train::{TrainOptions, TrainSummary, split_data, train_network};
use burn::tensor::Device;
use kestrel_data::{Dataset, Split};
use kestrel_nn::{BackboneKind, SegmentationNet};
use serde_json::{Map, Value};
use std::path::PathBuf;

/// The tensor-name prefix of segmentation networks in model files.
const PREFIX: &str = "Segmentation";

/// Semantic segmentation (one class per pixel) or, with `edges`, edge extraction (the
/// classes `background` and `edge`).
pub struct SegmentationMethod {
    /// Edge extraction rather than semantic segmentation.
    pub edges: bool,
}

impl Method for SegmentationMethod {
    fn name(&self) -> &'static str {
        if self.edges { EDGES_NAME } else { NAME }
    }

    fn picture_option(&self) -> Option<&'static str> {
        Some("label-images")
    }

    fn description(&self) -> &'static str {
        if self.edges {
            "edge pixels (two classes, rare edge pixels weighted up)"
        } else {
            "one class per pixel (weighted cross-entropy, mean IoU)"
        }
    }

    fn default_params(&self, backbone: BackboneKind, dataset: &Dataset) -> ModelParams {
        let mut params = if self.edges {
            ModelParams::edge_extraction(backbone)
        } else {
            ModelParams::segmentation(backbone, dataset.class_names.clone())
        };
        params.class_names = dataset.class_names.clone();
        params.class_ids = dataset.class_ids.clone();
        params.set_section(&SegmentationParams {
            ignore_class_ids: dataset.ignore_class_ids.clone(),
            class_ids_background: dataset.class_ids_background.clone(),
            ..SegmentationParams::default()
        });
        params
    }

    fn extra_params(&self) -> Map<String, Value> {
        section_fields(&SegmentationParams::default())
    }

    fn validate_params(&self, params: &ModelParams) -> Result<()> {
        params.section::<SegmentationParams>()?;
        if params.class_names.len() > 255 {
            return Err(Error::BadParam {
                name: "class_names".into(),
                message: "segmentation supports up to 255 classes".into(),
            });
        }
        Ok(())
    }

    fn init_network(
        &self,
        params: &ModelParams,
        device: &Device,
        init: NetworkInit<'_>,
    ) -> Result<Network> {
        let mut net = SegmentationNet::new(
            params.backbone_kind()?,
            params.image_num_channels as usize,
            params.class_names.len(),
            device,
        );
        if let Some(backbone) = init.backbone {
            net.backbone = backbone;
        }
        Ok(Network::new(PREFIX, net))
    }

    fn train(
        &self,
        model: &mut Model,
        dataset: &Dataset,
        options: &TrainOptions,
    ) -> Result<TrainSummary> {
        let (mut method, _) = model
            .segmentation()
            .ok_or_else(|| model.wrong_method("be trained as a segmentation model"))?;
        if model
            .params
            .section::<SegmentationParams>()?
            .weight_rare_classes
        {
            let targets = split_data(&method, dataset, Split::Train)?.annotations;
            method.weight_rare_classes(&targets);
            eprintln!("class weights: {:?}", method.class_weights);
        }
        train_network(&method, model, dataset, options)
    }

    fn evaluate(
        &self,
        model: &Model,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>> {
        Ok(Box::new(
            model.evaluate_segmentation(dataset, split, batch_size)?,
        ))
    }

    fn infer(
        &self,
        model: &Model,
        paths: &[PathBuf],
        options: &InferOptions,
    ) -> Result<Box<dyn Results>> {
        Ok(Box::new(model.segment(paths, options.batch_size)?))
    }
}
