//! 2D max pooling through [`kestrel_kernels`]: plain for inference, a custom autodiff node
//! (which keeps the index of each maximum) for training.

use super::conv::symmetric_padding;
use super::flex::{self, contiguous, tensor, values};
use super::route::{Route, route};
use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind};
use burn::backend::{Autodiff, Flex};
use burn::nn::pool::MaxPool2d;
use burn::tensor::Tensor;
use kestrel_kernels::Pool2dShape;

/// `pool.forward(x)`, through Kestrel's kernels when `x` is an `f32` flex tensor (with or
/// without autodiff), the padding is `Valid` or explicit and symmetric (at most half the
/// kernel) and `ceil_mode` is off; through burn otherwise.
pub fn max_pool2d(pool: &MaxPool2d, x: Tensor<4>) -> Tensor<4> {
    let computed = shape_of(pool, x.dims()).and_then(|shape| match route(&x) {
        Route::Plain => plain(&shape, &x),
        Route::Tracked => tracked(&shape, &x),
        Route::Other => None,
    });
    computed.unwrap_or_else(|| pool.forward(x))
}

/// The kernels' geometry of `pool` on an input of `dims`; `None` for what they do not
/// take (and for geometries burn should report its own way).
fn shape_of(pool: &MaxPool2d, dims: [usize; 4]) -> Option<Pool2dShape> {
    if pool.ceil_mode {
        return None;
    }
    let padding = symmetric_padding(&pool.padding)?;
    let [batch, channels, in_height, in_width] = dims;
    let shape = Pool2dShape {
        batch,
        channels,
        in_height,
        in_width,
        kernel: pool.kernel_size,
        stride: pool.stride,
        padding,
        dilation: pool.dilation,
    };
    shape.validate().ok().map(|()| shape)
}

fn output_dims(shape: &Pool2dShape) -> [usize; 4] {
    [
        shape.batch,
        shape.channels,
        shape.out_height(),
        shape.out_width(),
    ]
}

fn plain(shape: &Pool2dShape, x: &Tensor<4>) -> Option<Tensor<4>> {
    let x = contiguous(&flex::plain(x.clone())?);
    let mut out = vec![0f32; shape.output_len()];
    kestrel_kernels::max_pool2d(shape, values(&x), &mut out).ok()?;
    Some(Tensor::from_primitive::<Flex>(tensor(
        out,
        output_dims(shape),
    )))
}

fn tracked(shape: &Pool2dShape, x: &Tensor<4>) -> Option<Tensor<4>> {
    let (x, node) = flex::tracked(x.clone())?;
    let x = contiguous(&x);
    let mut out = vec![0f32; shape.output_len()];
    let mut indices = vec![0u32; shape.output_len()];
    kestrel_kernels::max_pool2d_with_indices(shape, values(&x), &mut out, &mut indices).ok()?;
    let out = tensor(out, output_dims(shape));
    let y = match MaxPoolBackward
        .prepare::<NoCheckpointing>([node])
        .compute_bound()
        .stateful()
    {
        OpsKind::Tracked(prep) => prep.finish((*shape, indices), out),
        OpsKind::UnTracked(prep) => prep.finish(out),
    };
    Some(Tensor::from_primitive::<Autodiff<Flex>>(y))
}

/// The backward pass of a max pooling: the output gradient goes to each window's maximum.
#[derive(Debug)]
struct MaxPoolBackward;

impl Backward<Flex, 1> for MaxPoolBackward {
    /// The geometry and the flat in-plane index of each output's maximum.
    type State = (Pool2dShape, Vec<u32>);

    fn backward(self, ops: Ops<Self::State, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let [node] = ops.parents;
        let dout = contiguous(&grads.consume::<Flex>(&ops.node));
        let Some(node) = node else { return };
        let (shape, indices) = ops.state;
        let mut dx = vec![0f32; shape.input_len()];
        kestrel_kernels::max_pool2d_backward(&shape, &indices, values(&dout), &mut dx)
            .expect("the indices come from the forward pass on the same geometry");
        let dims = [shape.batch, shape.channels, shape.in_height, shape.in_width];
        grads.register::<Flex>(node.id, tensor(dx, dims));
    }
}
