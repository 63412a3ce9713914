//! [`OnnxModel`]: load an ONNX file with tract and run it.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use tract_onnx::prelude::*;
use tract_onnx::tract_core::plan::SimplePlan;

use crate::error::{OnnxError, chain};

/// The optimised, runnable tract plan.
type Plan = SimplePlan<TypedFact, Box<dyn TypedOp>>;

/// The prefix tract-onnx gives the model's `metadata_props` in its properties.
const METADATA_PREFIX: &str = "onnx.metadata_props.";

/// One output of [`OnnxModel::run`]: its shape and its values, row-major.
pub type TensorOutput = (Vec<usize>, Vec<f32>);

/// An ONNX model loaded for inference.
///
/// The input shape is fixed at load time and the graph is optimised for it, so every
/// [`run`](Self::run) must use that shape. Load the model again for another shape (for
/// example another batch size). Only the first input's shape is set from `input_shape`;
/// other inputs keep the shape the file gives them.
#[derive(Debug, Clone)]
pub struct OnnxModel {
    plan: Arc<Plan>,
    input_names: Vec<String>,
    output_names: Vec<String>,
    input_shape: Vec<usize>,
    metadata: BTreeMap<String, String>,
}

impl OnnxModel {
    /// Loads `path`; `input_shape` fixes dynamic dimensions (e.g. `[1, 3, 224, 224]`);
    /// when `None`, the model's own input fact is used and must be fully known.
    /// Runs on one thread. Errors name the file.
    pub fn load(path: &Path, input_shape: Option<&[usize]>) -> Result<Self, OnnxError> {
        Self::load_with_threads(path, input_shape, 1)
    }

    /// Like [`load`](Self::load), with matrix products spread over `threads` threads
    /// (a private rayon pool of the model; 0 or 1 means the calling thread only).
    pub fn load_with_threads(
        path: &Path,
        input_shape: Option<&[usize]>,
        threads: usize,
    ) -> Result<Self, OnnxError> {
        let load_err = |message: String| OnnxError::Load {
            path: path.to_path_buf(),
            message,
        };
        if !path.is_file() {
            return Err(load_err("no such file".into()));
        }
        let mut model = tract_onnx::onnx()
            .model_for_path(path)
            .map_err(|e| load_err(chain(&e)))?;
        let metadata = read_metadata(&model.properties);
        let input_names =
            outlet_names(&model, model.input_outlets()).map_err(|e| load_err(chain(&e)))?;
        let output_names =
            outlet_names(&model, model.output_outlets()).map_err(|e| load_err(chain(&e)))?;
        if input_names.is_empty() {
            return Err(load_err("the model has no input".into()));
        }
        if let Some(shape) = input_shape {
            model
                .set_input_fact(0, f32::fact(shape).into())
                .map_err(|e| {
                    load_err(format!("cannot set input shape {shape:?}: {}", chain(&e)))
                })?;
        }
        let typed = model.into_typed().map_err(|e| load_err(chain(&e)))?;
        let fact = typed.input_fact(0).map_err(|e| load_err(chain(&e)))?;
        let Some(dims) = fact.shape.as_concrete() else {
            return Err(OnnxError::Shape {
                message: format!(
                    "{}: input `{}` has shape {:?}, not fully known; pass an input shape",
                    path.display(),
                    input_names[0],
                    fact.shape
                ),
            });
        };
        let dims = dims.to_vec();
        let optimized = typed.into_optimized().map_err(|e| load_err(chain(&e)))?;
        let mut options = RunOptions::default();
        if threads > 1 {
            options.executor = Some(multithread::Executor::multithread(threads));
        }
        let plan = optimized
            .into_runnable_with_options(&options)
            .map_err(|e| load_err(chain(&e)))?;
        Ok(Self {
            plan,
            input_names,
            output_names,
            input_shape: dims,
            metadata,
        })
    }

    /// The names of the model's inputs, in order.
    pub fn input_names(&self) -> Vec<String> {
        self.input_names.clone()
    }

    /// The names of the model's outputs, in the order [`run`](Self::run) returns them.
    pub fn output_names(&self) -> Vec<String> {
        self.output_names.clone()
    }

    /// The (fixed) shape of the first input, e.g. `[1, 3, 224, 224]`.
    pub fn input_shape(&self) -> Vec<usize> {
        self.input_shape.clone()
    }

    /// Model `metadata_props` (key/value strings) from the ONNX file, e.g. preprocessing
    /// written by an exporter. Empty when the file has none.
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }

    /// Runs the model on one `f32` input (row-major, the given shape); returns every
    /// output as (shape, values), values row-major and converted to `f32`.
    pub fn run(&self, input: &[f32], shape: &[usize]) -> Result<Vec<TensorOutput>, OnnxError> {
        if shape != self.input_shape.as_slice() {
            return Err(OnnxError::Shape {
                message: format!(
                    "input shape {shape:?} differs from the shape {:?} the model was loaded with",
                    self.input_shape
                ),
            });
        }
        let expected: usize = shape.iter().product();
        if input.len() != expected {
            return Err(OnnxError::Shape {
                message: format!(
                    "input has {} values, shape {shape:?} needs {expected}",
                    input.len()
                ),
            });
        }
        let run_err = |e: TractError| OnnxError::Run { message: chain(&e) };
        let tensor = Tensor::from_shape(shape, input).map_err(run_err)?;
        let outputs = self
            .plan
            .run(tvec!(tensor.into_tvalue()))
            .map_err(run_err)?;
        outputs
            .iter()
            .map(|t| {
                let values = t.cast_to::<f32>().map_err(run_err)?;
                let slice = values
                    .try_as_plain_ram()
                    .map_err(run_err)?
                    .as_slice::<f32>()
                    .map_err(run_err)?
                    .to_vec();
                Ok((t.shape().to_vec(), slice))
            })
            .collect()
    }
}

/// The model's `metadata_props`, from the properties tract-onnx stores them in.
fn read_metadata(
    properties: &std::collections::HashMap<String, Arc<Tensor>>,
) -> BTreeMap<String, String> {
    properties
        .iter()
        .filter_map(|(key, value)| {
            let key = key.strip_prefix(METADATA_PREFIX)?;
            let value = value
                .try_as_plain_ram()
                .ok()?
                .to_scalar::<String>()
                .ok()?
                .clone();
            Some((key.to_string(), value))
        })
        .collect()
}

/// The ONNX names of `outlets`: their labels, else their node's name.
fn outlet_names(
    model: &InferenceModel,
    outlets: TractResult<&[OutletId]>,
) -> TractResult<Vec<String>> {
    Ok(outlets?
        .iter()
        .map(|&o| {
            model
                .outlet_label(o)
                .unwrap_or(&model.node(o.node).name)
                .to_string()
        })
        .collect())
}
