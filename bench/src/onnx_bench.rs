//! Inference speed of an ONNX model with tract, in images/s.
//!
//! ```sh
//! cargo run --release -p kestrel-bench --bin onnx-bench -- MODEL.onnx BATCH THREADS [SECONDS] [C H W]
//! ```
//! The input is NCHW `BATCH x C x H x W` (default 3 x 224 x 224) of constant values. One
//! warm-up run, then runs for at least SECONDS (default 10) seconds.

use std::time::Instant;

use kestrel_onnx::OnnxModel;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage: onnx_bench MODEL.onnx BATCH THREADS [SECONDS] [C H W]".into());
    }
    let batch: usize = args[1].parse()?;
    let threads: usize = args[2].parse()?;
    let seconds: f64 = args.get(3).map(|s| s.parse()).transpose()?.unwrap_or(10.0);
    let chw: Vec<usize> = if args.len() >= 7 {
        args[4..7]
            .iter()
            .map(|s| s.parse())
            .collect::<Result<_, _>>()?
    } else {
        vec![3, 224, 224]
    };
    let shape = [batch, chw[0], chw[1], chw[2]];
    let t0 = Instant::now();
    let model = OnnxModel::load_with_threads(args[0].as_ref(), Some(&shape), threads)?;
    println!(
        "loaded and optimised in {:.2} s",
        t0.elapsed().as_secs_f64()
    );
    let input = vec![0.5f32; shape.iter().product()];
    model.run(&input, &shape)?;
    let start = Instant::now();
    let mut runs = 0usize;
    while runs == 0 || start.elapsed().as_secs_f64() < seconds {
        model.run(&input, &shape)?;
        runs += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "tract batch {batch}, threads {threads}: {runs} runs in {secs:.2} s, {:.1} images/s, {:.1} ms/run",
        (runs * batch) as f64 / secs,
        secs * 1e3 / runs as f64
    );
    Ok(())
}
