//! The fused inference layer (convolution + folded batch norm + residual + activation in
//! one kernel call), the fused residual add and max pooling give burn's results, and the
//! custom autodiff nodes of the last two give burn's gradients.

use burn::module::{Param, RunningState};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::pool::{MaxPool2d, MaxPool2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};
use kestrel_nn::fast::{self, Activation};

mod common;

use common::{ACTIVATIONS, activate, random};

/// A 3x3 convolution (stride 2 when `strided`, with a bias when `bias`, depthwise when
/// `groups` is the channel count) and a batch norm with non-trivial running statistics.
fn layer(channels: [usize; 2], groups: usize, strided: bool, bias: bool) -> (Conv2d, BatchNorm) {
    let device = Device::flex();
    let conv = Conv2dConfig::new(channels, [3, 3])
        .with_stride([1 + usize::from(strided); 2])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .with_groups(groups)
        .with_bias(bias)
        .init(&device);
    let c = channels[1];
    let mut bn = BatchNormConfig::new(c).init(&device);
    bn.gamma = Param::from_tensor(random([c], 1.0, &device));
    bn.beta = Param::from_tensor(random([c], 0.5, &device));
    bn.running_mean = RunningState::new(random([c], 0.0, &device));
    bn.running_var = RunningState::new(random([c], 0.0, &device).abs().add_scalar(0.1));
    (conv, bn)
}

fn assert_close(what: &str, got: Tensor<4>, want: Tensor<4>) {
    common::assert_close(what, got, want, 2e-4);
}

#[test]
fn fused_inference_layer_matches_burn() {
    let device = Device::flex();
    let cases = [
        ("dense", [4, 6], 1, false, false),
        ("dense with bias, strided", [4, 6], 1, true, true),
        ("grouped", [4, 6], 2, false, false),
        ("depthwise", [5, 5], 5, false, true),
    ];
    for (name, channels, groups, strided, bias) in cases {
        let (conv, bn) = layer(channels, groups, strided, bias);
        let x = random([2, channels[0], 9, 8], 0.0, &device).mul_scalar(3.0);
        let plain = bn.forward(conv.forward(x.clone()));
        let residual = random(plain.dims(), 0.0, &device).mul_scalar(3.0);
        for activation in ACTIVATIONS {
            let what = format!("{name}, {activation:?}");
            assert_close(
                &what,
                fast::conv_bn_activation(&conv, &bn, activation, x.clone()),
                activate(activation, plain.clone()),
            );
            assert_close(
                &format!("{what}, with a residual"),
                fast::conv_bn_add_activation(&conv, &bn, x.clone(), residual.clone(), activation),
                activate(activation, plain.clone() + residual.clone()),
            );
        }
    }
}

#[test]
fn a_residual_of_another_shape_takes_burns_broadcasting_path() {
    let device = Device::flex();
    let (conv, bn) = layer([3, 4], 1, false, false);
    let x = random([2, 3, 6, 5], 0.0, &device);
    let residual = random([1, 4, 1, 1], 0.0, &device);
    assert_close(
        "broadcast residual",
        fast::conv_bn_add_activation(&conv, &bn, x.clone(), residual.clone(), Activation::Relu),
        relu(bn.forward(conv.forward(x)) + residual),
    );
}

#[test]
fn residual_add_matches_burn_with_gradients() {
    let device = Device::flex().autodiff();
    for activation in ACTIVATIONS {
        // Values around 3 with spread 4, so ReLU6 clips at both ends.
        let a = random([2, 3, 5, 4], 0.0, &device)
            .mul_scalar(4.0)
            .add_scalar(1.5)
            .require_grad();
        let b = random([2, 3, 5, 4], 1.5, &device).require_grad();
        let weights = random([2, 3, 5, 4], 0.0, &device);
        let ours = fast::add_activation(a.clone(), b.clone(), activation);
        let theirs = activate(activation, a.clone() + b.clone());
        let what = format!("{activation:?}");
        assert_close(&format!("{what} forward"), ours.clone(), theirs.clone());
        let g_ours = (ours * weights.clone()).sum().backward();
        let g_theirs = (theirs * weights).sum().backward();
        for (name, t) in [("a", &a), ("b", &b)] {
            assert_close(
                &format!("{what} gradient of {name}"),
                t.grad(&g_ours).unwrap(),
                t.grad(&g_theirs).unwrap(),
            );
        }
    }
}

#[test]
fn residual_add_with_one_constant_side_gives_the_other_its_gradient() {
    let device = Device::flex().autodiff();
    let a = random([1, 2, 3, 3], 0.0, &device).require_grad();
    let b = random([1, 2, 3, 3], 0.0, &device);
    let grads = fast::add_activation(a.clone(), b.clone(), Activation::Relu)
        .sum()
        .backward();
    let want = relu(a.clone().detach() + b).greater_elem(0.0).float();
    assert_close("gradient of a", a.grad(&grads).unwrap(), want);
}

/// Max pools as the backbones use them: ResNet's stem (3x3, stride 2, padding 1) and the
/// compact network's 2x2, stride 2.
fn pools() -> [(&'static str, MaxPool2d); 2] {
    [
        (
            "3x3 s2 p1",
            MaxPool2dConfig::new([3, 3])
                .with_strides([2, 2])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(),
        ),
        (
            "2x2 s2",
            MaxPool2dConfig::new([2, 2]).with_strides([2, 2]).init(),
        ),
    ]
}

#[test]
fn max_pool_matches_burn_with_gradients() {
    for (name, pool) in pools() {
        let device = Device::flex();
        let x = random([2, 3, 9, 8], 0.0, &device);
        assert_close(
            &format!("{name} inference"),
            fast::max_pool2d(&pool, x.clone()),
            pool.forward(x),
        );
        let device = device.autodiff();
        let x = random([2, 3, 9, 8], 0.0, &device).require_grad();
        let ours = fast::max_pool2d(&pool, x.clone());
        let theirs = pool.forward(x.clone());
        assert_close(&format!("{name} training"), ours.clone(), theirs.clone());
        let weights = random(ours.dims(), 0.0, &device);
        let g_ours = (ours * weights.clone()).sum().backward();
        let g_theirs = (theirs * weights).sum().backward();
        assert_close(
            &format!("{name} input gradient"),
            x.grad(&g_ours).unwrap(),
            x.grad(&g_theirs).unwrap(),
        );
    }
}
