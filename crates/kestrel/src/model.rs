//! [`Model`]: a method, a backbone and a head, with its named parameters; created fresh,
//! read from and written to one model file.

use crate::device::parse_device;
use crate::error::{Error, Result};
use crate::method::{InferOptions, Method, NetworkInit, Report, Results};
use crate::model_file::{read_model_file, write_model_file};
use crate::network::Network;
use crate::params::ModelParams;
use crate::train::{RunFiles, TrainOptions, TrainSummary};
use crate::weights::NamedTensor;
use kestrel_data::{Dataset, Split};
use kestrel_nn::BackboneKind;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A model: parameters plus network weights.
#[derive(Debug, Clone)]
pub struct Model {
    /// The model's named parameters.
    pub params: ModelParams,
    /// The network.
    pub network: Network,
}

impl Model {
    /// Creates a model with fresh weights from validated parameters, on the device its
    /// `device` parameter names.
    pub fn new(mut params: ModelParams) -> Result<Self> {
        params.complete_method_params();
        params.validate()?;
        let device = parse_device(&params.device)?;
        let network = crate::device::seeded(&device, params.seed, || {
            params
                .model_type
                .method()
                .init_network(&params, &device, NetworkInit::default())
        })?;
        Ok(Self { params, network })
    }

    /// Reads a model file onto the device its `device` parameter names.
    pub fn load(path: &Path) -> Result<Self> {
        let (params, tensors) = read_model_file(path)?;
        match Self::assemble(params, &tensors)? {
            (model, None) => Ok(model),
            (_, Some(message)) => Err(Error::ModelFile {
                path: path.into(),
                message,
            }),
        }
    }

    /// The model with other parameters and the same weights (`kestrel model set`); fails
    /// when the weights do not fit the network the parameters describe (another
    /// `model_type`, backbone, number of classes or channels …), so no file is written that
    /// could not be read back.
    pub fn with_params(&self, mut params: ModelParams) -> Result<Self> {
        params.complete_method_params();
        params.validate()?;
        match Self::assemble(params, &self.network.tensors())? {
            (model, None) => Ok(model),
            (_, Some(mismatch)) => Err(Error::BadParam {
                name: "model".into(),
                message: format!("the model's weights do not fit the new parameters: {mismatch}"),
            }),
        }
    }

    /// The network `params` describe, holding `tensors`, and what did not fit (`None` when
    /// every tensor did).
    fn assemble(
        params: ModelParams,
        tensors: &BTreeMap<String, NamedTensor>,
    ) -> Result<(Self, Option<String>)> {
        let device = parse_device(&params.device)?;
        let init = NetworkInit {
            stored: Some(tensors),
            backbone: None,
        };
        let network = crate::device::seeded(&device, params.seed, || {
            params
                .model_type
                .method()
                .init_network(&params, &device, init)
        })?;
        let (network, report) = network.load(tensors);
        let mismatch = (!report.is_ok()).then(|| report.to_string());
        Ok((Self { params, network }, mismatch))
    }

    /// Writes the model file; refuses to replace an existing file unless `overwrite`.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<()> {
        write_model_file(path, &self.params, &self.network.tensors(), overwrite)
    }

    /// The model's method.
    pub fn method(&self) -> &'static dyn Method {
        self.params.model_type.method()
    }

    /// Trains (or fits) the model on the dataset's `train` split, validating on its
    /// `validation` split, as its method does. One run at a time writes to `options.out`
    /// (see [`RunLock`](crate::train::RunLock)).
    pub fn train(&mut self, dataset: &Dataset, options: &TrainOptions) -> Result<TrainSummary> {
        let _lock = RunFiles::new(&options.out).lock()?;
        self.method().train(self, dataset, options)
    }

    /// The method's measures on the dataset's `split`.
    pub fn evaluate(
        &self,
        dataset: &Dataset,
        split: Split,
        batch_size: usize,
    ) -> Result<Box<dyn Report>> {
        self.check_classes(dataset)?;
        self.method().evaluate(self, dataset, split, batch_size)
    }

    /// Refuses a dataset whose classes are not the model's: the classes a new model of this
    /// method would take from the dataset must be the ones this model has (methods whose
    /// classes do not come from the data always agree).
    fn check_classes(&self, dataset: &Dataset) -> Result<()> {
        let backbone = self.params.backbone_kind().unwrap_or(BackboneKind::Compact);
        let expected = self.method().default_params(backbone, dataset).class_names;
        if expected == self.params.class_names {
            return Ok(());
        }
        Err(Error::Dataset(format!(
            "{}: the dataset's classes [{}] are not the {} model's [{}] (evaluate a model on data with the classes it was trained on)",
            dataset.base_dir.display(),
            expected.join(", "),
            self.params.model_type,
            self.params.class_names.join(", ")
        )))
    }

    /// Applies the model to image files (PNG/JPEG/BMP/TIFF), each preprocessed as the
    /// model's parameters say.
    pub fn infer(&self, paths: &[PathBuf], options: &InferOptions) -> Result<Box<dyn Results>> {
        self.method().infer(self, paths, options)
    }

    /// Moves the model to another device and records it in the `device` parameter.
    pub fn set_device(&mut self, name: &str) -> Result<()> {
        let device = parse_device(name)?;
        self.network = self.network.to_device(&device);
        self.params.device = name.to_string();
        Ok(())
    }

    /// Number of trainable scalars.
    pub fn num_parameters(&self) -> usize {
        self.network.num_params()
    }

    /// An error saying the model's method cannot do `what` (`"classify"`).
    pub fn wrong_method(&self, what: &str) -> Error {
        Error::Dataset(format!("a {} model cannot {what}", self.params.model_type))
    }
}
