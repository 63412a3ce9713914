//! Every bad input gives a clear error that names what is wrong, and a non-zero exit.

mod common;

use common::{fails, ok, small_dataset, small_image_folder, trained_model};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn import_from_a_missing_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let err = fails(
        tmp.path(),
        &[
            "dataset", "import", "--format", "folder", "--src", "nowhere", "--out", "d.json",
        ],
    );
    assert!(err.contains("nowhere"), "{err}");
}

#[test]
fn import_does_not_overwrite_a_dataset() {
    let tmp = tempfile::tempdir().unwrap();
    small_image_folder(tmp.path(), 2);
    write(tmp.path(), "d.json", "precious");
    let err = fails(
        tmp.path(),
        &[
            "dataset", "import", "--format", "folder", "--src", "images", "--out", "d.json",
        ],
    );
    assert!(err.contains("d.json") && err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("d.json")).unwrap(),
        "precious"
    );
}

#[test]
fn validate_reports_every_problem_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_image_folder(dir, 2);
    write(dir, "broken.png", "not a png");
    let first = std::fs::read_dir(dir.join("images/Bag"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let bag = format!("Bag/{}", first.file_name().to_string_lossy());
    write(
        dir,
        "d.json",
        &format!(
            r#"{{
        "class_names": ["Bag", "Coat"], "class_ids": [0, 1], "image_dir": "images",
        "samples": [
            {{"image_id": 1, "image_file_name": "{bag}", "image_label_id": 0}},
            {{"image_id": 2, "image_file_name": "missing.png", "image_label_id": 0}},
            {{"image_id": 3, "image_file_name": "../broken.png", "image_label_id": 1}},
            {{"image_id": 4, "image_file_name": "{bag}", "image_label_id": 7}},
            {{"image_id": 4, "image_file_name": "{bag}", "image_label_id": 1}}
        ]}}"#
        ),
    );
    let err = fails(dir, &["dataset", "validate", "d.json"]);
    assert!(err.contains("missing.png"), "{err}");
    assert!(err.contains("broken.png"), "{err}");
    assert!(err.contains("image_label_id") && err.contains('7'), "{err}");
    assert!(err.contains("image_id") && err.contains('4'), "{err}");
}

#[test]
fn malformed_dataset_json_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "d.json", "{\n  \"class_names\": [\"a\",\n}");
    let err = fails(tmp.path(), &["dataset", "validate", "d.json"]);
    assert!(err.contains("d.json") && err.contains("line"), "{err}");
}

#[test]
fn split_percentages_must_sum_to_100() {
    let tmp = tempfile::tempdir().unwrap();
    small_dataset(tmp.path(), 4);
    let err = fails(
        tmp.path(),
        &[
            "dataset",
            "split",
            "dataset.json",
            "--train",
            "80",
            "--val",
            "30",
            "--test",
            "10",
        ],
    );
    assert!(err.contains("100"), "{err}");
}

#[test]
fn train_rejects_bad_options_before_training() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 4);
    let base = [
        "train",
        "--dataset",
        "dataset.json",
        "--epochs",
        "1",
        "--out",
        "m.kmodel",
    ];
    let with = |extra: &[&str]| -> Vec<String> {
        base.iter().chain(extra).map(|s| s.to_string()).collect()
    };
    let run = |extra: &[&str]| {
        let args = with(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        fails(dir, &args)
    };
    assert!(run(&["--backbone", "vgg"]).contains("vgg"));
    assert!(run(&["--image-size", "big"]).contains("--image-size"));
    assert!(run(&["--momentum", "1.5"]).contains("momentum"));
    assert!(run(&["--learning-rate", "0"]).contains("learning_rate"));
    let e = run(&["--set", "learning_rat=0.1"]);
    assert!(e.contains("learning_rat") && e.contains("hint:"), "{e}");
    assert!(run(&["--device", "cuda:0"]).contains("cuda"));
    assert!(run(&["--channels", "2"]).contains("image_num_channels"));
    // Anomaly detection compares pretrained features, on an anomaly dataset.
    let e = run(&["--model-type", "anomaly-detection"]);
    assert!(e.contains("give --pretrained"), "{e}");
    let e = run(&[
        "--model-type",
        "anomaly-detection",
        "--pretrained",
        "mobilenet_v2",
    ]);
    assert!(e.contains("not an anomaly dataset"), "{e}");
    assert!(!dir.join("m.kmodel").exists());
}

#[test]
fn train_needs_a_split_and_does_not_clobber_models() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_image_folder(dir, 3);
    ok(
        dir,
        &[
            "dataset", "import", "--format", "folder", "--src", "images", "--out", "d.json",
        ],
    );
    let err = fails(
        dir,
        &[
            "train",
            "--dataset",
            "d.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
    assert!(err.contains("split"), "{err}");
    ok(dir, &["dataset", "split", "d.json"]);
    write(dir, "m.kmodel", "someone's model");
    let err = fails(
        dir,
        &[
            "train",
            "--dataset",
            "d.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("m.kmodel")).unwrap(),
        "someone's model"
    );
    let err = fails(
        dir,
        &[
            "train",
            "--dataset",
            "d.json",
            "--epochs",
            "1",
            "--out",
            "new.kmodel",
            "--resume",
        ],
    );
    assert!(err.contains("resume"), "{err}");
}

#[test]
fn foreign_or_corrupt_model_files_fail_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 3);
    write(dir, "junk.kmodel", "this is not a model");
    let err = fails(
        dir,
        &[
            "evaluate",
            "--model",
            "junk.kmodel",
            "--dataset",
            "dataset.json",
            "--out",
            "e.json",
        ],
    );
    assert!(
        err.contains("junk.kmodel") && err.contains("not a valid Kestrel model"),
        "{err}"
    );
    // A valid safetensors file without Kestrel's metadata.
    let header = br#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#;
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header);
    bytes.extend_from_slice(&1f32.to_le_bytes());
    std::fs::write(dir.join("foreign.safetensors"), bytes).unwrap();
    let err = fails(dir, &["model", "info", "foreign.safetensors"]);
    assert!(err.contains("kestrel-model"), "{err}");
    // A real model, truncated.
    ok(
        dir,
        &[
            "train",
            "--dataset",
            "dataset.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
    let full = std::fs::read(dir.join("m.kmodel")).unwrap();
    std::fs::write(dir.join("cut.kmodel"), &full[..full.len() / 2]).unwrap();
    let err = fails(dir, &["model", "info", "cut.kmodel"]);
    assert!(err.contains("cut.kmodel"), "{err}");
}

#[test]
fn infer_names_missing_and_undecodable_images() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    let err = fails(
        dir,
        &[
            "infer",
            "--model",
            "m.kmodel",
            "ghost.png",
            "--out",
            "p.json",
        ],
    );
    assert!(err.contains("ghost.png"), "{err}");
    write(dir, "bad.png", "garbage");
    let err = fails(
        dir,
        &["infer", "--model", "m.kmodel", "bad.png", "--out", "p.json"],
    );
    assert!(err.contains("bad.png"), "{err}");
    let err = fails(
        dir,
        &[
            "model",
            "set",
            "m.kmodel",
            "momentum=7",
            "--out",
            "m2.kmodel",
        ],
    );
    assert!(err.contains("momentum"), "{err}");
}

#[test]
fn threads_option_sets_the_cpu_pool_and_refuses_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let json = ok(tmp.path(), &["--threads", "1", "devices", "--json"]);
    assert!(json.contains("\"threads\": 1"), "{json}");
    let json = ok(tmp.path(), &["devices", "--json", "--threads", "3"]);
    assert!(json.contains("\"threads\": 3"), "{json}");
    let err = fails(tmp.path(), &["--threads", "0", "devices"]);
    assert!(err.contains("thread count must be at least 1"), "{err}");
}

#[test]
fn results_never_overwrite_inputs_and_existing_files_only_with_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    let dataset = std::fs::read(dir.join("dataset.json")).unwrap();
    let model = std::fs::read(dir.join("m.kmodel")).unwrap();
    let image = dir
        .join("images/Bag")
        .read_dir()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let image = image.to_string_lossy().into_owned();

    // Never one of the inputs, not even with --force.
    let err = fails(
        dir,
        &[
            "evaluate",
            "--model",
            "m.kmodel",
            "--dataset",
            "dataset.json",
            "--out",
            "dataset.json",
            "--force",
        ],
    );
    assert!(err.contains("one of the command's inputs"), "{err}");
    let err = fails(
        dir,
        &[
            "infer", "--model", "m.kmodel", &image, "--out", "m.kmodel", "--force",
        ],
    );
    assert!(err.contains("one of the command's inputs"), "{err}");
    let err = fails(
        dir,
        &[
            "infer", "--model", "m.kmodel", &image, "--out", &image, "--force",
        ],
    );
    assert!(err.contains("one of the command's inputs"), "{err}");
    assert_eq!(std::fs::read(dir.join("dataset.json")).unwrap(), dataset);
    assert_eq!(std::fs::read(dir.join("m.kmodel")).unwrap(), model);

    // An existing result only with --force.
    ok(
        dir,
        &["infer", "--model", "m.kmodel", &image, "--out", "p.json"],
    );
    let err = fails(
        dir,
        &["infer", "--model", "m.kmodel", &image, "--out", "p.json"],
    );
    assert!(err.contains("--force"), "{err}");
    ok(
        dir,
        &[
            "infer", "--model", "m.kmodel", &image, "--out", "p.json", "--force",
        ],
    );
    ok(
        dir,
        &[
            "evaluate",
            "--model",
            "m.kmodel",
            "--dataset",
            "dataset.json",
            "--split",
            "train",
            "--out",
            "e.json",
        ],
    );
    let err = fails(
        dir,
        &[
            "evaluate",
            "--model",
            "m.kmodel",
            "--dataset",
            "dataset.json",
            "--split",
            "train",
            "--out",
            "e.json",
        ],
    );
    assert!(err.contains("--force"), "{err}");
}

#[test]
fn huge_images_and_network_inputs_are_refused_before_memory_is_spent() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 3);
    // A PNG whose header claims 100000 x 100000 pixels, in the dataset's first class.
    let huge = dir.join("images/Bag/huge.png");
    let mut encoder = png::Encoder::new(std::fs::File::create(&huge).unwrap(), 100_000, 100_000);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_chunk(
            png::chunk::IDAT,
            &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
        )
        .unwrap();
    drop(writer);
    let err = fails(
        dir,
        &[
            "dataset",
            "import",
            "--format",
            "folder",
            "--src",
            "images",
            "--out",
            "with_huge.json",
        ],
    );
    assert!(
        err.contains("huge.png") && err.contains("too large"),
        "{err}"
    );
    let err = fails(dir, &["dataset", "validate", "with_huge.json"]);
    assert!(
        err.contains("huge.png") && err.contains("too large"),
        "{err}"
    );
    ok(
        dir,
        &[
            "train",
            "--dataset",
            "dataset.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
    let err = fails(
        dir,
        &[
            "infer",
            "--model",
            "m.kmodel",
            &huge.to_string_lossy(),
            "--out",
            "p.json",
        ],
    );
    assert!(
        err.contains("huge.png") && err.contains("too large"),
        "{err}"
    );

    let err = fails(
        dir,
        &[
            "model",
            "set",
            "m.kmodel",
            "image_width=100000",
            "--out",
            "m2.kmodel",
        ],
    );
    assert!(
        err.contains("image_width") && err.contains("too large"),
        "{err}"
    );
    let err = fails(
        dir,
        &[
            "train",
            "--dataset",
            "dataset.json",
            "--image-size",
            "100000x100000",
            "--epochs",
            "1",
            "--out",
            "big.kmodel",
        ],
    );
    assert!(err.contains("too large"), "{err}");
    assert!(!dir.join("big.kmodel").exists());
}

#[test]
fn out_of_range_hyperparameters_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 3);
    let train = |extra: &[&str]| {
        let mut args = vec!["train", "--dataset", "dataset.json", "--out", "m.kmodel"];
        args.extend_from_slice(extra);
        fails(dir, &args)
    };
    let err = train(&["--epochs", "0"]);
    assert!(
        err.contains("epochs") && err.contains("at least 1"),
        "{err}"
    );
    let err = train(&["--learning-rate", "-0.1"]);
    assert!(
        err.contains("learning_rate") && err.contains("-0.1"),
        "{err}"
    );
    let err = train(&["--epochs", "2", "--warmup-epochs", "5"]);
    assert!(err.contains("warmup_epochs"), "{err}");
    assert!(!dir.join("m.kmodel").exists());
    ok(
        dir,
        &[
            "train",
            "--dataset",
            "dataset.json",
            "--epochs",
            "1",
            "--out",
            "m.kmodel",
        ],
    );
    let image = dir
        .join("images/Bag")
        .read_dir()
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let err = fails(
        dir,
        &[
            "infer",
            "--model",
            "m.kmodel",
            &image.to_string_lossy(),
            "--batch-size",
            "0",
            "--out",
            "p.json",
        ],
    );
    assert!(
        err.contains("batch-size") && err.contains("at least 1"),
        "{err}"
    );
    let err = fails(
        dir,
        &[
            "evaluate",
            "--model",
            "m.kmodel",
            "--dataset",
            "dataset.json",
            "--batch-size",
            "0",
            "--out",
            "e.json",
        ],
    );
    assert!(err.contains("at least 1"), "{err}");
}

#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.png"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let err = fails(
        dir,
        &[
            "infer", "--model", "m.kmodel", "pipe.png", "--out", "p.json",
        ],
    );
    assert!(
        err.contains("pipe.png") && err.contains("not an image file"),
        "{err}"
    );
}

#[test]
fn infer_gives_the_good_images_results_and_names_the_bad_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    std::fs::create_dir(dir.join("mixed")).unwrap();
    let good = std::fs::read_dir(dir.join("images/Bag"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::copy(&good, dir.join("mixed/a_good.png")).unwrap();
    write(dir, "mixed/b_broken.png", "garbage");
    std::fs::copy(&good, dir.join("mixed/c_good.png")).unwrap();
    let err = fails(
        dir,
        &["infer", "--model", "m.kmodel", "mixed", "--out", "p.json"],
    );
    assert!(
        err.contains("b_broken.png") && err.contains("1 of 3 images"),
        "{err}"
    );
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("p.json")).unwrap()).unwrap();
    let entries = results.as_array().unwrap();
    assert_eq!(entries.len(), 3, "{results}");
    assert!(
        entries[1]["error"]
            .as_str()
            .unwrap()
            .contains("b_broken.png")
    );
    for i in [0, 2] {
        assert!(
            entries[i]["error"].is_null() && entries[i]["classes"].is_array(),
            "{results}"
        );
    }
}

#[test]
fn evaluate_names_every_unreadable_image_before_it_starts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    trained_model(dir);
    let mut dataset: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("dataset.json")).unwrap()).unwrap();
    let samples = dataset["samples"].as_array_mut().unwrap();
    for (i, s) in samples.iter_mut().enumerate().take(2) {
        let name = format!("broken{i}.png");
        write(dir, &format!("images/{name}"), "garbage");
        s["image_file_name"] = name.into();
        s["split"] = "test".into();
    }
    std::fs::write(dir.join("broken.json"), dataset.to_string()).unwrap();
    let err = fails(
        dir,
        &[
            "evaluate",
            "--model",
            "m.kmodel",
            "--dataset",
            "broken.json",
            "--out",
            "e.json",
        ],
    );
    assert!(
        err.contains("broken0.png") && err.contains("broken1.png"),
        "{err}"
    );
    assert!(err.contains("before evaluating"), "{err}");
    assert!(!dir.join("e.json").exists());
}
