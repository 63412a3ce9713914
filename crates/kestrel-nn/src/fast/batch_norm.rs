//! Batch normalisation fused with its activation through [`kestrel_kernels`]: with batch
//! statistics as a custom autodiff node for training (updating the running statistics as
//! burn's `BatchNorm` does), and with the running statistics for inference.

use super::flex::{self, contiguous, tensor, values, vector};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::{Autodiff, Flex};
use burn::nn::BatchNorm;
use burn::tensor::{Tensor, TensorData};
use kestrel_kernels::{Activation, BatchNormShape};

/// The geometry of a `[batch, channels, height, width]` input.
pub(crate) fn shape_of(dims: [usize; 4]) -> BatchNormShape {
    BatchNormShape {
        batch: dims[0],
        channels: dims[1],
        plane: dims[2] * dims[3],
    }
}

/// `activation(bn(x))` with the running statistics, without autodiff; `None` when a
/// tensor is not a plain flex one after all.
pub(crate) fn inference(
    bn: &BatchNorm,
    activation: Activation,
    x: &Tensor<4>,
) -> Option<Tensor<4>> {
    let dims = x.dims();
    let out = with_running_statistics(bn, activation, &flex::plain(x.clone())?, dims)?;
    Some(Tensor::from_primitive::<Flex>(out))
}

/// The inference kernel (running statistics) on a flex primitive of `dims`.
fn with_running_statistics(
    bn: &BatchNorm,
    activation: Activation,
    x: &FlexTensor,
    dims: [usize; 4],
) -> Option<FlexTensor> {
    let shape = shape_of(dims);
    let x = contiguous(x);
    let [gamma, beta, mean, variance] = running(bn)?;
    let mut out = vec![0f32; shape.len()];
    kestrel_kernels::batch_norm_inference(
        &shape,
        values(&x),
        &gamma,
        &beta,
        &mean,
        &variance,
        bn.epsilon as f32,
        activation,
        &mut out,
    )
    .ok()?;
    Some(tensor(out, dims))
}

/// `gamma`, `beta` and the running mean and variance of `bn` on the host; `None` when
/// they are not `f32`.
fn running(bn: &BatchNorm) -> Option<[Vec<f32>; 4]> {
    let host = |t: Tensor<1>| t.into_data().try_to_vec::<f32>().ok();
    Some([
        host(bn.gamma.val())?,
        host(bn.beta.val())?,
        host(bn.running_mean.value())?,
        host(bn.running_var.value())?,
    ])
}

/// `bn` with its running statistics as a per-channel `(scale, shift)`, for the epilogue
/// of the convolution before it; `None` when its tensors are not `f32`.
pub(crate) fn folded(bn: &BatchNorm) -> Option<(Vec<f32>, Vec<f32>)> {
    let [gamma, beta, mean, variance] = running(bn)?;
    kestrel_kernels::batch_norm_scale_shift(&gamma, &beta, &mean, &variance, bn.epsilon as f32).ok()
}

/// `activation(bn(x))` with the running statistics under autodiff, for a frozen layer
/// (gamma and beta need no gradient, as after `freeze`): a tracked node whose backward
/// pass gives only the input its gradient. `None` when gamma or beta need a gradient or a
/// tensor is not on autodiff flex.
pub(crate) fn frozen(bn: &BatchNorm, activation: Activation, x: &Tensor<4>) -> Option<Tensor<4>> {
    if bn.gamma.val().is_require_grad() || bn.beta.val().is_require_grad() {
        return None;
    }
    let dims = x.dims();
    let (x, x_node) = flex::tracked(x.clone())?;
    let out = with_running_statistics(bn, activation, &x, dims)?;
    let (scale, _) = folded(bn)?;
    let y = match FrozenBatchNormBackward
        .prepare::<NoCheckpointing>([x_node])
        .compute_bound()
        .stateful()
    {
        OpsKind::Tracked(prep) => {
            let state = FrozenState {
                shape: shape_of(dims),
                dims,
                out: out.clone(),
                scale,
                activation,
            };
            prep.finish(state, out)
        }
        OpsKind::UnTracked(prep) => prep.finish(out),
    };
    Some(Tensor::from_primitive::<Autodiff<Flex>>(y))
}

/// `activation(bn(x))` with batch statistics as a tracked autodiff node, updating `bn`'s
/// running statistics; `None` when a tensor is not on autodiff flex after all.
pub(crate) fn train(bn: &BatchNorm, activation: Activation, x: &Tensor<4>) -> Option<Tensor<4>> {
    let dims = x.dims();
    let shape = shape_of(dims);
    let device = x.device();
    let (x, x_node) = flex::tracked(x.clone())?;
    let (gamma, gamma_node) = flex::tracked(bn.gamma.val())?;
    let (beta, beta_node) = flex::tracked(bn.beta.val())?;
    let (x, gamma, beta) = (contiguous(&x), contiguous(&gamma), contiguous(&beta));
    let mut out = vec![0f32; shape.len()];
    let mut mean = vec![0f32; shape.channels];
    let mut variance = vec![0f32; shape.channels];
    kestrel_kernels::batch_norm_train(
        &shape,
        values(&x),
        values(&gamma),
        values(&beta),
        bn.epsilon as f32,
        activation,
        &mut out,
        &mut mean,
        &mut variance,
    )
    .ok()?;
    update_running(bn, &mean, &variance, &device);
    let out = tensor(out, dims);
    let y = match BatchNormBackward
        .prepare::<NoCheckpointing>([x_node, gamma_node, beta_node])
        .compute_bound()
        .stateful()
    {
        OpsKind::Tracked(prep) => {
            let state = BatchNormState {
                shape,
                dims,
                x,
                out: out.clone(),
                gamma,
                mean,
                variance,
                epsilon: bn.epsilon as f32,
                activation,
            };
            prep.finish(state, out)
        }
        OpsKind::UnTracked(prep) => prep.finish(out),
    };
    Some(Tensor::from_primitive::<Autodiff<Flex>>(y))
}

/// `running = (1 - momentum) * running + momentum * batch`, as burn's `BatchNorm` does.
fn update_running(bn: &BatchNorm, mean: &[f32], variance: &[f32], device: &burn::tensor::Device) {
    let m = bn.momentum;
    let blend = |running: Tensor<1>, batch: &[f32]| {
        let batch = Tensor::<1>::from_data(TensorData::new(batch.to_vec(), [batch.len()]), device);
        running
            .to_device(device)
            .mul_scalar(1.0 - m)
            .add(batch.mul_scalar(m))
            .detach()
    };
    bn.running_mean
        .update(blend(bn.running_mean.value_sync(), mean));
    bn.running_var
        .update(blend(bn.running_var.value_sync(), variance));
}

/// What the backward pass needs.
#[derive(Debug, Clone)]
struct BatchNormState {
    shape: BatchNormShape,
    dims: [usize; 4],
    x: FlexTensor,
    out: FlexTensor,
    gamma: FlexTensor,
    mean: Vec<f32>,
    variance: Vec<f32>,
    epsilon: f32,
    activation: Activation,
}

/// The backward pass of a batch norm with batch statistics and its activation; parents:
/// input, gamma, beta.
#[derive(Debug)]
struct BatchNormBackward;

impl Backward<Flex, 3> for BatchNormBackward {
    type State = BatchNormState;

    fn backward(self, ops: Ops<BatchNormState, 3>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [x_node, gamma_node, beta_node] = ops.parents;
        let dout = contiguous(&grads.consume::<Flex>(&ops.node));
        let s = ops.state;
        let channels = s.shape.channels;
        let mut dx = x_node.as_ref().map(|_| vec![0f32; s.shape.len()]);
        let mut dgamma = vec![0f32; channels];
        let mut dbeta = vec![0f32; channels];
        kestrel_kernels::batch_norm_train_backward(
            &s.shape,
            values(&s.x),
            values(&s.out),
            values(&dout),
            values(&s.gamma),
            &s.mean,
            &s.variance,
            s.epsilon,
            s.activation,
            dx.as_deref_mut(),
            &mut dgamma,
            &mut dbeta,
        )
        .expect("the shapes were checked in the forward pass");
        let dims = s.dims;
        if let (Some(node), Some(dx)) = (x_node, dx) {
            grads.register::<Flex>(node.id, tensor(dx, dims));
        }
        if let Some(node) = gamma_node {
            grads.register::<Flex>(node.id, vector(dgamma));
        }
        if let Some(node) = beta_node {
            grads.register::<Flex>(node.id, vector(dbeta));
        }
    }
}

/// What the backward pass of a frozen batch norm needs.
#[derive(Debug, Clone)]
struct FrozenState {
    shape: BatchNormShape,
    dims: [usize; 4],
    out: FlexTensor,
    scale: Vec<f32>,
    activation: Activation,
}

/// The backward pass of a batch norm with running statistics and frozen gamma and beta:
/// `dx = dout * act'(out) * scale`; parent: the input.
#[derive(Debug)]
struct FrozenBatchNormBackward;

impl Backward<Flex, 1> for FrozenBatchNormBackward {
    type State = FrozenState;

    fn backward(self, ops: Ops<FrozenState, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [x_node] = ops.parents;
        let dout = contiguous(&grads.consume::<Flex>(&ops.node));
        let Some(node) = x_node else { return };
        let s = ops.state;
        let mut dx = vec![0f32; s.shape.len()];
        kestrel_kernels::batch_norm_inference_backward(
            &s.shape,
            values(&s.out),
            values(&dout),
            &s.scale,
            s.activation,
            &mut dx,
        )
        .expect("the shapes were checked in the forward pass");
        grads.register::<Flex>(node.id, tensor(dx, s.dims));
    }
}
