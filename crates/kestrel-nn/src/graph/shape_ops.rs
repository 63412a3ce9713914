//! Operators that move or reinterpret values without arithmetic: shapes, slices,
//! concatenation, reshapes and transposes, on float tensors and on integer vectors
//! (ONNX graphs compute shapes with the latter).

use super::error::GraphError;
use super::layers::{ints_or, unsupported};
use super::value::{Dense, MAX_RANK, Value, normalize_axis};
use burn::tensor::Tensor;
use kestrel_onnx::graph::NodeSpec;

/// ONNX element types `Cast` may target here.
const FLOAT: i64 = 1;
const INT32: i64 = 6;
const INT64: i64 = 7;

/// Runs a shape operator on `first` and the further inputs `rest`.
pub(crate) fn eval(
    node: &NodeSpec,
    first: Value,
    rest: Vec<Option<Value>>,
    opset: i64,
) -> Result<Value, GraphError> {
    let mut rest = rest.into_iter();
    let mut next = || rest.next().flatten();
    match node.op.as_str() {
        "Identity" | "Dropout" => Ok(first),
        "Shape" => {
            let dims = dims_of(&first);
            Ok(Value::Ints {
                shape: vec![dims.len()],
                values: dims.iter().map(|&d| d as i64).collect(),
            })
        }
        "Cast" => cast(node, first),
        "Concat" => {
            let axis = node.attribute("axis").and_then(|a| a.int()).unwrap_or(0);
            let mut all = vec![first];
            all.extend(std::iter::from_fn(&mut next));
            concat(node, all, axis)
        }
        "Slice" => {
            let (starts, ends, axes, steps) = if opset >= 10 {
                let starts = ints(node, next(), "starts")?;
                let ends = ints(node, next(), "ends")?;
                let axes = next().map(|v| ints(node, Some(v), "axes")).transpose()?;
                let steps = next().map(|v| ints(node, Some(v), "steps")).transpose()?;
                (starts, ends, axes, steps)
            } else {
                let axes = node
                    .attribute("axes")
                    .and_then(|a| a.ints())
                    .map(<[i64]>::to_vec);
                (
                    ints_or(node, "starts", &[])?,
                    ints_or(node, "ends", &[])?,
                    axes,
                    None,
                )
            };
            if steps.is_some_and(|s| s.iter().any(|&v| v != 1)) {
                return Err(unsupported(node, "slice steps other than 1"));
            }
            let axes = axes.unwrap_or_else(|| (0..starts.len() as i64).collect());
            slice(node, first, &starts, &ends, &axes)
        }
        "Reshape" => {
            let target = ints(node, next(), "shape")?;
            let allow_zero = node
                .attribute("allowzero")
                .and_then(|a| a.int())
                .unwrap_or(0)
                != 0;
            let dims = dims_of(&first);
            let shape = resolve_shape(node, &dims, &target, allow_zero)?;
            with_dims(node, first, &shape)
        }
        "Flatten" => {
            let dims = dims_of(&first);
            let axis = node.attribute("axis").and_then(|a| a.int()).unwrap_or(1);
            let split = if axis < 0 {
                axis + dims.len() as i64
            } else {
                axis
            };
            if !(0..=dims.len() as i64).contains(&split) {
                return Err(unsupported(node, &format!("axis {axis}")));
            }
            let split = split as usize;
            let shape = vec![
                dims[..split].iter().product(),
                dims[split..].iter().product(),
            ];
            with_dims(node, first, &shape)
        }
        "Squeeze" | "Unsqueeze" => {
            let axes = if opset >= 13 {
                next().map(|v| ints(node, Some(v), "axes")).transpose()?
            } else {
                node.attribute("axes")
                    .and_then(|a| a.ints())
                    .map(<[i64]>::to_vec)
            };
            let dims = dims_of(&first);
            let shape = if node.op == "Squeeze" {
                squeezed(node, &dims, axes.as_deref())?
            } else {
                unsqueezed(node, &dims, &axes.unwrap_or_default())?
            };
            with_dims(node, first, &shape)
        }
        "Transpose" => {
            let x = super::ops::dense(node, first)?;
            let rank = x.rank;
            let default: Vec<i64> = (0..rank as i64).rev().collect();
            let perm = ints_or(node, "perm", &default)?;
            let offset = MAX_RANK - rank;
            let mut axes: [usize; MAX_RANK] = std::array::from_fn(|i| i);
            if perm.len() != rank {
                return Err(unsupported(node, &format!("perm {perm:?} for rank {rank}")));
            }
            for (i, &p) in perm.iter().enumerate() {
                let p = normalize_axis(p, rank)
                    .ok_or_else(|| unsupported(node, &format!("perm {perm:?}")))?;
                axes[offset + i] = offset + p;
            }
            Ok(Value::Dense(Dense {
                tensor: x.tensor.permute(axes),
                rank,
            }))
        }
        other => Err(unsupported(node, &format!("operator {other}"))),
    }
}

/// The logical dimensions of a value.
fn dims_of(v: &Value) -> Vec<usize> {
    match v {
        Value::Dense(d) => d.dims(),
        Value::Ints { shape, .. } => shape.clone(),
        Value::Scalar(_, rank) => vec![1; *rank],
    }
}

/// The integers of a constant or computed integer input.
fn ints(node: &NodeSpec, v: Option<Value>, what: &str) -> Result<Vec<i64>, GraphError> {
    match v {
        Some(Value::Ints { values, .. }) => Ok(values),
        Some(_) => Err(unsupported(node, &format!("{what} that are not integers"))),
        None => Err(GraphError::Invalid {
            node: node.label(),
            message: format!("missing {what}"),
        }),
    }
}

/// A value with new dimensions and the same elements.
fn with_dims(node: &NodeSpec, v: Value, dims: &[usize]) -> Result<Value, GraphError> {
    if dims.len() > MAX_RANK {
        return Err(unsupported(
            node,
            &format!("rank {} above {MAX_RANK}", dims.len()),
        ));
    }
    Ok(match v {
        Value::Dense(d) => Value::Dense(Dense::reshaped(d.tensor, dims)),
        Value::Ints { values, .. } => Value::Ints {
            shape: dims.to_vec(),
            values,
        },
        Value::Scalar(s, _) => Value::Scalar(s, dims.len()),
    })
}

/// ONNX `Reshape`'s target: 0 copies the input's dimension (unless `allow_zero`), -1 is
/// inferred.
fn resolve_shape(
    node: &NodeSpec,
    dims: &[usize],
    target: &[i64],
    allow_zero: bool,
) -> Result<Vec<usize>, GraphError> {
    let total: usize = dims.iter().product();
    let mut out = Vec::with_capacity(target.len());
    let mut infer = None;
    for (i, &t) in target.iter().enumerate() {
        match t {
            -1 if infer.is_none() => {
                infer = Some(i);
                out.push(1);
            }
            0 if !allow_zero => out.push(
                *dims
                    .get(i)
                    .ok_or_else(|| unsupported(node, "0 beyond the input's rank"))?,
            ),
            t if t >= 0 => out.push(t as usize),
            _ => return Err(unsupported(node, &format!("target shape {target:?}"))),
        }
    }
    let known: usize = out.iter().product();
    if let Some(i) = infer {
        if known == 0 || !total.is_multiple_of(known) {
            return Err(GraphError::Invalid {
                node: node.label(),
                message: format!("cannot reshape {dims:?} to {target:?}"),
            });
        }
        out[i] = total / known;
    } else if known != total {
        return Err(GraphError::Invalid {
            node: node.label(),
            message: format!("cannot reshape {dims:?} to {target:?}"),
        });
    }
    Ok(out)
}

/// `dims` without the size-1 axes in `axes` (all size-1 axes when `None`).
fn squeezed(
    node: &NodeSpec,
    dims: &[usize],
    axes: Option<&[i64]>,
) -> Result<Vec<usize>, GraphError> {
    let Some(axes) = axes else {
        return Ok(dims.iter().copied().filter(|&d| d != 1).collect());
    };
    let mut drop = Vec::new();
    for &a in axes {
        let a =
            normalize_axis(a, dims.len()).ok_or_else(|| unsupported(node, &format!("axis {a}")))?;
        if dims[a] != 1 {
            return Err(GraphError::Invalid {
                node: node.label(),
                message: format!("axis {a} of {dims:?} is not 1"),
            });
        }
        drop.push(a);
    }
    Ok(dims
        .iter()
        .enumerate()
        .filter(|(i, _)| !drop.contains(i))
        .map(|(_, &d)| d)
        .collect())
}

/// `dims` with size-1 axes inserted at `axes` (positions in the output).
fn unsqueezed(node: &NodeSpec, dims: &[usize], axes: &[i64]) -> Result<Vec<usize>, GraphError> {
    let rank = dims.len() + axes.len();
    let mut positions = Vec::new();
    for &a in axes {
        positions
            .push(normalize_axis(a, rank).ok_or_else(|| unsupported(node, &format!("axis {a}")))?);
    }
    let mut rest = dims.iter();
    Ok((0..rank)
        .map(|i| {
            if positions.contains(&i) {
                1
            } else {
                *rest.next().unwrap_or(&1)
            }
        })
        .collect())
}

/// `Cast` between the integer types, and float to float.
fn cast(node: &NodeSpec, v: Value) -> Result<Value, GraphError> {
    let to = node.attribute("to").and_then(|a| a.int()).unwrap_or(0);
    match (v, to) {
        (v @ Value::Ints { .. }, INT32 | INT64) => Ok(v),
        (v @ (Value::Dense(_) | Value::Scalar(..)), FLOAT) => Ok(v),
        (Value::Scalar(s, rank), INT32 | INT64) if s.fract() == 0.0 => Ok(Value::Ints {
            shape: vec![1; rank],
            values: vec![s as i64],
        }),
        (Value::Ints { shape, values }, FLOAT) if values.len() == 1 => {
            Ok(Value::Scalar(values[0] as f32, shape.len()))
        }
        _ => Err(unsupported(
            node,
            &format!("a cast to type {to} of this value"),
        )),
    }
}

/// `Concat` of float tensors, or of integer vectors.
fn concat(node: &NodeSpec, values: Vec<Value>, axis: i64) -> Result<Value, GraphError> {
    if values.iter().all(|v| matches!(v, Value::Ints { .. })) {
        let mut out = Vec::new();
        for v in values {
            if let Value::Ints { shape, values } = v {
                if shape.len() > 1 {
                    return Err(unsupported(
                        node,
                        "concatenating integer tensors that are not vectors",
                    ));
                }
                out.extend(values);
            }
        }
        return Ok(Value::Ints {
            shape: vec![out.len()],
            values: out,
        });
    }
    let mut tensors = Vec::new();
    let mut rank = None;
    for v in values {
        let d = super::ops::dense(node, v)?;
        if rank.is_some_and(|r| r != d.rank) {
            return Err(GraphError::Invalid {
                node: node.label(),
                message: "inputs of different ranks".into(),
            });
        }
        rank = Some(d.rank);
        tensors.push(d);
    }
    let rank = rank.unwrap_or(0);
    let dim = tensors[0]
        .axis(axis)
        .ok_or_else(|| unsupported(node, &format!("axis {axis}")))?;
    let parts: Vec<Tensor<MAX_RANK>> = tensors.into_iter().map(|d| d.tensor).collect();
    Ok(Value::Dense(Dense {
        tensor: Tensor::cat(parts, dim),
        rank,
    }))
}

/// `Slice` with unit steps of a float tensor or an integer vector.
fn slice(
    node: &NodeSpec,
    v: Value,
    starts: &[i64],
    ends: &[i64],
    axes: &[i64],
) -> Result<Value, GraphError> {
    if starts.len() != ends.len() || starts.len() != axes.len() {
        return Err(GraphError::Invalid {
            node: node.label(),
            message: "starts, ends and axes differ in length".into(),
        });
    }
    let dims = dims_of(&v);
    let range = |i: usize| -> Result<(usize, std::ops::Range<usize>), GraphError> {
        let axis = normalize_axis(axes[i], dims.len())
            .ok_or_else(|| unsupported(node, &format!("axis {}", axes[i])))?;
        let n = dims[axis] as i64;
        let clamp = |p: i64| (if p < 0 { p + n } else { p }).clamp(0, n) as usize;
        let (s, e) = (clamp(starts[i]), clamp(ends[i]));
        Ok((axis, s..e.max(s)))
    };
    match v {
        Value::Ints { values, .. } => {
            if dims.len() != 1 || starts.len() != 1 {
                return Err(unsupported(
                    node,
                    "slicing integer tensors that are not vectors",
                ));
            }
            let (_, r) = range(0)?;
            Ok(Value::Ints {
                shape: vec![r.len()],
                values: values[r].to_vec(),
            })
        }
        Value::Dense(mut d) => {
            for i in 0..starts.len() {
                let (axis, r) = range(i)?;
                d.tensor = d.tensor.narrow(axis + MAX_RANK - d.rank, r.start, r.len());
            }
            Ok(Value::Dense(d))
        }
        Value::Scalar(..) => Err(unsupported(node, "slicing a constant")),
    }
}
