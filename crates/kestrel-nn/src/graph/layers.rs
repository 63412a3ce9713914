//! The burn layers a graph's convolutions and batch norms become, built from their ONNX
//! attributes and weights.

use super::error::GraphError;
use burn::module::{Param, RunningState};
use burn::nn::conv::{Conv2d, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{BatchNorm, BatchNormConfig, PaddingConfig2d};
use burn::tensor::{Device, Tensor, TensorData};
use kestrel_onnx::graph::NodeSpec;

/// A weight's values and shape, as the builder found them.
pub(crate) struct WeightData {
    /// Row-major values.
    pub values: Vec<f32>,
    /// The dimensions.
    pub shape: Vec<usize>,
}

/// The integers of attribute `name`, or `default` when absent.
pub(crate) fn ints_or(
    node: &NodeSpec,
    name: &str,
    default: &[i64],
) -> Result<Vec<i64>, GraphError> {
    match node.attribute(name) {
        None => Ok(default.to_vec()),
        Some(a) => a
            .ints()
            .map(<[i64]>::to_vec)
            .ok_or_else(|| GraphError::Invalid {
                node: node.label(),
                message: format!("attribute {name} is not a list of integers"),
            }),
    }
}

/// Non-negative integers of attribute `name` as two `usize`s.
fn pair(node: &NodeSpec, name: &str, default: i64) -> Result<[usize; 2], GraphError> {
    let v = ints_or(node, name, &[default, default])?;
    match v[..] {
        [a, b] if a >= 0 && b >= 0 => Ok([a as usize, b as usize]),
        _ => Err(unsupported(node, &format!("{name} {v:?} (2D only)"))),
    }
}

/// An `Unsupported` error for `node`.
pub(crate) fn unsupported(node: &NodeSpec, what: &str) -> GraphError {
    GraphError::Unsupported {
        node: node.label(),
        what: what.to_string(),
    }
}

/// Rejects `auto_pad` other than `NOTSET`.
fn explicit_padding_only(node: &NodeSpec) -> Result<(), GraphError> {
    match node.attribute("auto_pad").and_then(|a| a.text()) {
        None | Some("NOTSET") => Ok(()),
        Some(other) => Err(unsupported(node, &format!("auto_pad {other}"))),
    }
}

/// The 2D padding `[top, left, bottom, right]` of a convolution node.
fn pads(node: &NodeSpec) -> Result<[usize; 4], GraphError> {
    explicit_padding_only(node)?;
    let p = ints_or(node, "pads", &[0, 0, 0, 0])?;
    match p[..] {
        [t, l, b, r] if p.iter().all(|&v| v >= 0) => {
            Ok([t as usize, l as usize, b as usize, r as usize])
        }
        _ => Err(unsupported(node, &format!("pads {p:?} (2D only)"))),
    }
}

/// A tensor holding `data` on `device`.
fn tensor<const D: usize>(data: &WeightData, device: &Device) -> Tensor<D> {
    Tensor::from_data(
        TensorData::new(data.values.clone(), data.shape.clone()),
        device,
    )
}

/// A `Conv` node as a burn [`Conv2d`].
pub(crate) fn conv(
    node: &NodeSpec,
    weight: &WeightData,
    bias: Option<&WeightData>,
    device: &Device,
) -> Result<Conv2d, GraphError> {
    if weight.shape.len() != 4 {
        return Err(unsupported(node, "a convolution that is not 2D"));
    }
    let [top, left, bottom, right] = pads(node)?;
    let groups = node
        .attribute("group")
        .and_then(|a| a.int())
        .unwrap_or(1)
        .max(1) as usize;
    Ok(Conv2d {
        weight: Param::from_tensor(tensor(weight, device)),
        bias: bias.map(|b| Param::from_tensor(tensor(b, device))),
        stride: pair(node, "strides", 1)?,
        kernel_size: [weight.shape[2], weight.shape[3]],
        dilation: pair(node, "dilations", 1)?,
        groups,
        padding: PaddingConfig2d::Explicit(top, left, bottom, right),
    })
}

/// A `ConvTranspose` node as a burn [`ConvTranspose2d`].
pub(crate) fn conv_transpose(
    node: &NodeSpec,
    weight: &WeightData,
    bias: Option<&WeightData>,
    device: &Device,
) -> Result<ConvTranspose2d, GraphError> {
    if weight.shape.len() != 4 {
        return Err(unsupported(node, "a transposed convolution that is not 2D"));
    }
    let [top, left, bottom, right] = pads(node)?;
    if top != bottom || left != right {
        return Err(unsupported(
            node,
            "asymmetric padding of a transposed convolution",
        ));
    }
    if node.attribute("output_shape").is_some() {
        return Err(unsupported(node, "output_shape"));
    }
    let groups = node
        .attribute("group")
        .and_then(|a| a.int())
        .unwrap_or(1)
        .max(1) as usize;
    let [cin, cout_per_group, kh, kw] = [
        weight.shape[0],
        weight.shape[1],
        weight.shape[2],
        weight.shape[3],
    ];
    let mut layer = ConvTranspose2dConfig::new([cin, cout_per_group * groups], [kh, kw])
        .with_stride(pair(node, "strides", 1)?)
        .with_dilation(pair(node, "dilations", 1)?)
        .with_padding([top, left])
        .with_padding_out(pair(node, "output_padding", 0)?)
        .with_groups(groups)
        .with_bias(bias.is_some())
        .init(device);
    layer.weight = Param::from_tensor(tensor(weight, device));
    layer.bias = bias.map(|b| Param::from_tensor(tensor(b, device)));
    Ok(layer)
}

/// A `BatchNormalization` node (inference form: scale, bias, mean, variance) as a burn
/// [`BatchNorm`]. ONNX's momentum weighs the old statistics; burn's the new ones.
pub(crate) fn batch_norm(
    node: &NodeSpec,
    [scale, bias, mean, var]: [&WeightData; 4],
    device: &Device,
) -> Result<BatchNorm, GraphError> {
    if node.outputs.len() > 1 {
        return Err(unsupported(
            node,
            "batch norm in training mode (several outputs)",
        ));
    }
    let channels = scale.values.len();
    if [bias, mean, var].iter().any(|w| w.values.len() != channels) {
        return Err(GraphError::Invalid {
            node: node.label(),
            message: "scale, bias, mean and variance differ in length".into(),
        });
    }
    let epsilon = node
        .attribute("epsilon")
        .and_then(|a| a.float())
        .unwrap_or(1e-5);
    let momentum = node
        .attribute("momentum")
        .and_then(|a| a.float())
        .unwrap_or(0.9);
    let mut bn = BatchNormConfig::new(channels)
        .with_epsilon(f64::from(epsilon))
        .with_momentum(1.0 - f64::from(momentum))
        .init(device);
    bn.gamma = Param::from_tensor(tensor(scale, device));
    bn.beta = Param::from_tensor(tensor(bias, device));
    bn.running_mean = RunningState::new(tensor(mean, device));
    bn.running_var = RunningState::new(tensor(var, device));
    Ok(bn)
}
