//! Kestrel's fused batch norm + activation gives burn's results: with running statistics
//! on the plain flex device, and with batch statistics under autodiff (output, gradients of
//! input, gamma and beta, and the updated running statistics).

use burn::module::{Module, Param, RunningState};
use burn::nn::{BatchNorm, BatchNormConfig};
use burn::tensor::{Device, Tensor};
use kestrel_nn::fast::{self, Activation};

mod common;

use common::{ACTIVATIONS, activate, random};

fn burn_path(bn: &BatchNorm, activation: Activation, x: Tensor<4>) -> Tensor<4> {
    activate(activation, bn.forward(x))
}

/// A batch norm over `channels` with the given gamma and beta.
fn layer(gamma: &Tensor<1>, beta: &Tensor<1>, device: &Device) -> BatchNorm {
    let mut bn = BatchNormConfig::new(gamma.dims()[0]).init(device);
    bn.gamma = Param::from_tensor(gamma.clone());
    bn.beta = Param::from_tensor(beta.clone());
    bn
}

fn assert_close<const D: usize>(what: &str, got: Tensor<D>, want: Tensor<D>) {
    common::assert_close(what, got, want, 2e-4);
}

#[test]
fn inference_with_running_statistics_matches_burn() {
    let device = Device::flex();
    for activation in ACTIVATIONS {
        let mut bn = layer(
            &random([5], 1.0, &device),
            &random([5], 0.5, &device),
            &device,
        );
        bn.running_mean = RunningState::new(random([5], 0.0, &device));
        bn.running_var = RunningState::new(random([5], 0.0, &device).abs().add_scalar(0.1));
        let x = random([3, 5, 7, 6], 2.0, &device).mul_scalar(2.0);
        assert!(fast::runs_on_kernels(&x));
        assert_close(
            &format!("{activation:?}"),
            fast::batch_norm_activation(&bn, activation, x.clone()),
            burn_path(&bn, activation, x),
        );
    }
}

#[test]
fn training_matches_burn_with_gradients_and_running_statistics() {
    let device = Device::flex().autodiff();
    for activation in ACTIVATIONS {
        let gamma = random([4], 1.0, &device);
        let beta = random([4], 0.5, &device);
        let ours_bn = layer(&gamma, &beta, &device);
        let theirs_bn = layer(&gamma, &beta, &device);
        // Values around 3 with spread 4, so ReLU6 clips at both ends.
        let x = random([3, 4, 5, 7], 0.0, &device)
            .mul_scalar(4.0)
            .add_scalar(3.0)
            .require_grad();
        let weights = random([3, 4, 5, 7], 0.0, &device);
        let ours = fast::batch_norm_activation(&ours_bn, activation, x.clone());
        let theirs = burn_path(&theirs_bn, activation, x.clone());
        let what = format!("{activation:?}");
        assert_close(&format!("{what} forward"), ours.clone(), theirs.clone());
        let g_ours = (ours * weights.clone()).sum().backward();
        let g_theirs = (theirs * weights).sum().backward();
        assert_close(
            &format!("{what} input gradient"),
            x.grad(&g_ours).unwrap(),
            x.grad(&g_theirs).unwrap(),
        );
        for (name, a, b) in [
            ("gamma", ours_bn.gamma.val(), theirs_bn.gamma.val()),
            ("beta", ours_bn.beta.val(), theirs_bn.beta.val()),
        ] {
            assert_close(
                &format!("{what} {name} gradient"),
                a.grad(&g_ours).unwrap(),
                b.grad(&g_theirs).unwrap(),
            );
        }
        assert_close(
            &format!("{what} running mean"),
            ours_bn.running_mean.value(),
            theirs_bn.running_mean.value(),
        );
        assert_close(
            &format!("{what} running variance"),
            ours_bn.running_var.value(),
            theirs_bn.running_var.value(),
        );
    }
}

#[test]
fn frozen_layer_under_autodiff_matches_burn_with_the_input_gradient() {
    let device = Device::flex().autodiff();
    for activation in ACTIVATIONS {
        let mut bn = layer(
            &random([4], 1.0, &device),
            &random([4], 0.5, &device),
            &device,
        );
        bn.running_mean = RunningState::new(random([4], 0.0, &device));
        bn.running_var = RunningState::new(random([4], 0.0, &device).abs().add_scalar(0.1));
        let bn = bn.freeze();
        let x = random([3, 4, 5, 7], 0.0, &device)
            .mul_scalar(4.0)
            .add_scalar(3.0)
            .require_grad();
        let weights = random([3, 4, 5, 7], 0.0, &device);
        let ours = fast::batch_norm_activation(&bn, activation, x.clone());
        let theirs = burn_path(&bn, activation, x.clone());
        let what = format!("frozen {activation:?}");
        assert_close(&format!("{what} forward"), ours.clone(), theirs.clone());
        let g_ours = (ours * weights.clone()).sum().backward();
        let g_theirs = (theirs * weights).sum().backward();
        assert_close(
            &format!("{what} input gradient"),
            x.grad(&g_ours).unwrap(),
            x.grad(&g_theirs).unwrap(),
        );
    }
}
