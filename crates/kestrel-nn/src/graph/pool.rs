//! Pooling and resizing operators of a graph.

use super::error::GraphError;
use super::layers::{ints_or, unsupported};
use super::value::{Dense, MAX_RANK, Value};
use burn::tensor::module::avg_pool2d;
use burn::tensor::ops::AvgPoolOptions;
use kestrel_onnx::graph::NodeSpec;

/// `AveragePool` over a 4D tensor.
pub(crate) fn average(node: &NodeSpec, x: Dense) -> Result<Dense, GraphError> {
    let Some(t) = x.to4().filter(|_| x.rank == 4) else {
        return Err(unsupported(node, "pooling a tensor that is not 4D"));
    };
    let kernel = ints_or(node, "kernel_shape", &[])?;
    let strides = ints_or(node, "strides", &[1, 1])?;
    let pads = ints_or(node, "pads", &[0, 0, 0, 0])?;
    let ([kh, kw], [sh, sw], [pt, pl, pb, pr]) = (
        two(node, &kernel, "kernel_shape")?,
        two(node, &strides, "strides")?,
        four(node, &pads)?,
    );
    let options = AvgPoolOptions {
        kernel_size: [kh, kw],
        stride: [sh, sw],
        padding: [(pt, pb), (pl, pr)],
        count_include_pad: node
            .attribute("count_include_pad")
            .and_then(|a| a.int())
            .unwrap_or(0)
            != 0,
        ceil_mode: node
            .attribute("ceil_mode")
            .and_then(|a| a.int())
            .unwrap_or(0)
            != 0,
    };
    Ok(Dense::from4(avg_pool2d(t, options)))
}

/// `Resize` by whole-number scale factors in nearest mode (what feature pyramids use):
/// each pixel repeated.
pub(crate) fn resize(
    node: &NodeSpec,
    x: Dense,
    _roi: Option<Value>,
    scales: Option<Value>,
) -> Result<Dense, GraphError> {
    let mode = node
        .attribute("mode")
        .and_then(|a| a.text())
        .unwrap_or("nearest");
    if mode != "nearest" || x.rank != 4 {
        return Err(unsupported(
            node,
            &format!("resize mode {mode} or rank {}", x.rank),
        ));
    }
    let [n, c, h, w]: [usize; 4] = x.dims().try_into().expect("rank 4");
    let factors = match scales {
        Some(Value::Dense(d)) => {
            let data = d.tensor.into_data();
            data.try_to_vec::<f32>()
                .map_err(|_| unsupported(node, "scales of this type"))?
        }
        _ => return Err(unsupported(node, "resize without constant scales")),
    };
    let whole = |f: f32| (f >= 1.0 && f.fract() == 0.0).then_some(f as usize);
    let (Some(1), Some(1), Some(fh), Some(fw)) = (
        factors.first().copied().and_then(whole),
        factors.get(1).copied().and_then(whole),
        factors.get(2).copied().and_then(whole),
        factors.get(3).copied().and_then(whole),
    ) else {
        return Err(unsupported(
            node,
            &format!("scales {factors:?} (whole factors on H and W only)"),
        ));
    };
    let t = x
        .tensor
        .reshape([n * c, h, 1, w, 1, 1])
        .expand([n * c, h, fh, w, fw, 1])
        .reshape([1, 1, n, c, h * fh, w * fw]);
    debug_assert_eq!(MAX_RANK, 6);
    Ok(Dense { tensor: t, rank: 4 })
}

/// Two non-negative integers.
fn two(node: &NodeSpec, v: &[i64], what: &str) -> Result<[usize; 2], GraphError> {
    match v {
        [a, b] if *a > 0 && *b > 0 => Ok([*a as usize, *b as usize]),
        _ => Err(unsupported(node, &format!("{what} {v:?} (2D only)"))),
    }
}

/// Four non-negative integers.
fn four(node: &NodeSpec, v: &[i64]) -> Result<[usize; 4], GraphError> {
    match v {
        [a, b, c, d] if v.iter().all(|&x| x >= 0) => {
            Ok([*a as usize, *b as usize, *c as usize, *d as usize])
        }
        _ => Err(unsupported(node, &format!("pads {v:?} (2D only)"))),
    }
}
