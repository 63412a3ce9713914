//! 2D convolution through [`kestrel_kernels`]: plain on flex for inference, a custom
//! autodiff node with its own backward pass for training.

use super::flex::{self, contiguous, tensor, values, vector};
use super::route::{Route, route};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::flex::FlexTensor;
use burn::backend::{Autodiff, Flex};
use burn::nn::PaddingConfig2d;
use burn::nn::conv::Conv2d;
use burn::tensor::Tensor;
use kestrel_kernels::Conv2dShape;

/// `conv.forward(x)`, through Kestrel's kernels when `x` and the weights are `f32` flex
/// tensors (with or without autodiff) and the padding is `Valid` or explicit and
/// symmetric; through burn otherwise.
pub fn conv2d(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let weight = conv.weight.val();
    let bias = conv.bias.as_ref().map(|b| b.val());
    let path = route(&x);
    let same_route = route(&weight) == path && bias.as_ref().is_none_or(|b| route(b) == path);
    let Some(shape) = shape_of(conv, x.dims()).filter(|_| path != Route::Other && same_route)
    else {
        return conv.forward(x);
    };
    let computed = match path {
        Route::Plain => plain(shape, &x, &weight, bias.as_ref()),
        _ => tracked(shape, &x, &weight, bias.as_ref()),
    };
    computed.unwrap_or_else(|| conv.forward(x))
}

/// The kernels' geometry of `conv` on an input of `dims`; `None` for what the kernels do
/// not take (`Same` or asymmetric padding) and for a geometry burn should report its own
/// way.
pub(crate) fn shape_of(conv: &Conv2d, dims: [usize; 4]) -> Option<Conv2dShape> {
    let padding = symmetric_padding(&conv.padding)?;
    let [batch, in_channels, in_height, in_width] = dims;
    let [out_channels, _, kernel_height, kernel_width] = conv.weight.val().dims();
    let shape = Conv2dShape {
        batch,
        in_channels,
        in_height,
        in_width,
        out_channels,
        kernel_height,
        kernel_width,
        stride: conv.stride,
        padding,
        dilation: conv.dilation,
        groups: conv.groups,
    };
    shape.validate().ok().map(|()| shape)
}

/// `[rows, columns]` of a padding the kernels take: `Valid`, or explicit with the same
/// amount on both sides of each axis; `None` for `Same` and for asymmetric padding.
pub(crate) fn symmetric_padding(padding: &PaddingConfig2d) -> Option<[usize; 2]> {
    match *padding {
        PaddingConfig2d::Explicit(top, left, bottom, right) => {
            (top == bottom && left == right).then_some([top, left])
        }
        PaddingConfig2d::Valid => Some([0, 0]),
        PaddingConfig2d::Same => None,
    }
}

/// The convolution without autodiff; `None` if a tensor is not on flex after all.
fn plain(
    shape: Conv2dShape,
    x: &Tensor<4>,
    weight: &Tensor<4>,
    bias: Option<&Tensor<1>>,
) -> Option<Tensor<4>> {
    let x = flex::plain(x.clone())?;
    let weight = flex::plain(weight.clone())?;
    let bias = match bias {
        Some(b) => Some(flex::plain(b.clone())?),
        None => None,
    };
    let out = forward(&shape, &x, &weight, bias.as_ref());
    Some(Tensor::from_primitive::<Flex>(out))
}

/// The convolution as a tracked autodiff node whose backward pass runs Kestrel's kernels;
/// `None` if a tensor is not on autodiff flex after all.
fn tracked(
    shape: Conv2dShape,
    x: &Tensor<4>,
    weight: &Tensor<4>,
    bias: Option<&Tensor<1>>,
) -> Option<Tensor<4>> {
    let (x, x_node) = flex::tracked(x.clone())?;
    let (weight, weight_node) = flex::tracked(weight.clone())?;
    let bias = match bias {
        Some(b) => Some(flex::tracked(b.clone())?),
        None => None,
    };
    let state = |x: FlexTensor, weight: FlexTensor| ConvState {
        shape,
        x: contiguous(&x),
        weight: contiguous(&weight),
    };
    let out = match bias {
        Some((bias, bias_node)) => {
            let y = forward(&shape, &x, &weight, Some(&bias));
            match ConvBackward::<3>
                .prepare::<NoCheckpointing>([x_node, weight_node, bias_node])
                .compute_bound()
                .stateful()
            {
                OpsKind::Tracked(prep) => prep.finish(state(x, weight), y),
                OpsKind::UnTracked(prep) => prep.finish(y),
            }
        }
        None => {
            let y = forward(&shape, &x, &weight, None);
            match ConvBackward::<2>
                .prepare::<NoCheckpointing>([x_node, weight_node])
                .compute_bound()
                .stateful()
            {
                OpsKind::Tracked(prep) => prep.finish(state(x, weight), y),
                OpsKind::UnTracked(prep) => prep.finish(y),
            }
        }
    };
    Some(Tensor::from_primitive::<Autodiff<Flex>>(out))
}

/// The forward kernel on flex tensors.
fn forward(
    shape: &Conv2dShape,
    x: &FlexTensor,
    weight: &FlexTensor,
    bias: Option<&FlexTensor>,
) -> FlexTensor {
    let (x, weight) = (contiguous(x), contiguous(weight));
    let bias = bias.map(contiguous);
    let mut out = vec![0f32; shape.output_len()];
    kestrel_kernels::conv2d(
        shape,
        values(&x),
        values(&weight),
        bias.as_ref().map(values),
        &mut out,
    )
    .expect("the shape was validated and the slices match it");
    tensor(out, output_dims(shape))
}

/// The `[batch, channels, height, width]` of the output.
pub(crate) fn output_dims(shape: &Conv2dShape) -> [usize; 4] {
    [
        shape.batch,
        shape.out_channels,
        shape.out_height(),
        shape.out_width(),
    ]
}

/// What the backward pass needs: the geometry, the input and the weights.
#[derive(Debug, Clone)]
struct ConvState {
    shape: Conv2dShape,
    x: FlexTensor,
    weight: FlexTensor,
}

/// The backward pass of a convolution with `N` parents: input, weights and (`N = 3`) bias.
#[derive(Debug)]
struct ConvBackward<const N: usize>;

impl<const N: usize> Backward<Flex, N> for ConvBackward<N> {
    type State = ConvState;

    fn backward(self, ops: Ops<ConvState, N>, grads: &mut Gradients, _: &mut Checkpointer) {
        let mut parents = ops.parents.into_iter();
        let (x_node, weight_node) = (parents.next().flatten(), parents.next().flatten());
        let bias_node = parents.next().flatten();
        let dy = contiguous(&grads.consume::<Flex>(&ops.node));
        let ConvState { shape, x, weight } = ops.state;
        let invariant = "the shape was validated in the forward pass and the slices match it";
        if let Some(node) = x_node {
            let mut dx = vec![0f32; shape.input_len()];
            kestrel_kernels::conv2d_backward_input(&shape, values(&dy), values(&weight), &mut dx)
                .expect(invariant);
            let dims = [
                shape.batch,
                shape.in_channels,
                shape.in_height,
                shape.in_width,
            ];
            grads.register::<Flex>(node.id, tensor(dx, dims));
        }
        if let Some(node) = weight_node {
            let mut dw = vec![0f32; shape.weight_len()];
            kestrel_kernels::conv2d_backward_weight(&shape, values(&x), values(&dy), &mut dw)
                .expect(invariant);
            let dims = [
                shape.out_channels,
                shape.in_channels / shape.groups,
                shape.kernel_height,
                shape.kernel_width,
            ];
            grads.register::<Flex>(node.id, tensor(dw, dims));
        }
        if let Some(node) = bias_node {
            let mut db = vec![0f32; shape.out_channels];
            kestrel_kernels::conv2d_backward_bias(&shape, values(&dy), &mut db).expect(invariant);
            grads.register::<Flex>(node.id, vector(db));
        }
    }
}
