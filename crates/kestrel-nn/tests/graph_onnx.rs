//! ONNX graphs rebuilt as burn networks give ONNX Runtime's recorded outputs (the
//! fixtures of `kestrel-onnx`), and bad graphs are refused by name.

use burn::tensor::{Device, Tensor, TensorData};
use kestrel_nn::{GraphError, GraphNet};
use kestrel_onnx::OnnxGraph;
use kestrel_onnx::graph::{GraphSpec, NodeSpec};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// ImageNet mean and standard deviation, as the fixtures' `page` input uses them.
const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// The recorded fixture `name`: model path, input kind and shape, output and values.
fn fixture(name: &str) -> (String, String, Vec<usize>, String, Vec<usize>, Vec<f32>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kestrel-onnx/tests/fixtures");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap())
            .unwrap();
    let s = |k: &str| meta[k].as_str().unwrap().to_string();
    let dims = |k: &str| -> Vec<usize> {
        meta[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap() as usize)
            .collect()
    };
    let bytes = std::fs::read(dir.join(s("output_file"))).unwrap();
    let values = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    (
        s("model"),
        s("input_kind"),
        dims("input_shape"),
        s("output_name"),
        dims("output_shape"),
        values,
    )
}

/// The input a fixture was recorded with (see `kestrel-onnx/tests/fixtures/make_reference.py`).
fn input(shared: &Path, kind: &str, shape: &[usize]) -> Vec<f32> {
    let n: usize = shape.iter().product();
    match kind {
        "sin" => (0..n).map(|i| ((i as f64) * 0.01).sin() as f32).collect(),
        "page" => {
            let img = image::open(shared.join("data/images/page.png"))
                .unwrap()
                .to_luma8();
            let (h, w) = (shape[2], shape[3]);
            let mut x = Vec::with_capacity(n);
            for c in 0..3 {
                for y in 0..h {
                    for col in 0..w {
                        let p = img.get_pixel(col as u32, y as u32)[0] as f32;
                        x.push((p / 255.0 - MEAN[c]) / STD[c]);
                    }
                }
            }
            x
        }
        other => panic!("unknown input kind {other}"),
    }
}

/// The shared-data folder, or `None` after saying the test is skipped.
fn shared() -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

/// Runs fixture `name`'s model as a [`GraphNet`] and compares with ONNX Runtime.
fn check(name: &str) {
    let Some(shared) = shared() else { return };
    let (model, kind, in_shape, out_name, out_shape, want) = fixture(name);
    let graph = OnnxGraph::read(&shared.join(model)).unwrap();
    let device = Device::flex();
    let net = GraphNet::new(graph.spec, Some(&graph.weights), &device).unwrap();
    let x = input(&shared, &kind, &in_shape);
    let x = Tensor::<4>::from_data(TensorData::new(x, in_shape.clone()), &device);
    let out = net.forward_named(vec![x], &[&out_name]).unwrap().remove(0);
    assert_eq!(out.dims(), out_shape.as_slice(), "{name}: output shape");
    let got = match out_shape.len() {
        3 => out.into_rank::<3>().unwrap().into_data(),
        _ => out.into_rank::<4>().unwrap().into_data(),
    };
    let got = got.try_to_vec::<f32>().unwrap();
    let diff = got
        .iter()
        .zip(&want)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
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
