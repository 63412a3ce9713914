//! Times the forward pass, input gradient and weight gradient of a few MobileNetV2 and
//! ResNet-18 convolutions at batch 16 (median of several runs after a warm-up).
//!
//! Then sums the same three passes over all 52 convolutions of MobileNetV2 (224x224
//! input), split into the stem, the 1x1 convolutions and the depthwise ones, and the
//! forward passes of all 20 convolutions of ResNet-18 at batch 1 and 16, and their three
//! passes at batch 16.
//!
//! `cargo run --release -p kestrel-kernels --example conv_speed [runs]`

use std::time::Duration;

mod common;

use common::{data, median};

use kestrel_kernels::{Conv2dShape, conv2d, conv2d_backward_input, conv2d_backward_weight};

const BATCH: usize = 16;

/// A square convolution layer at batch [`BATCH`].
fn layer(
    in_channels: usize,
    size: usize,
    out_channels: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    groups: usize,
) -> Conv2dShape {
    layer_at(
        BATCH,
        in_channels,
        size,
        out_channels,
        kernel,
        stride,
        padding,
        groups,
    )
}

/// A square convolution layer at batch `batch`.
#[allow(clippy::too_many_arguments)]
fn layer_at(
    batch: usize,
    in_channels: usize,
    size: usize,
    out_channels: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    groups: usize,
) -> Conv2dShape {
    Conv2dShape {
        batch,
        in_channels,
        in_height: size,
        in_width: size,
        out_channels,
        kernel_height: kernel,
        kernel_width: kernel,
        stride: [stride; 2],
        padding: [padding; 2],
        dilation: [1, 1],
        groups,
    }
}

/// The 52 convolutions of MobileNetV2 on 224x224 images: the stem, then per inverted
/// residual block the 1x1 expansion (not in the first block), the 3x3 depthwise and the
/// 1x1 projection, then the final 1x1 to 1280 channels.
fn mobilenet_v2() -> Vec<(&'static str, Conv2dShape)> {
    let mut convs = vec![("stem", layer(3, 224, 32, 3, 2, 1, 1))];
    let (mut channels, mut size) = (32, 112);
    // (expansion, output channels, blocks, first stride), as in the paper.
    for (t, c, n, s) in [
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ] {
        for block in 0..n {
            let stride = if block == 0 { s } else { 1 };
            let hidden = channels * t;
            if t != 1 {
                convs.push(("1x1", layer(channels, size, hidden, 1, 1, 0, 1)));
            }
            convs.push((
                "depthwise",
                layer(hidden, size, hidden, 3, stride, 1, hidden),
            ));
            size = size.div_ceil(stride);
            convs.push(("1x1", layer(hidden, size, c, 1, 1, 0, 1)));
            channels = c;
        }
    }
    convs.push(("1x1", layer(channels, size, 1280, 1, 1, 0, 1)));
    convs
}

/// The 20 convolutions of ResNet-18 on 224x224 images at batch `batch`, as (count,
/// shape): the stem, then per stage the 3x3 convolutions and the 1x1 stride-2 shortcut.
fn resnet18(batch: usize) -> Vec<(usize, Conv2dShape)> {
    let conv = |i, size, o, k, s, p| layer_at(batch, i, size, o, k, s, p, 1);
    vec![
        (1, conv(3, 224, 64, 7, 2, 3)),
        (4, conv(64, 56, 64, 3, 1, 1)),
        (1, conv(64, 56, 128, 3, 2, 1)),
        (3, conv(128, 28, 128, 3, 1, 1)),
        (1, conv(64, 56, 128, 1, 2, 0)),
        (1, conv(128, 28, 256, 3, 2, 1)),
        (3, conv(256, 14, 256, 3, 1, 1)),
        (1, conv(128, 28, 256, 1, 2, 0)),
        (1, conv(256, 14, 512, 3, 2, 1)),
        (3, conv(512, 7, 512, 3, 1, 1)),
        (1, conv(256, 14, 512, 1, 2, 0)),
    ]
}

/// Multiply-adds times two of the convolution `s`.
fn flops(s: &Conv2dShape) -> f64 {
    2.0 * s.output_len() as f64
        * (s.in_channels / s.groups * s.kernel_height * s.kernel_width) as f64
}

/// Median times of the forward pass, input gradient and weight gradient of `s`.
fn time_layer(s: &Conv2dShape, runs: usize) -> [Duration; 3] {
    let x = data(s.input_len(), 1.0);
    let w = data(s.weight_len(), 1.0);
    let b = data(s.out_channels, 1.0);
    let dy = data(s.output_len(), 1.0);
    let mut y = vec![0.0f32; s.output_len()];
    let mut dx = vec![0.0f32; s.input_len()];
    let mut dw = vec![0.0f32; s.weight_len()];
    [
        median(runs, || conv2d(s, &x, &w, Some(&b), &mut y).unwrap()),
        median(runs, || conv2d_backward_input(s, &dy, &w, &mut dx).unwrap()),
        median(runs, || {
            conv2d_backward_weight(s, &x, &dy, &mut dw).unwrap()
        }),
    ]
}

fn main() {
    let runs = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(7usize)
        .max(1);
    let layers = [
        (
            "1x1 32->16 @112 (MobileNetV2)",
            layer(32, 112, 16, 1, 1, 0, 1),
        ),
        (
            "dw 3x3 144 @56 s1 (MobileNetV2)",
            layer(144, 56, 144, 3, 1, 1, 144),
        ),
        (
            "dw 3x3 96 @112 s2 (MobileNetV2)",
            layer(96, 112, 96, 3, 2, 1, 96),
        ),
        ("3x3 64->64 @56 (ResNet-18)", layer(64, 56, 64, 3, 1, 1, 1)),
        ("7x7 s2 3->64 @224 (stem)", layer(3, 224, 64, 7, 2, 3, 1)),
        (
            "1x1 320->1280 @7 (MobileNetV2)",
            layer(320, 7, 1280, 1, 1, 0, 1),
        ),
    ];
    println!(
        "batch {BATCH}, {} rayon threads, median of {runs} runs (ms and GFLOP/s)",
        rayon::current_num_threads()
    );
    println!(
        "{:<34} {:>8} {:>7}  {:>8} {:>7}  {:>8} {:>7}",
        "layer", "forward", "GF/s", "d input", "GF/s", "d weight", "GF/s"
    );
    let mut totals = [Duration::ZERO; 3];
    for (name, s) in layers {
        let flops = flops(&s);
        let times = time_layer(&s, runs);
        print!("{name:<34}");
        for (total, t) in totals.iter_mut().zip(times) {
            *total += t;
            let secs = t.as_secs_f64();
            print!(" {:>8.2} {:>7.1} ", secs * 1e3, flops / secs / 1e9);
        }
        println!();
    }
    println!(
        "{:<34} {:>8.2} {:>7}  {:>8.2} {:>7}  {:>8.2}",
        "total",
        totals[0].as_secs_f64() * 1e3,
        "",
        totals[1].as_secs_f64() * 1e3,
        "",
        totals[2].as_secs_f64() * 1e3
    );

    let convs = mobilenet_v2();
    println!(
        "\nMobileNetV2, all {} convolutions at batch {BATCH} (ms, summed medians)",
        convs.len()
    );
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>10}",
        "kind", "forward", "d input", "d weight", "backward"
    );
    for kind in ["stem", "1x1", "depthwise"] {
        let mut sums = [0.0f64; 3];
        let mut count = 0;
        for (_, s) in convs.iter().filter(|(k, _)| *k == kind) {
            count += 1;
            for (sum, t) in sums.iter_mut().zip(time_layer(s, runs.min(3))) {
                *sum += t.as_secs_f64() * 1e3;
            }
        }
        println!(
            "{:<34} {:>8.1} {:>8.1} {:>8.1} {:>10.1}",
            format!("{kind} ({count})"),
            sums[0],
            sums[1],
            sums[2],
            sums[1] + sums[2]
        );
    }

    println!("\nResNet-18, forward passes of all 20 convolutions (ms per image, GFLOP/s)");
    for batch in [1, 16] {
        let (mut seconds, mut total) = (0.0, 0.0);
        for (count, s) in resnet18(batch) {
            let x = data(s.input_len(), 1.0);
            let w = data(s.weight_len(), 1.0);
            let mut y = vec![0.0f32; s.output_len()];
            let t = median(runs, || conv2d(&s, &x, &w, None, &mut y).unwrap());
            seconds += t.as_secs_f64() * count as f64;
            total += flops(&s) * count as f64;
        }
        println!(
            "batch {batch:<2} {:>8.2} ms {:>7.1} GF/s",
            seconds * 1e3 / batch as f64,
            total / seconds / 1e9
        );
    }
    println!(
        "ResNet-18, all 20 convolutions at batch {BATCH}: the three passes of a training step"
    );
    let mut sums = [0.0f64; 3];
    let mut total = 0.0;
    for (count, s) in resnet18(BATCH) {
        for (sum, t) in sums.iter_mut().zip(time_layer(&s, runs.min(3))) {
            *sum += t.as_secs_f64() * count as f64;
        }
        total += flops(&s) * count as f64;
    }
    for (name, seconds) in ["forward", "d input", "d weight"].iter().zip(sums) {
        println!(
            "{name:<9} {:>8.1} ms per batch {:>7.1} GF/s",
            seconds * 1e3,
            total / seconds / 1e9
        );
    }
}
