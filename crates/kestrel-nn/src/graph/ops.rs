//! The tensor operations of a graph (everything but its convolutions and batch norms),
//! in burn, with ONNX's semantics.

use super::error::GraphError;
use super::layers::{ints_or, unsupported};
use super::shape_ops;
use super::value::{Dense, MAX_RANK, Value};
use burn::tensor::Tensor;
use burn::tensor::activation::{relu, sigmoid, softmax};
use kestrel_onnx::graph::NodeSpec;

/// The operators a [`GraphNet`](super::GraphNet) runs.
pub(crate) const SUPPORTED: &[&str] = &[
    "Add",
    "AveragePool",
    "BatchNormalization",
    "Cast",
    "Clip",
    "Concat",
    "Conv",
    "ConvTranspose",
    "Div",
    "Dropout",
    "Flatten",
    "GlobalAveragePool",
    "HardSigmoid",
    "HardSwish",
    "Identity",
    "MatMul",
    "Mul",
    "Pow",
    "ReduceMean",
    "Relu",
    "Reshape",
    "Resize",
    "Shape",
    "Sigmoid",
    "Slice",
    "Softmax",
    "Sqrt",
    "Squeeze",
    "Sub",
    "Tanh",
    "Transpose",
    "Unsqueeze",
];

/// Runs one tensor operation on its inputs (`None` for an omitted optional input).
pub(crate) fn eval(
    node: &NodeSpec,
    inputs: Vec<Option<Value>>,
    opset: i64,
) -> Result<Value, GraphError> {
    let op = node.op.as_str();
    let invalid = |message: &str| GraphError::Invalid {
        node: node.label(),
        message: message.to_string(),
    };
    let mut inputs = inputs.into_iter();
    let first = inputs
        .next()
        .flatten()
        .ok_or_else(|| invalid("missing input"))?;
    match op {
        "Add" | "Sub" | "Mul" | "Div" | "Pow" | "MatMul" => {
            let second = inputs
                .next()
                .flatten()
                .ok_or_else(|| invalid("missing second input"))?;
            binary(node, op, first, second)
        }
        "Shape" | "Cast" | "Slice" | "Concat" | "Reshape" | "Transpose" | "Squeeze"
        | "Unsqueeze" | "Flatten" | "Identity" | "Dropout" => {
            shape_ops::eval(node, first, inputs.collect(), opset)
        }
        _ => {
            let x = dense(node, first)?;
            let a = inputs.next().flatten();
            let b = inputs.next().flatten();
            unary(node, x, a, b, opset).map(Value::Dense)
        }
    }
}

/// A float tensor input, or an error.
pub(crate) fn dense(node: &NodeSpec, value: Value) -> Result<Dense, GraphError> {
    match value {
        Value::Dense(d) => Ok(d),
        Value::Scalar(_, _) | Value::Ints { .. } => Err(unsupported(
            node,
            "this operator on a constant or an integer input",
        )),
    }
}

/// Operators of one float tensor (with constant parameters in `a` and `b`).
fn unary(
    node: &NodeSpec,
    x: Dense,
    a: Option<Value>,
    b: Option<Value>,
    opset: i64,
) -> Result<Dense, GraphError> {
    let rank = x.rank;
    let float_attr = |name: &str, default: f32| {
        node.attribute(name)
            .and_then(|v| v.float())
            .unwrap_or(default)
    };
    let t = x.tensor;
    let out = match node.op.as_str() {
        "Relu" => relu(t),
        "Sigmoid" => sigmoid(t),
        "Tanh" => t.tanh(),
        "Sqrt" => t.sqrt(),
        "HardSigmoid" => t
            .mul_scalar(float_attr("alpha", 0.2))
            .add_scalar(float_attr("beta", 0.5))
            .clamp(0.0, 1.0),
        "HardSwish" => t
            .clone()
            .mul(t.div_scalar(6.0).add_scalar(0.5).clamp(0.0, 1.0)),
        "Clip" => {
            let bound = |v: Option<Value>, attr: &str| -> Result<Option<f32>, GraphError> {
                match v {
                    Some(Value::Scalar(s, _)) => Ok(Some(s)),
                    Some(_) => Err(unsupported(node, "a clip bound that is not a constant")),
                    None => Ok(node.attribute(attr).and_then(|a| a.float())),
                }
            };
            match (bound(a, "min")?, bound(b, "max")?) {
                (Some(lo), Some(hi)) => t.clamp(lo, hi),
                (Some(lo), None) => t.clamp_min(lo),
                (None, Some(hi)) => t.clamp_max(hi),
                (None, None) => t,
            }
        }
        "GlobalAveragePool" => {
            if rank != 4 {
                return Err(unsupported(
                    node,
                    "global pooling of a tensor that is not 4D",
                ));
            }
            t.mean_dim(MAX_RANK - 1).mean_dim(MAX_RANK - 2)
        }
        "AveragePool" => return super::pool::average(node, Dense { tensor: t, rank }),
        "Resize" => return super::pool::resize(node, Dense { tensor: t, rank }, a, b),
        "ReduceMean" => {
            let axes = ints_or(node, "axes", &[])?;
            if axes.is_empty() {
                return Err(unsupported(node, "ReduceMean over every axis"));
            }
            let keep = node
                .attribute("keepdims")
                .and_then(|a| a.int())
                .unwrap_or(1)
                != 0;
            let x = Dense { tensor: t, rank };
            let mut dims = x.dims();
            let mut t = x.tensor.clone();
            let mut removed = Vec::new();
            for &axis in &axes {
                let d = x
                    .axis(axis)
                    .ok_or_else(|| unsupported(node, &format!("axis {axis}")))?;
                t = t.mean_dim(d);
                removed.push(d - (MAX_RANK - rank));
            }
            if keep {
                return Ok(Dense { tensor: t, rank });
            }
            removed.sort_unstable();
            for d in removed.into_iter().rev() {
                dims.remove(d);
            }
            return Ok(Dense::reshaped(t, &dims));
        }
        "Softmax" => {
            let default = if opset >= 13 { -1 } else { 1 };
            let axis = node
                .attribute("axis")
                .and_then(|a| a.int())
                .unwrap_or(default);
            let x = Dense { tensor: t, rank };
            let d = x
                .axis(axis)
                .ok_or_else(|| unsupported(node, &format!("axis {axis}")))?;
            if d != MAX_RANK - 1 && opset < 13 {
                // Before opset 13 the softmax runs over all trailing dimensions together.
                let dims = x.dims();
                let split = d - (MAX_RANK - rank);
                let head: usize = dims[..split].iter().product();
                let tail: usize = dims[split..].iter().product();
                let flat: Tensor<2> = x.tensor.reshape([head, tail]);
                return Ok(Dense::reshaped(
                    softmax(flat, 1).reshape([1, 1, 1, 1, head, tail]),
                    &dims,
                ));
            }
            softmax(x.tensor, d)
        }
        other => return Err(unsupported(node, &format!("operator {other}"))),
    };
    Ok(Dense { tensor: out, rank })
}

/// Element-wise arithmetic with NumPy broadcasting, and `MatMul`.
fn binary(node: &NodeSpec, op: &str, a: Value, b: Value) -> Result<Value, GraphError> {
    use Value::{Dense as D, Scalar as S};
    let out = match (a, b) {
        (S(x, r1), S(y, r2)) => S(scalar_op(op, x, y), r1.max(r2)),
        (D(x), S(s, r)) => D(Dense {
            rank: x.rank.max(r),
            tensor: match op {
                "Add" => x.tensor.add_scalar(s),
                "Sub" => x.tensor.sub_scalar(s),
                "Mul" => x.tensor.mul_scalar(s),
                "Div" => x.tensor.div_scalar(s),
                _ if s == 2.0 => x.tensor.clone().mul(x.tensor),
                _ => x.tensor.powf_scalar(s),
            },
        }),
        (S(s, r), D(x)) => D(Dense {
            rank: x.rank.max(r),
            tensor: match op {
                "Add" => x.tensor.add_scalar(s),
                "Sub" => x.tensor.neg().add_scalar(s),
                "Mul" => x.tensor.mul_scalar(s),
                "Div" => x.tensor.recip().mul_scalar(s),
                _ => return Err(unsupported(node, "a constant raised to a tensor power")),
            },
        }),
        (D(x), D(y)) => D(Dense {
            rank: x.rank.max(y.rank),
            tensor: match op {
                "Add" => x.tensor.add(y.tensor),
                "Sub" => x.tensor.sub(y.tensor),
                "Mul" => x.tensor.mul(y.tensor),
                "Div" => x.tensor.div(y.tensor),
                "MatMul" => {
                    if x.rank < 2 || y.rank < 2 {
                        return Err(unsupported(node, "a matrix product of vectors"));
                    }
                    x.tensor.matmul(y.tensor)
                }
                _ => x.tensor.powf(y.tensor),
            },
        }),
        _ => return Err(unsupported(node, "arithmetic on integer values")),
    };
    Ok(out)
}

/// `op` on two floats.
fn scalar_op(op: &str, x: f32, y: f32) -> f32 {
    match op {
        "Add" => x + y,
        "Sub" => x - y,
        "Mul" => x * y,
        "Div" => x / y,
        _ => x.powf(y),
    }
}
