//! A residual add and its activation, `activation(a + b)`, in one pass through
//! [`kestrel_kernels::add_activation`]: plain for inference, a custom autodiff node for
//! training.

use super::flex::{self, contiguous, tensor, values};
use super::norm_act::activate;
use super::route::{Route, route};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::{Autodiff, Flex};
use burn::tensor::Tensor;
use kestrel_kernels::Activation;

/// `activation(a + b)`: fused when both are `f32` flex tensors of the same shape (both
/// plain or both under autodiff), burn's ops otherwise (which also broadcast).
pub fn add_activation(a: Tensor<4>, b: Tensor<4>, activation: Activation) -> Tensor<4> {
    let fused = match (route(&a), route(&b)) {
        _ if a.dims() != b.dims() => None,
        (Route::Plain, Route::Plain) => plain(&a, &b, activation),
        (Route::Tracked, Route::Tracked) => tracked(&a, &b, activation),
        _ => None,
    };
    fused.unwrap_or_else(|| activate(activation, a + b))
}

/// The kernel on two flex primitives of `dims`.
fn compute(a: &FlexTensor, b: &FlexTensor, activation: Activation, dims: [usize; 4]) -> FlexTensor {
    let (a, b) = (contiguous(a), contiguous(b));
    let mut out = vec![0f32; dims.iter().product()];
    kestrel_kernels::add_activation(values(&a), values(&b), activation, &mut out)
        .expect("both inputs have the output's shape");
    tensor(out, dims)
}

fn plain(a: &Tensor<4>, b: &Tensor<4>, activation: Activation) -> Option<Tensor<4>> {
    let dims = a.dims();
    let out = compute(
        &flex::plain(a.clone())?,
        &flex::plain(b.clone())?,
        activation,
        dims,
    );
    Some(Tensor::from_primitive::<Flex>(out))
}

fn tracked(a: &Tensor<4>, b: &Tensor<4>, activation: Activation) -> Option<Tensor<4>> {
    let dims = a.dims();
    let (a, a_node) = flex::tracked(a.clone())?;
    let (b, b_node) = flex::tracked(b.clone())?;
    let out = compute(&a, &b, activation, dims);
    let y = match AddActivationBackward
        .prepare::<NoCheckpointing>([a_node, b_node])
        .compute_bound()
        .stateful()
    {
        OpsKind::Tracked(prep) => prep.finish((out.clone(), activation, dims), out),
        OpsKind::UnTracked(prep) => prep.finish(out),
    };
    Some(Tensor::from_primitive::<Autodiff<Flex>>(y))
}

/// The backward pass of `activation(a + b)`: both parents get `dout * activation'(out)`.
#[derive(Debug)]
struct AddActivationBackward;

impl Backward<Flex, 2> for AddActivationBackward {
    /// The output, the activation and the output's dimensions.
    type State = (FlexTensor, Activation, [usize; 4]);

    fn backward(self, ops: Ops<Self::State, 2>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [a_node, b_node] = ops.parents;
        let dout = contiguous(&grads.consume::<Flex>(&ops.node));
        let (out, activation, dims) = ops.state;
        let grad = if activation == Activation::Identity {
            dout
        } else {
            let mut grad = vec![0f32; dims.iter().product()];
            kestrel_kernels::activation_backward(
                values(&out),
                values(&dout),
                activation,
                &mut grad,
            )
            .expect("the output and its gradient have the same shape");
            tensor(grad, dims)
        };
        match (a_node, b_node) {
            (Some(a), Some(b)) => {
                grads.register::<Flex>(a.id, grad.clone());
                grads.register::<Flex>(b.id, grad);
            }
            (Some(node), None) | (None, Some(node)) => grads.register::<Flex>(node.id, grad),
            (None, None) => {}
        }
    }
}
