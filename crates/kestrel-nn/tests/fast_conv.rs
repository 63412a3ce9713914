//! Kestrel's convolution kernels inside burn's graph give burn's results: forward on the
//! plain flex device, and forward plus the gradients of input, weights and bias under
//! autodiff.

use burn::module::Module;
use burn::nn::PaddingConfig2d;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::tensor::{Device, Distribution, Tensor};
use kestrel_nn::fast;

mod common;

/// One convolution geometry: channels in/out, kernel, stride, padding, dilation, groups, bias.
struct Case {
    channels: [usize; 2],
    kernel: [usize; 2],
    stride: [usize; 2],
    padding: [usize; 2],
    dilation: [usize; 2],
    groups: usize,
    bias: bool,
}

const CASES: [Case; 6] = [
    // ResNet 3x3, with bias.
    Case {
        channels: [4, 6],
        kernel: [3, 3],
        stride: [1, 1],
        padding: [1, 1],
        dilation: [1, 1],
        groups: 1,
        bias: true,
    },
    // Strided stem-like 7x5 with odd padding.
    Case {
        channels: [3, 5],
        kernel: [5, 3],
        stride: [2, 3],
        padding: [2, 1],
        dilation: [1, 1],
        groups: 1,
        bias: false,
    },
    // Pointwise.
    Case {
        channels: [8, 4],
        kernel: [1, 1],
        stride: [1, 1],
        padding: [0, 0],
        dilation: [1, 1],
        groups: 1,
        bias: false,
    },
    // Depthwise, strided.
    Case {
        channels: [6, 6],
        kernel: [3, 3],
        stride: [2, 2],
        padding: [1, 1],
        dilation: [1, 1],
        groups: 6,
        bias: false,
    },
    // Grouped and dilated.
    Case {
        channels: [6, 9],
        kernel: [3, 3],
        stride: [1, 1],
        padding: [2, 2],
        dilation: [2, 2],
        groups: 3,
        bias: true,
    },
    // Strided pointwise.
    Case {
        channels: [5, 7],
        kernel: [1, 1],
        stride: [2, 2],
        padding: [0, 0],
        dilation: [1, 1],
        groups: 1,
        bias: true,
    },
];

fn layer(case: &Case, device: &Device) -> Conv2d {
    Conv2dConfig::new(case.channels, case.kernel)
        .with_stride(case.stride)
        .with_padding(PaddingConfig2d::Explicit(
            case.padding[0],
            case.padding[1],
            case.padding[0],
            case.padding[1],
        ))
        .with_dilation(case.dilation)
        .with_groups(case.groups)
        .with_bias(case.bias)
        .init(device)
}

fn assert_close(what: &str, got: Tensor<4>, want: Tensor<4>) {
    common::assert_close(what, got, want, 1e-4);
}

#[test]
fn inference_matches_burn() {
    let device = Device::flex();
    for (n, case) in CASES.iter().enumerate() {
        let conv = layer(case, &device);
        let x = Tensor::<4>::random(
            [3, case.channels[0], 11, 9],
            Distribution::Normal(0.0, 1.0),
            &device,
        );
        assert_close(
            &format!("case {n}"),
            fast::conv2d(&conv, x.clone()),
            conv.forward(x),
        );
    }
}

#[test]
fn gradients_match_burn() {
    let device = Device::flex().autodiff();
    for (n, case) in CASES.iter().enumerate() {
        let conv = layer(case, &device);
        let x = Tensor::<4>::random(
            [2, case.channels[0], 10, 7],
            Distribution::Normal(0.0, 1.0),
            &device,
        )
        .require_grad();
        // A loss that weighs every output differently, so each gradient element matters.
        let weights = Tensor::<4>::random(
            conv.forward(x.clone()).dims(),
            Distribution::Normal(0.0, 1.0),
            &device,
        );
        let ours = fast::conv2d(&conv, x.clone());
        let theirs = conv.forward(x.clone());
        assert_close(&format!("case {n} forward"), ours.clone(), theirs.clone());
        let grads_ours = (ours * weights.clone()).sum().backward();
        let grads_theirs = (theirs * weights).sum().backward();
        let grad = |t: &Tensor<4>, g| t.grad(g).expect("a gradient");
        assert_close(
            &format!("case {n} input gradient"),
            grad(&x, &grads_ours),
            grad(&x, &grads_theirs),
        );
        let w = conv.weight.val();
        assert_close(
            &format!("case {n} weight gradient"),
            grad(&w, &grads_ours),
            grad(&w, &grads_theirs),
        );
        if let Some(bias) = &conv.bias {
            let b = bias.val();
            let ours = b.grad(&grads_ours).expect("a bias gradient");
            let theirs = b.grad(&grads_theirs).expect("a bias gradient");
            assert_close(
                &format!("case {n} bias gradient"),
                ours.reshape([1, 1, 1, case.channels[1]]),
                theirs.reshape([1, 1, 1, case.channels[1]]),
            );
        }
    }
}

#[test]
fn valid_padding_matches_burn() {
    let device = Device::flex().autodiff();
    let conv = Conv2dConfig::new([3, 4], [3, 3]).init(&device);
    let x =
        Tensor::<4>::random([2, 3, 9, 8], Distribution::Normal(0.0, 1.0), &device).require_grad();
    let ours = fast::conv2d(&conv, x.clone());
    let theirs = conv.forward(x.clone());
    assert_close("forward", ours.clone(), theirs.clone());
    let (a, b) = (ours.sum().backward(), theirs.sum().backward());
    assert_close("input gradient", x.grad(&a).unwrap(), x.grad(&b).unwrap());
}

#[test]
fn other_dtypes_take_burns_path() {
    let x = Tensor::<4>::zeros([1, 1, 2, 2], &Device::flex()).cast(burn::tensor::DType::F64);
    assert!(!fast::runs_on_kernels(&x));
}

#[test]
fn frozen_weights_get_no_gradient_and_the_input_still_does() {
    let device = Device::flex().autodiff();
    let case = &CASES[0];
    let conv = layer(case, &device).no_grad();
    let x =
        Tensor::<4>::random([2, 4, 8, 8], Distribution::Normal(0.0, 1.0), &device).require_grad();
    let grads = fast::conv2d(&conv, x.clone()).sum().backward();
    assert!(conv.weight.val().grad(&grads).is_none());
    let expected = conv.forward(x.clone()).sum().backward();
    assert_close(
        "input gradient",
        x.grad(&grads).unwrap(),
        x.grad(&expected).unwrap(),
    );
}
