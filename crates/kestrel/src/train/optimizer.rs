//! The optimiser from the model's parameters, and its state in checkpoints.

use crate::error::{Error, Result};
use crate::params::{ModelParams, SolverType};
use burn::module::ParamGroup;
use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{Adam, AdamConfig, LearningRate, ModuleOptimizer, Optimizer, SgdConfig};
use burn::tensor::{Device, Tensor};
use std::path::Path;

/// SGD with momentum (no dampening, as PyTorch) or Adam, with `weight_prior` as L2 weight
/// decay. Parameters in `backbone` learn at `backbone_learning_rate_factor` times the rate.
pub fn build(params: &ModelParams, backbone: ParamGroup) -> ModuleOptimizer {
    let decay =
        (params.weight_prior > 0.0).then(|| WeightDecayConfig::new(params.weight_prior as f32));
    let factor = params.backbone_learning_rate_factor;
    match params.solver_type {
        SolverType::Sgd => {
            let momentum = (params.momentum > 0.0).then_some(MomentumConfig {
                momentum: params.momentum,
                dampening: 0.0,
                nesterov: false,
            });
            let config = SgdConfig::new()
                .with_momentum(momentum)
                .with_weight_decay(decay);
            with_backbone_group(config.init(), config.build(), backbone, factor)
        }
        SolverType::Adam => {
            let config = AdamConfig::new().with_weight_decay(decay);
            with_backbone_group::<Adam>(config.init(), config.build(), backbone, factor)
        }
    }
}

fn with_backbone_group<O: Optimizer>(
    all: ModuleOptimizer,
    inner: O,
    backbone: ParamGroup,
    factor: f64,
) -> ModuleOptimizer {
    if factor == 1.0 {
        all
    } else {
        all.with_group(backbone, ScaledLr { inner, factor }, None)
    }
}

/// An optimiser that applies `inner` with its learning rate scaled by `factor`.
#[derive(Clone)]
struct ScaledLr<O> {
    inner: O,
    factor: f64,
}

impl<O: Optimizer> Optimizer for ScaledLr<O> {
    type State<const D: usize> = O::State<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        self.inner.step(lr * self.factor, tensor, grad, state)
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        O::to_device(state, device)
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
