//! torchvision's ImageNet MobileNetV2, imported by key name, names the right class for real
//! photos; bad checkpoints are reported tensor by tensor.

mod common;

use kestrel::nn::BackboneKind;
use kestrel::pretrained::{import_torchvision, read_class_names};
use kestrel::{Model, ModelParams};

fn imagenet_classes(shared: &std::path::Path) -> Vec<String> {
    read_class_names(&shared.join("data/labels/imagenet_classes.txt")).unwrap()
}

fn imagenet_model(shared: &std::path::Path) -> Model {
    let params = ModelParams::classification(BackboneKind::MobileNetV2, imagenet_classes(shared));
    let model = Model::new(params).unwrap();
    import_torchvision(
        model,
        &shared.join("models/imagenet/mobilenet_v2_torchvision.safetensors"),
    )
    .unwrap()
}

#[test]
fn imported_mobilenet_v2_recognises_real_photos() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = imagenet_model(&shared);
    let images = shared.join("data/images");
    let results = model
        .classify(
            &[images.join("coffee.png"), images.join("chelsea.png")],
            2,
            5,
        )
        .unwrap();
    eprintln!(
        "coffee.png: {:?} {:?}",
        results[0].classes, results[0].confidences
    );
    eprintln!(
        "chelsea.png: {:?} {:?}",
        results[1].classes, results[1].confidences
    );
    let coffee = &results[0].classes[0];
    assert!(
        coffee.contains("espresso") || coffee.contains("cup"),
        "coffee.png -> {coffee}"
    );
    let cat = &results[1].classes[0];
    assert!(
        [
            "tabby",
            "tiger cat",
            "Egyptian cat",
            "Persian cat",
            "Siamese cat"
        ]
        .iter()
        .any(|c| cat.contains(c)),
        "chelsea.png -> {cat}"
    );
}

#[test]
fn a_checkpoint_of_another_architecture_is_reported_tensor_by_tensor() {
    let Some(shared) = common::shared() else {
        return;
    };
    let params = ModelParams::classification(BackboneKind::ResNet18, imagenet_classes(&shared));
    let err = import_torchvision(
        Model::new(params).unwrap(),
        &shared.join("models/imagenet/mobilenet_v2_torchvision.safetensors"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("missing tensors") && err.contains("layer1.0.Basic.conv1.conv.weight"),
        "{err}"
    );
    assert!(
        err.contains("unexpected tensors") && err.contains("features.0.0.weight"),
        "{err}"
    );
    // Wrong class count: the head's shape is named.
    let params =
        ModelParams::classification(BackboneKind::MobileNetV2, vec!["a".into(), "b".into()]);
    let err = import_torchvision(
        Model::new(params).unwrap(),
        &shared.join("models/imagenet/mobilenet_v2_torchvision.safetensors"),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("fc.weight") && err.contains("1000"), "{err}");
}

#[test]
fn a_pytorch_pth_checkpoint_imports_like_its_safetensors_twin() {
    let Some(shared) = common::shared() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let pth = tmp.path().join("mobilenet_v2.pth");
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/safetensors_to_pth.py");
    let status = std::process::Command::new("python3")
        .arg(&script)
        .arg(shared.join("models/imagenet/mobilenet_v2_torchvision.safetensors"))
        .arg(&pth)
        .status()
        .expect("python3 runs (it writes the .pth fixture)");
    assert!(status.success());
    let params = ModelParams::classification(BackboneKind::MobileNetV2, imagenet_classes(&shared));
    let from_pth = import_torchvision(Model::new(params).unwrap(), &pth).unwrap();
    let from_safetensors = imagenet_model(&shared);
    assert_eq!(
        from_pth.network.tensors(),
        from_safetensors.network.tensors()
    );
}

#[test]
fn imported_logits_equal_the_onnx_copy() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = imagenet_model(&shared);
    let onnx = kestrel::onnx::OnnxClassifier::load(
        &shared.join("models/imagenet/mobilenet_v2_torchvision.onnx"),
        Some(model.params.clone()),
    )
    .unwrap();
    let pre = model.params.preprocess();
    for photo in ["coffee.png", "chelsea.png"] {
        let image =
            kestrel_image::load_resized(&shared.join("data/images").join(photo), &pre).unwrap();
        let input = kestrel_image::normalize_chw(&image, &pre.normalization);
        let (_, net) = model.classifier().expect("a classifier");
        let ours: Vec<f32> = net
            .forward(burn::tensor::Tensor::<4>::from_data(
                burn::tensor::TensorData::new(input.clone(), [1, 3, 224, 224]),
                &kestrel::device::devices_of(net),
            ))
            .into_data()
            .convert::<f32>()
            .try_into_vec()
            .unwrap();
        let theirs = onnx.logits(&input).unwrap();
        let diff = ours
            .iter()
            .zip(&theirs)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f32::max);
        eprintln!("{photo}: largest logit difference to the ONNX copy {diff:e}");
        assert!(diff < 1e-3, "{photo}: {diff}");
    }
}
