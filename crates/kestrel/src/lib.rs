//! Kestrel: deep learning for machine vision.
//!
//! The workflow, as in HALCON's deep-learning module: create or read a [`Model`], prepare a
//! dataset (`kestrel_data`), [`train`](train::train) it, [`evaluate`](Model::evaluate) it
//! on the test split, and [`classify`](Model::classify) new images — on the CPU (burn's
//! flex backend) or on a GPU when built with the `cuda` feature ([`device`]).

pub mod anomaly;
pub mod classification;
pub mod detection;
pub mod device;
pub mod error;
pub mod evaluate;
pub mod loader;
pub mod method;
pub mod model;
pub mod model_file;
pub mod multi_label;
pub mod onnx;
pub mod params;
pub mod predict;
pub mod pretrained;
pub mod segmentation;
pub mod train;
pub mod weights;

pub use error::{Error, Result};
pub use kestrel_data as data;
pub use kestrel_image as image;
pub use kestrel_metrics as metrics;
pub use kestrel_nn as nn;
pub use model::{Model, Network};
pub use params::{LearningRateSchedule, ModelParams, SolverType};
