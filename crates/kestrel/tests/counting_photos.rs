//! Deep counting on the 16 photos of `../shared/data/counting` (40 to 877 objects: pills,
//! cells, cars, sheep, a crowd …), each counted with three example boxes made from its own
//! dots by the documented rule (no training): relative MAE at most 0.20. Also the bad
//! inputs the method must answer clearly.

mod common;

use kestrel::Model;
use kestrel::counting::{ExampleImage, counting_params};
use kestrel::data::{Dataset, Split, import_counting_dots};
use kestrel::image::read_image;
use kestrel::nn::BackboneKind;
use kestrel::pretrained::{TransferOptions, shipped_model_path, transfer_model};
use std::path::Path;

/// A deep-counting model on the shipped ImageNet MobileNetV2, not prepared.
fn counting_model() -> Model {
    let pretrained = Model::load(&shipped_model_path("mobilenet_v2").unwrap()).unwrap();
    let options = TransferOptions {
        freeze_backbone: true,
        backbone_learning_rate_factor: 0.0,
    };
    transfer_model(
        pretrained,
        counting_params(BackboneKind::MobileNetV2),
        options,
    )
    .unwrap()
}

/// The photos with their dots and rule-made examples, all in the test split.
fn photos(shared: &Path) -> Dataset {
    let root = shared.join("data/counting");
    let mut dataset = import_counting_dots(&root.join("images"), &root.join("dots"), None).unwrap();
    for sample in &mut dataset.samples {
        sample.split = Some(Split::Test);
    }
    dataset
}

#[test]
fn counts_the_photos_within_020_relative_mae() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dataset = photos(&shared);
    assert_eq!(dataset.samples.len(), 16);
    let model = counting_model();
    let report = model.evaluate_counting(&dataset, Split::Test).unwrap();
    let e = &report.evaluation;
    for (image, r) in report.images.iter().zip(&e.per_image) {
        eprintln!(
            "{:>14} true {:4} found {:5} relative error {:.3} F1 {:.3}",
            image.image.file_stem().unwrap().to_string_lossy(),
            r.true_count,
            r.predicted_count,
            r.relative_error.unwrap(),
            r.f1
        );
    }
    eprintln!("{}", kestrel::Report::summary(&report));
    let relative = e.relative_mae.unwrap();
    assert!(relative <= 0.20, "relative MAE {relative:.3}");
    assert!(e.f1 >= 0.80, "position F1 {:.3}", e.f1);
    assert!(report.images.iter().all(|i| i.own_examples));
}

#[test]
fn bad_examples_are_reported_and_an_image_without_objects_counts_zero() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dataset = photos(&shared);
    let pills = dataset
        .samples
        .iter()
        .find(|s| s.image_file_name.contains("Pills"))
        .unwrap();
    let path = dataset.image_path(pills);
    let image = read_image(&path).unwrap();
    let mut model = counting_model();

    let none = model.prepare_examples(&[ExampleImage {
        image: &image,
        path: &path,
        boxes: &[],
    }]);
    assert!(none.unwrap_err().to_string().contains("no example box"));
    let bad = [[-5.0, 10.0, 20.0, 30.0], [10.0, 10.0, 12.0, 12.0]];
    let message = model
        .prepare_examples(&[ExampleImage {
            image: &image,
            path: &path,
            boxes: &bad,
        }])
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("example box 0") && message.contains("outside"),
        "{message}"
    );
    assert!(
        message.contains("example box 1") && message.contains("smaller"),
        "{message}"
    );

    // Not prepared: counting says how to prepare.
    let unprepared = model
        .count_image_files(std::slice::from_ref(&path))
        .unwrap_err()
        .to_string();
    assert!(unprepared.contains("prepare"), "{unprepared}");

    let boxes = pills.exemplar_boxes().unwrap();
    model
        .prepare_counting(&[ExampleImage {
            image: &image,
            path: &path,
            boxes: &boxes,
        }])
        .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let grey = tmp.path().join("grey.png");
    image::RgbImage::from_pixel(200, 150, image::Rgb([128, 128, 128]))
        .save(&grey)
        .unwrap();
    let results = model.count_image_files(&[grey, path]).unwrap();
    assert_eq!(results[0].count, 0);
    let truth = pills.true_count().unwrap();
    let found = results[1].count;
    assert!(
        found.abs_diff(truth) * 5 <= truth,
        "pills: {found} found, {truth} true"
    );

    // The prepared model survives saving.
    let saved = tmp.path().join("pills.kmodel");
    model.save(&saved, false).unwrap();
    let again = Model::load(&saved)
        .unwrap()
        .count_image_files(std::slice::from_ref(&results[1].image))
        .unwrap();
    assert_eq!(again[0].count, found);
}

#[test]
fn a_scale_range_finds_the_crowds_far_heads() {
    let Some(shared) = common::shared() else {
        return;
    };
    let mut dataset = photos(&shared);
    dataset
        .samples
        .retain(|s| s.image_file_name.contains("Crowd"));
    let mut model = counting_model();
    let one = model
        .evaluate_counting(&dataset, Split::Test)
        .unwrap()
        .evaluation;
    model.params.set("scale_min", "0.7").unwrap();
    let range = model
        .evaluate_counting(&dataset, Split::Test)
        .unwrap()
        .evaluation;
    eprintln!(
        "Crowd: sizes 1: relative error {:.3}, F1 {:.3}; sizes 0.7-1: {:.3}, {:.3}",
        one.relative_mae.unwrap(),
        one.f1,
        range.relative_mae.unwrap(),
        range.f1
    );
    assert!(range.relative_mae.unwrap() < 0.2 && one.relative_mae.unwrap() > 0.4);
    assert!(range.f1 > one.f1 + 0.05);
}
