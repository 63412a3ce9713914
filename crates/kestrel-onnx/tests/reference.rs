//! Real models give the outputs ONNX Runtime recorded (max abs diff <= 1e-3).

mod common;

use kestrel_onnx::OnnxModel;

/// Loads the fixture's model, runs it on the fixture's input, compares every value.
fn check(name: &str) {
    let Some(shared) = common::shared() else {
        return;
    };
    let r = common::reference(name);
    let model = OnnxModel::load(&shared.join(&r.model), Some(&r.input_shape)).unwrap();
    assert_eq!(model.input_names(), vec![r.input_name.clone()]);
    assert_eq!(model.output_names()[0], r.output_name);
    assert_eq!(model.input_shape(), r.input_shape);
    let input = common::make_input(&shared, &r.input_kind, &r.input_shape);
    let outputs = model.run(&input, &r.input_shape).unwrap();
    let (shape, values) = &outputs[0];
    assert_eq!(shape, &r.output_shape, "{name}: output shape");
    let diff = common::max_abs_diff(values, &r.values);
    eprintln!(
        "{name}: {} values, max abs diff to ONNX Runtime {diff:e}",
        values.len()
    );
    assert!(diff <= 1e-3, "{name}: max abs diff {diff} > 1e-3");
}

#[test]
fn mobilenet_v2_matches_onnxruntime() {
    check("mobilenet_v2");
}

#[test]
fn ppocrv4_det_matches_onnxruntime() {
    check("ppocrv4_det");
}

#[test]
fn ppocrv4_rec_matches_onnxruntime() {
    check("ppocrv4_rec");
}

#[test]
fn selfie_segmentation_matches_onnxruntime() {
    check("selfie_segmentation");
}
