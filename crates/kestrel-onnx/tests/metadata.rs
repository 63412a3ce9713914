//! Names, shapes and `metadata_props` of real models.

mod common;

use kestrel_onnx::OnnxModel;

#[test]
fn recognizer_metadata_holds_the_character_list() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = OnnxModel::load(
        &shared.join("models/ocr/ch_PP-OCRv4_rec_infer.onnx"),
        Some(&[1, 3, 48, 320]),
    )
    .unwrap();
    let chars = model
        .metadata()
        .get("character")
        .expect("metadata key `character`");
    // 6,623 keys, one a line; with blank and space the recogniser has 6,625 classes.
    assert_eq!(chars.lines().count(), 6623);
    let keys = std::fs::read_to_string(shared.join("models/ocr/ppocrv4_rec_keys.txt")).unwrap();
    assert_eq!(
        chars.lines().collect::<Vec<_>>(),
        keys.lines().collect::<Vec<_>>()
    );
    assert_eq!(model.input_shape(), vec![1, 3, 48, 320]);
    let outputs = model
        .run(&vec![0.0; 3 * 48 * 320], &[1, 3, 48, 320])
        .unwrap();
    assert_eq!(outputs[0].0, vec![1, 40, 6625]);
}

#[test]
fn model_without_metadata_has_an_empty_map_and_fixed_input() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = OnnxModel::load(
        &shared.join("models/segmentation/selfie_segmentation.onnx"),
        None,
    )
    .unwrap();
    assert!(model.metadata().is_empty(), "{:?}", model.metadata());
    assert_eq!(model.input_names(), vec!["input_1".to_string()]);
    assert_eq!(model.output_names(), vec!["activation_10".to_string()]);
}
