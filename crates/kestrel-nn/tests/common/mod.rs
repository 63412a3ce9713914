//! Helpers shared by the tests of Kestrel's fast paths against burn's own ops.

#![allow(dead_code)] // each test file uses its own part

use burn::tensor::activation::{relu, relu6};
use burn::tensor::{Device, Distribution, Tensor};
use kestrel_nn::fast::Activation;

/// The three activations the kernels fuse.
pub const ACTIVATIONS: [Activation; 3] =
    [Activation::Identity, Activation::Relu, Activation::Relu6];

/// `activation(x)` with burn's ops.
pub fn activate(activation: Activation, x: Tensor<4>) -> Tensor<4> {
    match activation {
        Activation::Identity => x,
        Activation::Relu => relu(x),
        Activation::Relu6 => relu6(x),
    }
}

/// Normal values with `mean` and standard deviation 1.
pub fn random<const D: usize>(dims: [usize; D], mean: f64, device: &Device) -> Tensor<D> {
    Tensor::random(dims, Distribution::Normal(mean, 1.0), device)
}

/// Asserts the same shape and every element within `tolerance * (1 + |want|)`.
pub fn assert_close<const D: usize>(what: &str, got: Tensor<D>, want: Tensor<D>, tolerance: f32) {
    assert_eq!(got.dims(), want.dims(), "{what}: shape");
    let got = got.into_data().try_to_vec::<f32>().unwrap();
    let want = want.into_data().try_to_vec::<f32>().unwrap();
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!(
            (g - w).abs() <= tolerance * (1.0 + w.abs()),
            "{what}: element {i}: {g} vs burn's {w}"
        );
    }
}
