//! ONNX graphs rebuilt as burn networks give ONNX Runtime's recorded outputs (the
//! fixtures of `kestrel-onnx`), and bad graphs are refused by name.

#[path = "../../kestrel-onnx/tests/common/mod.rs"]
mod common;

use burn::tensor::{Device, Tensor, TensorData};
use kestrel_nn::{GraphError, GraphNet};
use kestrel_onnx::OnnxGraph;
use kestrel_onnx::graph::{GraphSpec, NodeSpec};
use std::collections::BTreeMap;

/// Runs fixture `name`'s model as a [`GraphNet`] and compares with ONNX Runtime.
fn check(name: &str) {
    let Some(shared) = common::shared() else {
        return;
    };
    let r = common::reference(name);
    let graph = OnnxGraph::read(&shared.join(&r.model)).unwrap();
    let device = Device::flex();
    let net = GraphNet::new(graph.spec, Some(&graph.weights), &device).unwrap();
    let x = common::make_input(&shared, &r.input_kind, &r.input_shape);
    let x = Tensor::<4>::from_data(TensorData::new(x, r.input_shape.clone()), &device);
    let out = net
        .forward_named(vec![x], &[&r.output_name])
        .unwrap()
        .remove(0);
    assert_eq!(
        out.dims(),
        r.output_shape.as_slice(),
        "{name}: output shape"
    );
    let got = match r.output_shape.len() {
        3 => out.into_rank::<3>().unwrap().into_data(),
        _ => out.into_rank::<4>().unwrap().into_data(),
    };
    let got = got.try_to_vec::<f32>().unwrap();
    let diff = common::max_abs_diff(&got, &r.values);
    eprintln!(
        "{name}: {} values, max abs diff to ONNX Runtime {diff:e}",
        got.len()
    );
    assert!(diff <= 1e-3, "{name}: max abs diff {diff}");
}

#[test]
fn ppocrv4_recogniser_matches_onnxruntime() {
    check("ppocrv4_rec");
}

#[test]
fn ppocrv4_detector_matches_onnxruntime() {
    check("ppocrv4_det");
}

/// A one-node graph with operator `op`.
fn one_node(op: &str, inputs: &[&str]) -> GraphSpec {
    GraphSpec {
        opset: 13,
        inputs: vec!["x".into()],
        outputs: vec!["y".into()],
        nodes: vec![NodeSpec {
            op: op.into(),
            inputs: inputs.iter().map(|s| s.to_string()).collect(),
            outputs: vec!["y".into()],
            attributes: BTreeMap::new(),
        }],
        constants: BTreeMap::new(),
    }
}

#[test]
fn unknown_operator_is_named() {
    let err = GraphNet::new(one_node("Einsum", &["x"]), None, &Device::flex()).unwrap_err();
    assert!(
        matches!(&err, GraphError::Unsupported { what, .. } if what.contains("Einsum")),
        "{err}"
    );
}

#[test]
fn missing_weight_is_named() {
    let mut spec = one_node("Mul", &["x", "scale"]);
    spec.constants.insert(
        "scale".into(),
        kestrel_onnx::graph::ConstantSpec {
            shape: vec![3],
            value: kestrel_onnx::graph::ConstantValue::Weight,
        },
    );
    let err = GraphNet::new(spec, Some(&BTreeMap::new()), &Device::flex()).unwrap_err();
    assert!(
        matches!(&err, GraphError::Weight { name, .. } if name == "scale"),
        "{err}"
    );
}
