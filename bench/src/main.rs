//! Measures images/s of Kestrel's classifiers: training steps (forward, backward, SGD update)
//! at batch 16 and inference at batch 1 and 16, on random input, after warm-up; and the
//! peak resident memory of the process while it trains (Linux).
//!
//! `cargo run --release -p kestrel-bench -- [compact|resnet18|mobilenet_v2|resnet50 ...] [--device cuda:0]`
//! Thread count: `RAYON_NUM_THREADS` (the CPU backend's pool).

use burn::module::Module;
use burn::optim::{GradientsParams, SgdConfig};
use burn::tensor::{Distribution, Tensor};
use kestrel::classification::Classification;
use kestrel::method::GradientMethod;
use kestrel::nn::{BackboneKind, ClassifierNet};
use std::time::Instant;

mod peak_memory;

const CLASSES: usize = 10;

fn size_of(kind: BackboneKind) -> (usize, usize) {
    match kind {
        BackboneKind::Compact => (1, 28),
        _ => (3, 224),
    }
}

fn images(batch: usize, channels: usize, size: usize, device: &burn::tensor::Device) -> Tensor<4> {
    Tensor::random(
        [batch, channels, size, size],
        Distribution::Normal(0.0, 1.0),
        device,
    )
}

/// Seconds per call of `f`, after `warmup` calls, over at least `min_calls` calls and 3 s.
fn time(warmup: usize, min_calls: usize, mut f: impl FnMut()) -> f64 {
    for _ in 0..warmup {
        f();
    }
    let start = Instant::now();
    let mut calls = 0;
    while calls < min_calls || start.elapsed().as_secs_f64() < 3.0 {
        f();
        calls += 1;
    }
    start.elapsed().as_secs_f64() / calls as f64
}

fn infer(kind: BackboneKind, batch: usize, device: &burn::tensor::Device) -> f64 {
    let (c, s) = size_of(kind);
    let net = ClassifierNet::new(kind, c, CLASSES, device).valid();
    let x = images(batch, c, s, device);
    let seconds = time(2, 3, || {
        let logits = net.forward(x.clone());
        let _ = logits.into_data();
    });
    batch as f64 / seconds
}

/// Images/s of training steps, and the peak resident memory while training (MiB).
fn train(kind: BackboneKind, batch: usize, device: &burn::tensor::Device) -> (f64, Option<f64>) {
    let (c, s) = size_of(kind);
    let ad = device.clone().autodiff();
    let mut net = Some(ClassifierNet::new(kind, c, CLASSES, &ad).train());
    let method = Classification {
        class_ids: (0..CLASSES as u32).collect(),
        class_names: (0..CLASSES).map(|i| i.to_string()).collect(),
    };
    let mut optim = SgdConfig::new().init();
    let x = images(batch, c, s, &ad);
    let targets: Vec<usize> = (0..batch).map(|i| i % CLASSES).collect();
    peak_memory::reset();
    let seconds = time(1, 3, || {
        let n = net.take().expect("net");
        let loss = method.loss(&n, x.clone(), &targets);
        let grads = GradientsParams::from_grads(loss.backward(), &n);
        net = Some(optim.step(0.01, n, grads));
        let _ = net.as_ref().map(|n| n.fc.weight.val().into_data());
    });
    (batch as f64 / seconds, peak_memory::peak_mib())
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let device_name = match args.iter().position(|a| a == "--device") {
        Some(i) => {
            let name = args.get(i + 1).cloned().unwrap_or_else(|| "cpu".into());
            args.drain(i..(i + 2).min(args.len()));
            name
        }
        None => "cpu".into(),
    };
    let device = kestrel::device::parse_device(&device_name).unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let kinds: Vec<BackboneKind> = if args.is_empty() {
        vec![
            BackboneKind::Compact,
            BackboneKind::ResNet18,
            BackboneKind::MobileNetV2,
        ]
    } else {
        args.iter()
            .map(|a| a.parse().unwrap_or_else(|e| panic!("{e}")))
            .collect()
    };
    let cpu_threads = kestrel::device::available_devices()[0].threads.unwrap_or(0);
    println!("device {device_name}, CPU pool of {cpu_threads} threads; images/s");
    println!("| network | input | infer bs1 | infer bs16 | train bs16 | train peak MiB |");
    println!("|---|---|---|---|---|---|");
    for kind in kinds {
        let (c, s) = size_of(kind);
        let i1 = infer(kind, 1, &device);
        let i16 = infer(kind, 16, &device);
        let (t16, peak) = train(kind, 16, &device);
        let peak = peak.map_or("n/a".into(), |mib| format!("{mib:.0}"));
        println!("| {kind} | {s}x{s}x{c} | {i1:.1} | {i16:.1} | {t16:.1} | {peak} |");
    }
}
