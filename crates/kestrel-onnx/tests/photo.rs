//! The ImageNet MobileNetV2 recognises a real photograph.

mod common;

use image::imageops::FilterType;
use kestrel_onnx::OnnxModel;

#[test]
fn mobilenet_v2_sees_an_espresso_cup_in_coffee_png() {
    let Some(shared) = common::shared() else {
        return;
    };
    let model = OnnxModel::load(
        &shared.join("models/imagenet/mobilenet_v2_torchvision.onnx"),
        Some(&[1, 3, 224, 224]),
    )
    .unwrap();
    let img = image::open(shared.join("data/images/coffee.png"))
        .unwrap()
        .to_rgb8();
    let img = image::imageops::resize(&img, 224, 224, FilterType::Triangle);
    let mut x = Vec::with_capacity(3 * 224 * 224);
    for c in 0..3 {
        for p in img.pixels() {
            x.push((p[c] as f32 / 255.0 - common::MEAN[c]) / common::STD[c]);
        }
    }
    let outputs = model.run(&x, &[1, 3, 224, 224]).unwrap();
    let (shape, logits) = &outputs[0];
    assert_eq!(shape, &[1, 1000]);
    let class = common::argmax(logits);
    eprintln!(
        "coffee.png: ImageNet class {class}, logit {}",
        logits[class]
    );
    assert!(
        class == 967 || class == 968,
        "expected espresso (967) or cup (968), got {class}"
    );
}
