//! Kestrel: deep learning for machine vision.
//!
//! The workflow, as in HALCON's deep-learning module: create a [`Model`] for a method
//! ([`ModelParams`], from a dataset with [`Method::default_params`]) or read one, prepare a
//! dataset ([`data`]), [`train`](Model::train) it, [`evaluate`](Model::evaluate) it on the
//! test split, and [`infer`](Model::infer) on new images — on the CPU (burn's flex backend)
//! or on a GPU when built with the `cuda` feature ([`device`]).
//!
//! Every method (classification, detection, …) implements [`Method`]; [`registry`] lists
//! them. `docs/ARCHITECTURE.md` walks through the layout.

#[macro_use]
pub mod registry;

built_in_methods! {
    classification: classification::ClassificationMethod;
    multi_label: multi_label::MultiLabelMethod;
    anomaly: anomaly::AnomalyMethod { global: false }, anomaly::AnomalyMethod { global: true };
    segmentation: segmentation::SegmentationMethod { edges: false },
        segmentation::SegmentationMethod { edges: true };
    detection: detection::DetectionMethod;
    ocr: ocr::OcrMethod;
    counting: counting::CountingMethod;
    gripping: gripping::GrippingMethod;
}

pub mod allocator;
pub mod device;
mod error;
mod loader;
pub mod method;
mod model;
pub mod model_file;
mod network;
pub mod onnx;
mod params;
mod predict;
pub mod pretrained;
pub mod train;
mod weights;

pub use error::{Error, Result};
pub use kestrel_data as data;
pub use kestrel_image as image;
pub use kestrel_metrics as metrics;
pub use kestrel_nn as nn;
pub use loader::{Batch, LoadedImage, Loader};
pub use method::{
    GradientMethod, ImageResult, InferOptions, Method, MethodKind, NetworkInit, Report, Results,
};
pub use model::Model;
pub use network::Network;
pub use params::{
    LearningRateSchedule, ModelParams, ParamOverrides, SolverType, parse_assignment,
    parse_image_size,
};
pub use predict::{predict_loaded, predict_paths};
pub use weights::{LoadReport, NamedTensor, collect_tensors, load_tensors};
