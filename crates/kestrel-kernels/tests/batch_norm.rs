//! The batch norm and activation kernels against naive f64 references over odd shapes
//! and all three activations, each in a 1-thread and a 4-thread rayon pool; the batch
//! norm backward also against finite differences; bad arguments as errors.

use kestrel_kernels::{
    Activation, BatchNormShape, KernelError, activation_backward, add_activation,
    batch_norm_inference, batch_norm_inference_backward, batch_norm_scale_shift, batch_norm_train,
    batch_norm_train_backward,
};

mod common;

use common::{data, in_pools};

const EPSILON: f32 = 1e-5;
const ACTIVATIONS: [Activation; 3] = [Activation::Identity, Activation::Relu, Activation::Relu6];

/// `data` scaled by `scale` and shifted by `offset`.
fn scaled(len: usize, seed: u64, scale: f32, offset: f32) -> Vec<f32> {
    data(len, seed)
        .into_iter()
        .map(|v| v * scale + offset)
        .collect()
}

fn close(name: &str, context: &str, got: &[f32], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{name}: length, {context}");
    for (i, (&a, &b)) in got.iter().zip(want).enumerate() {
        let err = (f64::from(a) - b).abs();
        assert!(
            err <= 1e-4 * (1.0 + b.abs()),
            "{name}[{i}]: got {a}, want {b} (error {err}) for {context}"
        );
    }
}

fn act64(activation: Activation, v: f64) -> f64 {
    match activation {
        Activation::Identity => v,
        Activation::Relu => v.max(0.0),
        Activation::Relu6 => v.clamp(0.0, 6.0),
    }
}

/// Whether the activation passes gradient at output `y`.
fn passes(activation: Activation, y: f32) -> bool {
    match activation {
        Activation::Identity => true,
        Activation::Relu => y > 0.0,
        Activation::Relu6 => y > 0.0 && y < 6.0,
    }
}

fn f64s(v: &[f32]) -> Vec<f64> {
    v.iter().map(|&v| f64::from(v)).collect()
}

/// Index of image `n`, channel `c`, position `p`.
fn at(s: &BatchNormShape, n: usize, c: usize, p: usize) -> usize {
    (n * s.channels + c) * s.plane + p
}

/// Per channel mean and biased variance of `x`, two passes in f64.
fn reference_stats(s: &BatchNormShape, x: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let count = (s.batch * s.plane) as f64;
    let each = |c: usize| (0..s.batch).flat_map(move |n| (0..s.plane).map(move |p| at(s, n, c, p)));
    let mean: Vec<f64> = (0..s.channels)
        .map(|c| each(c).map(|i| x[i]).sum::<f64>() / count)
        .collect();
    let variance = (0..s.channels)
        .map(|c| each(c).map(|i| (x[i] - mean[c]).powi(2)).sum::<f64>() / count)
        .collect();
    (mean, variance)
}

/// `act(gamma * (x - mean) / sqrt(variance + epsilon) + beta)` in f64.
#[allow(clippy::too_many_arguments)]
fn reference_normalize(
    s: &BatchNormShape,
    x: &[f64],
    gamma: &[f64],
    beta: &[f64],
    mean: &[f64],
    variance: &[f64],
    activation: Activation,
) -> Vec<f64> {
    (0..s.len())
        .map(|i| {
            let c = (i / s.plane) % s.channels;
            let xhat = (x[i] - mean[c]) / (variance[c] + f64::from(EPSILON)).sqrt();
            act64(activation, gamma[c] * xhat + beta[c])
        })
        .collect()
}

/// The training forward in f64: output, mean, variance.
fn reference_train(
    s: &BatchNormShape,
    x: &[f64],
    gamma: &[f64],
    beta: &[f64],
    activation: Activation,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (mean, variance) = reference_stats(s, x);
    let out = reference_normalize(s, x, gamma, beta, &mean, &variance, activation);
    (out, mean, variance)
}

/// The backward in f64 from the formula: dx, dgamma, dbeta.
#[allow(clippy::too_many_arguments)]
fn reference_backward(
    s: &BatchNormShape,
    x: &[f32],
    out: &[f32],
    dout: &[f32],
    gamma: &[f32],
    mean: &[f32],
    variance: &[f32],
    activation: Activation,
) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let count = (s.batch * s.plane) as f64;
    let channel = |i: usize| (i / s.plane) % s.channels;
    let invstd: Vec<f64> = variance
        .iter()
        .map(|&v| 1.0 / (f64::from(v) + f64::from(EPSILON)).sqrt())
        .collect();
    let dy: Vec<f64> = (0..s.len())
        .map(|i| {
            if passes(activation, out[i]) {
                f64::from(dout[i])
            } else {
                0.0
            }
        })
        .collect();
    let xhat: Vec<f64> = (0..s.len())
        .map(|i| (f64::from(x[i]) - f64::from(mean[channel(i)])) * invstd[channel(i)])
        .collect();
    let mut dgamma = vec![0.0f64; s.channels];
    let mut dbeta = vec![0.0f64; s.channels];
    for i in 0..s.len() {
        dbeta[channel(i)] += dy[i];
        dgamma[channel(i)] += dy[i] * xhat[i];
    }
    let dx = (0..s.len())
        .map(|i| {
            let c = channel(i);
            f64::from(gamma[c]) * invstd[c] / count
                * (count * dy[i] - dbeta[c] - xhat[i] * dgamma[c])
        })
        .collect();
    (dx, dgamma, dbeta)
}

/// Inputs of one case: `x` around `offset`, `gamma` in [-4, 4), `beta` in [-3, 3) (so
/// ReLU6 clips at both ends), `dout` in [-1, 1).
struct Case {
    s: BatchNormShape,
    x: Vec<f32>,
    gamma: Vec<f32>,
    beta: Vec<f32>,
    dout: Vec<f32>,
}

impl Case {
    fn new(batch: usize, channels: usize, plane: usize, offset: f32) -> Self {
        let s = BatchNormShape {
            batch,
            channels,
            plane,
        };
        let seed = (batch * 1000 + channels * 100 + plane) as u64;
        Case {
            s,
            x: scaled(s.len(), seed, 1.0, offset),
            gamma: scaled(channels, seed + 1, 4.0, 0.0),
            beta: scaled(channels, seed + 2, 3.0, 0.0),
            dout: data(s.len(), seed + 3),
        }
    }

    /// Runs the three batch norm kernels with every activation and compares them with
    /// the references.
    fn check(&self) {
        let s = &self.s;
        for activation in ACTIVATIONS {
            let context = format!("{s:?}, {activation:?}");
            let (want_out, want_mean, want_var) = reference_train(
                s,
                &f64s(&self.x),
                &f64s(&self.gamma),
                &f64s(&self.beta),
                activation,
            );
            in_pools(|| {
                // Outputs start as NaN: every kernel must overwrite, not accumulate.
                let mut out = vec![f32::NAN; s.len()];
                let mut mean = vec![f32::NAN; s.channels];
                let mut var = vec![f32::NAN; s.channels];
                batch_norm_train(
                    s,
                    &self.x,
                    &self.gamma,
                    &self.beta,
                    EPSILON,
                    activation,
                    &mut out,
                    &mut mean,
                    &mut var,
                )
                .unwrap();
                close("mean", &context, &mean, &want_mean);
                close("variance", &context, &var, &want_var);
                close("train out", &context, &out, &want_out);

                let mut inferred = vec![f32::NAN; s.len()];
                batch_norm_inference(
                    s,
                    &self.x,
                    &self.gamma,
                    &self.beta,
                    &mean,
                    &var,
                    EPSILON,
                    activation,
                    &mut inferred,
                )
                .unwrap();
                close(
                    "inference out (batch statistics)",
                    &context,
                    &inferred,
                    &want_out,
                );

                let (want_dx, want_dgamma, want_dbeta) = reference_backward(
                    s,
                    &self.x,
                    &out,
                    &self.dout,
                    &self.gamma,
                    &mean,
                    &var,
                    activation,
                );
                let mut dx = vec![f32::NAN; s.len()];
                let mut dgamma = vec![f32::NAN; s.channels];
                let mut dbeta = vec![f32::NAN; s.channels];
                batch_norm_train_backward(
                    s,
                    &self.x,
                    &out,
                    &self.dout,
                    &self.gamma,
                    &mean,
                    &var,
                    EPSILON,
                    activation,
                    Some(&mut dx),
                    &mut dgamma,
                    &mut dbeta,
                )
                .unwrap();
                close("dx", &context, &dx, &want_dx);
                close("dgamma", &context, &dgamma, &want_dgamma);
                close("dbeta", &context, &dbeta, &want_dbeta);

                let mut dgamma = vec![f32::NAN; s.channels];
                let mut dbeta = vec![f32::NAN; s.channels];
                batch_norm_train_backward(
                    s,
                    &self.x,
                    &out,
                    &self.dout,
                    &self.gamma,
                    &mean,
                    &var,
                    EPSILON,
                    activation,
                    None,
                    &mut dgamma,
                    &mut dbeta,
                )
                .unwrap();
                close("dgamma without dx", &context, &dgamma, &want_dgamma);
                close("dbeta without dx", &context, &dbeta, &want_dbeta);
            });
        }
    }
}

#[test]
fn odd_shapes_all_activations() {
    for batch in [1, 3] {
        for channels in [1, 5, 17] {
            for plane in [1, 7, 49, 61] {
                Case::new(batch, channels, plane, 0.0).check();
            }
        }
    }
}

#[test]
fn large_planes_with_a_large_mean_stay_accurate() {
    // 16 x 112 x 112 = 200 704 values per channel around 100: a one-pass f32 sum of
    // squares would lose the variance to cancellation.
    Case::new(16, 2, 112 * 112, 100.0).check();
    // Several sub-blocks per plane with a ragged end, and many channels per task.
    Case::new(2, 70, 2049 + 31, 3.0).check();
}

#[test]
fn relu6_clips_at_both_ends_in_the_tests() {
    let case = Case::new(3, 17, 61, 0.0);
    let s = &case.s;
    let (mut out, mut mean, mut var) = (vec![0.0; s.len()], vec![0.0; 17], vec![0.0; 17]);
    batch_norm_train(
        s,
        &case.x,
        &case.gamma,
        &case.beta,
        EPSILON,
        Activation::Relu6,
        &mut out,
        &mut mean,
        &mut var,
    )
    .unwrap();
    assert!(out.iter().filter(|&&v| v == 6.0).count() > 10);
    assert!(out.iter().filter(|&&v| v == 0.0).count() > 10);
}

#[test]
fn inference_with_given_statistics() {
    for (batch, channels, plane) in [(1, 1, 1), (3, 5, 7), (1, 17, 49), (3, 17, 61), (2, 3, 5000)] {
        let s = BatchNormShape {
            batch,
            channels,
            plane,
        };
        let x = scaled(s.len(), 11, 2.0, 0.5);
        let gamma = scaled(channels, 12, 4.0, 0.0);
        let beta = scaled(channels, 13, 3.0, 0.0);
        let mean = data(channels, 14);
        let var = scaled(channels, 15, 0.5, 0.6);
        for activation in ACTIVATIONS {
            let want = reference_normalize(
                &s,
                &f64s(&x),
                &f64s(&gamma),
                &f64s(&beta),
                &f64s(&mean),
                &f64s(&var),
                activation,
            );
            in_pools(|| {
                let mut out = vec![f32::NAN; s.len()];
                batch_norm_inference(
                    &s, &x, &gamma, &beta, &mean, &var, EPSILON, activation, &mut out,
                )
                .unwrap();
                close("inference", &format!("{s:?}, {activation:?}"), &out, &want);
            });
        }
    }
}

#[test]
fn inference_backward_scales_the_passed_gradient() {
    for (batch, channels, plane) in [(1, 1, 1), (3, 5, 7), (2, 3, 5000)] {
        let s = BatchNormShape {
            batch,
            channels,
            plane,
        };
        let x = scaled(s.len(), 21, 4.0, 3.0);
        let gamma = scaled(channels, 22, 4.0, 0.0);
        let beta = scaled(channels, 23, 3.0, 0.0);
        let mean = data(channels, 24);
        let var = scaled(channels, 25, 0.5, 0.6);
        let dout = data(s.len(), 26);
        let (scale, _) = batch_norm_scale_shift(&gamma, &beta, &mean, &var, EPSILON).unwrap();
        for activation in ACTIVATIONS {
            let mut out = vec![0.0; s.len()];
            batch_norm_inference(
                &s, &x, &gamma, &beta, &mean, &var, EPSILON, activation, &mut out,
            )
            .unwrap();
            let want: Vec<f64> = (0..s.len())
                .map(|i| {
                    let c = (i / plane) % channels;
                    let passed = passes(activation, out[i]);
                    if passed {
                        f64::from(dout[i]) * f64::from(scale[c])
                    } else {
                        0.0
                    }
                })
                .collect();
            in_pools(|| {
                let mut dx = vec![f32::NAN; s.len()];
                batch_norm_inference_backward(&s, &out, &dout, &scale, activation, &mut dx)
                    .unwrap();
                close(
                    "inference backward",
                    &format!("{s:?}, {activation:?}"),
                    &dx,
                    &want,
                );
            });
        }
    }
}

/// `Σ w ⊙ out` of the f64 training forward with the identity activation.
fn loss(s: &BatchNormShape, x: &[f64], gamma: &[f64], beta: &[f64], w: &[f32]) -> f64 {
    let (out, _, _) = reference_train(s, x, gamma, beta, Activation::Identity);
    out.iter().zip(w).map(|(o, &w)| o * f64::from(w)).sum()
}

/// Central difference of `f` at `v[i]` with step `h`.
fn derivative(v: &[f64], i: usize, f: impl Fn(&[f64]) -> f64) -> f64 {
    let h = 1e-5;
    let mut moved = v.to_vec();
    moved[i] = v[i] + h;
    let up = f(&moved);
    moved[i] = v[i] - h;
    (up - f(&moved)) / (2.0 * h)
}

#[test]
fn backward_matches_finite_differences() {
    for (batch, channels, plane) in [(3, 5, 7), (1, 2, 61), (2, 3, 1)] {
        let case = Case::new(batch, channels, plane, 0.5);
        let s = &case.s;
        let w = &case.dout;
        let (x, gamma, beta) = (f64s(&case.x), f64s(&case.gamma), f64s(&case.beta));
        in_pools(|| {
            let (mut out, mut mean, mut var) =
                (vec![0.0; s.len()], vec![0.0; channels], vec![0.0; channels]);
            batch_norm_train(
                s,
                &case.x,
                &case.gamma,
                &case.beta,
                EPSILON,
                Activation::Identity,
                &mut out,
                &mut mean,
                &mut var,
            )
            .unwrap();
            let (mut dx, mut dgamma, mut dbeta) =
                (vec![0.0; s.len()], vec![0.0; channels], vec![0.0; channels]);
            batch_norm_train_backward(
                s,
                &case.x,
                &out,
                w,
                &case.gamma,
                &mean,
                &var,
                EPSILON,
                Activation::Identity,
                Some(&mut dx),
                &mut dgamma,
                &mut dbeta,
            )
            .unwrap();
            let context = format!("{s:?}");
            let step = (s.len() / 7).max(1);
            for i in (0..s.len()).step_by(step) {
                let want = derivative(&x, i, |x| loss(s, x, &gamma, &beta, w));
                close("dx vs finite difference", &context, &dx[i..=i], &[want]);
            }
            for c in 0..channels {
                let want = derivative(&gamma, c, |g| loss(s, &x, g, &beta, w));
                close(
                    "dgamma vs finite difference",
                    &context,
                    &dgamma[c..=c],
                    &[want],
                );
                let want = derivative(&beta, c, |b| loss(s, &x, &gamma, b, w));
                close(
                    "dbeta vs finite difference",
                    &context,
                    &dbeta[c..=c],
                    &[want],
                );
            }
        });
    }
}

#[test]
fn add_activation_and_its_backward() {
    for len in [0, 1, 31, 100_003] {
        let a = scaled(len, 21, 5.0, 1.0);
        let b = scaled(len, 22, 3.0, 0.0);
        let dout = data(len, 23);
        for activation in ACTIVATIONS {
            let context = format!("len {len}, {activation:?}");
            let want: Vec<f64> = a
                .iter()
                .zip(&b)
                .map(|(&a, &b)| act64(activation, f64::from(a + b)))
                .collect();
            in_pools(|| {
                let mut out = vec![f32::NAN; len];
                add_activation(&a, &b, activation, &mut out).unwrap();
                close("add_activation", &context, &out, &want);
                let want_grad: Vec<f64> = out
                    .iter()
                    .zip(&dout)
                    .map(|(&y, &d)| {
                        if passes(activation, y) {
                            f64::from(d)
                        } else {
                            0.0
                        }
                    })
                    .collect();
                let mut grad = vec![f32::NAN; len];
                activation_backward(&out, &dout, activation, &mut grad).unwrap();
                close("activation_backward", &context, &grad, &want_grad);
            });
        }
    }
}

#[test]
fn activation_boundaries_and_nan() {
    let a = [-1.0, 0.0, 3.0, 6.0, 7.0, f32::NAN];
    let zero = [0.0; 6];
    let ones = [1.0; 6];
    let mut out = [0.0; 6];
    let mut grad = [0.0; 6];
    add_activation(&a, &zero, Activation::Relu6, &mut out).unwrap();
    assert_eq!(out[..5], [0.0, 0.0, 3.0, 6.0, 6.0]);
    assert!(out[5].is_nan());
    activation_backward(&out, &ones, Activation::Relu6, &mut grad).unwrap();
    assert_eq!(grad, [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]);
    add_activation(&a, &zero, Activation::Relu, &mut out).unwrap();
    assert_eq!(out[..5], [0.0, 0.0, 3.0, 6.0, 7.0]);
    assert!(out[5].is_nan());
    activation_backward(&out, &ones, Activation::Relu, &mut grad).unwrap();
    assert_eq!(grad, [0.0, 0.0, 1.0, 1.0, 1.0, 0.0]);
    activation_backward(&out, &ones, Activation::Identity, &mut grad).unwrap();
    assert_eq!(grad, ones);
}

/// Runs the three batch norm kernels on `s` with slices of the lengths `s` asks for
/// (capped, 0 when meaningless) and returns their results.
fn run_all(s: &BatchNormShape) -> Vec<Result<(), KernelError>> {
    let cap = |n: usize| n.min(1 << 20);
    let x = vec![0.0f32; cap(s.len())];
    let per_channel = vec![1.0f32; cap(s.channels)];
    let (mut out, mut dx) = (x.clone(), x.clone());
    let (mut mean, mut var) = (per_channel.clone(), per_channel.clone());
    let (mut dgamma, mut dbeta) = (per_channel.clone(), per_channel.clone());
    let p = &per_channel;
    let act = Activation::Relu;
    vec![
        batch_norm_train(s, &x, p, p, EPSILON, act, &mut out, &mut mean, &mut var),
        batch_norm_inference(s, &x, p, p, p, p, EPSILON, act, &mut out),
        batch_norm_train_backward(
            s,
            &x,
            &x,
            &x,
            p,
            p,
            p,
            EPSILON,
            act,
            Some(&mut dx),
            &mut dgamma,
            &mut dbeta,
        ),
        batch_norm_train_backward(
            s,
            &x,
            &x,
            &x,
            p,
            p,
            p,
            EPSILON,
            act,
            None,
            &mut dgamma,
            &mut dbeta,
        ),
        batch_norm_inference_backward(s, &x, &x, p, act, &mut dx),
    ]
}

fn good() -> BatchNormShape {
    BatchNormShape {
        batch: 2,
        channels: 3,
        plane: 5,
    }
}

#[test]
fn bad_shapes_are_errors() {
    for r in run_all(&good()) {
        r.unwrap();
    }
    let cases = [
        BatchNormShape { batch: 0, ..good() },
        BatchNormShape {
            channels: 0,
            ..good()
        },
        BatchNormShape { plane: 0, ..good() },
        BatchNormShape {
            batch: usize::MAX / 2,
            ..good()
        },
        BatchNormShape {
            plane: 1 << 62,
            ..good()
        },
    ];
    for s in cases {
        assert!(s.validate().is_err());
        for r in run_all(&s) {
            assert!(
                matches!(r, Err(KernelError::InvalidShape(_))),
                "{s:?}: {r:?}"
            );
        }
    }
    let e = BatchNormShape { plane: 0, ..good() }
        .validate()
        .unwrap_err();
    assert_eq!(e.to_string(), "invalid shape: plane is 0");
}

/// The argument named by a length error whose slice was one element short.
fn short_argument(r: Result<(), KernelError>) -> &'static str {
    match r {
        Err(KernelError::WrongLength {
            argument,
            expected,
            actual,
        }) => {
            assert_eq!(actual + 1, expected);
            argument
        }
        other => panic!("expected a length error, got {other:?}"),
    }
}

#[test]
fn wrong_lengths_name_the_argument() {
    let s = good();
    let full = vec![0.0f32; s.len()];
    let per = vec![1.0f32; s.channels];
    let (fs, ps) = (&full[1..], &per[1..]);
    let (f, p) = (&full[..], &per[..]);
    let act = Activation::Relu6;
    let train = |x: &[f32], g: &[f32], b: &[f32], o: usize, m: usize, v: usize| {
        let (mut out, mut mean, mut var) = (vec![0.0; o], vec![0.0; m], vec![0.0; v]);
        batch_norm_train(&s, x, g, b, EPSILON, act, &mut out, &mut mean, &mut var)
    };
    let (n, c) = (s.len(), s.channels);
    assert_eq!(short_argument(train(fs, p, p, n, c, c)), "x");
    assert_eq!(short_argument(train(f, ps, p, n, c, c)), "gamma");
    assert_eq!(short_argument(train(f, p, ps, n, c, c)), "beta");
    assert_eq!(short_argument(train(f, p, p, n - 1, c, c)), "out");
    assert_eq!(short_argument(train(f, p, p, n, c - 1, c)), "mean");
    assert_eq!(short_argument(train(f, p, p, n, c, c - 1)), "variance");

    let infer = |x: &[f32], g: &[f32], b: &[f32], m: &[f32], v: &[f32], o: usize| {
        batch_norm_inference(&s, x, g, b, m, v, EPSILON, act, &mut vec![0.0; o])
    };
    assert_eq!(short_argument(infer(fs, p, p, p, p, n)), "x");
    assert_eq!(short_argument(infer(f, ps, p, p, p, n)), "gamma");
    assert_eq!(short_argument(infer(f, p, ps, p, p, n)), "beta");
    assert_eq!(short_argument(infer(f, p, p, ps, p, n)), "mean");
    assert_eq!(short_argument(infer(f, p, p, p, ps, n)), "variance");
    assert_eq!(short_argument(infer(f, p, p, p, p, n - 1)), "out");

    let backward =
        |x: &[f32], y: &[f32], d: &[f32], g: &[f32], m: &[f32], v: &[f32], lens: [usize; 3]| {
            let mut dx = vec![0.0; lens[0]];
            let (mut dgamma, mut dbeta) = (vec![0.0; lens[1]], vec![0.0; lens[2]]);
            batch_norm_train_backward(
                &s,
                x,
                y,
                d,
                g,
                m,
                v,
                EPSILON,
                act,
                Some(&mut dx),
                &mut dgamma,
                &mut dbeta,
            )
        };
    let ok = [n, c, c];
    assert_eq!(short_argument(backward(fs, f, f, p, p, p, ok)), "x");
    assert_eq!(short_argument(backward(f, fs, f, p, p, p, ok)), "out");
    assert_eq!(short_argument(backward(f, f, fs, p, p, p, ok)), "dout");
    assert_eq!(short_argument(backward(f, f, f, ps, p, p, ok)), "gamma");
    assert_eq!(short_argument(backward(f, f, f, p, ps, p, ok)), "mean");
    assert_eq!(short_argument(backward(f, f, f, p, p, ps, ok)), "variance");
    assert_eq!(
        short_argument(backward(f, f, f, p, p, p, [n - 1, c, c])),
        "dx"
    );
    assert_eq!(
        short_argument(backward(f, f, f, p, p, p, [n, c - 1, c])),
        "dgamma"
    );
    assert_eq!(
        short_argument(backward(f, f, f, p, p, p, [n, c, c - 1])),
        "dbeta"
    );

    let mut out = vec![0.0; n];
    assert_eq!(short_argument(add_activation(f, fs, act, &mut out)), "b");
    assert_eq!(
        short_argument(add_activation(f, f, act, &mut out[1..])),
        "out"
    );
    assert_eq!(
        short_argument(activation_backward(f, fs, act, &mut out)),
        "dout"
    );
    assert_eq!(
        short_argument(activation_backward(f, f, act, &mut out[1..])),
        "grad"
    );
    // Empty element-wise inputs are fine.
    add_activation(&[], &[], act, &mut []).unwrap();
    activation_backward(&[], &[], act, &mut []).unwrap();
}
