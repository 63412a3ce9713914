//! Training that is killed (SIGKILL at random moments), terminated (SIGTERM) or started
//! twice on the same `--out`: resume finishes with exactly the losses of an uninterrupted
//! run, and a second run is refused while the first holds the run folder.

mod common;

use common::{fails, ok, small_dataset};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The options of every run in these tests (augmentation on, so its random state matters).
const TRAIN: &[&str] = &[
    "train",
    "--dataset",
    "dataset.json",
    "--epochs",
    "6",
    "--batch-size",
    "16",
    "--augment",
];

/// Starts `kestrel train … --out OUT [--resume]` in `dir` without waiting.
fn start(dir: &Path, out: &str, resume: bool) -> Child {
    let mut args: Vec<&str> = TRAIN.to_vec();
    args.extend(["--out", out]);
    if resume {
        args.push("--resume");
    }
    Command::new(env!("CARGO_BIN_EXE_kestrel"))
        .args(&args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kestrel binary starts")
}

/// Each epoch's training loss and validation error from the run's state file.
fn losses(dir: &Path, out: &str) -> Vec<(f64, Option<f64>)> {
    let state = dir.join(format!("{out}.training/state.json"));
    let state: serde_json::Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    state["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["train_loss"].as_f64().unwrap(),
                r["validation_error"].as_f64(),
            )
        })
        .collect()
}

/// Waits until `path` exists (or `child` ended), at most a minute.
fn wait_for(path: &Path, child: &mut Child) {
    let start = Instant::now();
    while !path.exists() && child.try_wait().unwrap().is_none() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{path:?} never appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn killed_training_resumes_with_the_losses_of_an_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 80);
    let started = Instant::now();
    let mut args: Vec<&str> = TRAIN.to_vec();
    args.extend(["--out", "straight.kmodel"]);
    ok(dir, &args);
    let straight_ms = started.elapsed().as_millis() as u64;

    // Kill the run at pseudo-random moments (a fixed sequence, each within a quarter of an
    // uninterrupted run, so several land), resuming after each kill once a checkpoint
    // exists and starting again before that, as the messages say.
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut kills = 0;
    let mut finished = false;
    for _ in 0..8 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let delay = 50 + (seed >> 33) % (straight_ms / 4).max(100);
        let resume = dir.join("killed.kmodel.training/state.json").exists();
        let mut child = start(dir, "killed.kmodel", resume);
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_some() {
            finished = true;
            break;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
    }
    if !finished {
        let resume = dir.join("killed.kmodel.training/state.json").exists();
        let status = start(dir, "killed.kmodel", resume).wait().unwrap();
        assert!(status.success(), "the last resume failed");
    }
    assert!(
        kills >= 3,
        "only {kills} kills landed before the run finished"
    );
    assert!(dir.join("killed.kmodel").exists());
    assert_eq!(losses(dir, "killed.kmodel"), losses(dir, "straight.kmodel"));
    // Only the last epoch's checkpoint is kept.
    let checkpoints = std::fs::read_dir(dir.join("killed.kmodel.training"))
        .unwrap()
        .filter(|e| {
            let name = e.as_ref().unwrap().file_name();
            name.to_string_lossy().starts_with("checkpoint-")
        })
        .count();
    assert_eq!(checkpoints, 1);
}

#[test]
fn sigterm_stops_training_like_ctrl_c_and_a_second_run_on_the_same_out_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 80);
    let mut first = start(dir, "m.kmodel", false);
    wait_for(&dir.join("m.kmodel.training/lock"), &mut first);

    let mut args: Vec<&str> = TRAIN.to_vec();
    args.extend(["--out", "m.kmodel"]);
    let err = fails(dir, &args);
    assert!(err.contains("locked") && err.contains("hint:"), "{err}");

    wait_for(&dir.join("m.kmodel.training/state.json"), &mut first);
    let term = Command::new("kill")
        .args(["-TERM", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let out = first.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("interrupted after epoch"), "{stderr}");
    assert!(!dir.join("m.kmodel").exists());

    args.push("--resume");
    ok(dir, &args);
    assert_eq!(losses(dir, "m.kmodel").len(), 6);
}

#[test]
fn resume_refuses_options_that_change_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    small_dataset(dir, 3);
    let mut args: Vec<&str> = TRAIN.to_vec();
    args.extend(["--out", "m.kmodel"]);
    ok(dir, &args);
    let with = |extra: &[&str]| {
        let mut a = args.clone();
        a.push("--resume");
        a.extend(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let run = |extra: &[&str]| {
        let a = with(extra);
        fails(dir, &a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let err = run(&["--learning-rate", "0.5"]);
    assert!(
        err.contains("learning_rate") && err.contains("differ"),
        "{err}"
    );
    let err = run(&["--backbone", "resnet18"]);
    assert!(err.contains("backbone compact -> resnet18"), "{err}");
    let err = run(&["--model-type", "anomaly-detection"]);
    assert!(err.contains("model_type"), "{err}");
    let err = run(&["--pretrained", "mobilenet_v2"]);
    assert!(err.contains("new run"), "{err}");
    let a = with(&[]);
    let mut fewer: Vec<&str> = a.iter().map(String::as_str).collect();
    let epochs = fewer.iter().position(|a| *a == "6").unwrap();
    fewer[epochs] = "2";
    let err = fails(dir, &fewer);
    assert!(err.contains("fewer than the 6 epochs"), "{err}");
    // More epochs train on.
    fewer[epochs] = "7";
    ok(dir, &fewer);
    assert_eq!(losses(dir, "m.kmodel").len(), 7);
}
