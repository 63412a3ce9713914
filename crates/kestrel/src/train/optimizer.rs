//! The optimiser from the model's parameters, and its state in checkpoints.

use crate::error::{Error, Result};
use crate::params::{ModelParams, SolverType};
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, ModuleOptimizer, SgdConfig};
use std::path::Path;

/// SGD with momentum (no dampening, as PyTorch) or Adam, with `weight_prior` as L2 weight decay.
pub fn build(params: &ModelParams) -> ModuleOptimizer {
    let decay =
        (params.weight_prior > 0.0).then(|| WeightDecayConfig::new(params.weight_prior as f32));
    match params.solver_type {
        SolverType::Sgd => {
            let momentum = (params.momentum > 0.0).then_some(MomentumConfig {
                momentum: params.momentum,
                dampening: 0.0,
                nesterov: false,
            });
            SgdConfig::new()
                .with_momentum(momentum)
                .with_weight_decay(decay)
                .init()
        }
        SolverType::Adam => AdamConfig::new().with_weight_decay(decay).init(),
    }
}

/// Writes the optimiser state.
pub fn save(optim: &ModuleOptimizer, path: &Path) -> Result<()> {
    let bytes = optim.into_bytes().map_err(|e| Error::ModelFile {
        path: path.into(),
        message: format!("cannot serialise the optimiser state: {e:?}"),
    })?;
    crate::model_file::write_atomic(path, &bytes)
}

/// Restores the optimiser state written by [`save`].
pub fn load(optim: ModuleOptimizer, path: &Path) -> Result<ModuleOptimizer> {
    let bytes = std::fs::read(path).map_err(crate::error::io_error(path))?;
    optim
        .from_bytes(burn::tensor::Bytes::from_bytes_vec(bytes))
        .map_err(|e| Error::ModelFile {
            path: path.into(),
            message: format!("damaged optimiser state: {e:?}"),
        })
}
