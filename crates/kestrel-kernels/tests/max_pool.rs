//! The max pooling kernels against a naive window scan over odd shapes, strides,
//! paddings and dilations, on random data, on coarse data full of ties and on data
//! with NaNs and infinities, each in a 1-thread and a 4-thread rayon pool; hand-made
//! cases for ties, NaN and overlapping windows; bad arguments as errors.

use kestrel_kernels::{
    KernelError, Pool2dShape, max_pool2d, max_pool2d_backward, max_pool2d_with_indices,
};

mod common;

use common::{data, in_pools};

/// Values in {-1, -0.5, 0, 0.5}: most windows hold several equal maxima.
fn coarse(len: usize, seed: u64) -> Vec<f32> {
    data(len, seed)
        .into_iter()
        .map(|v| (v * 2.0).floor() / 2.0)
        .collect()
}

/// Random values with NaNs (of both signs) and infinities sprinkled in.
fn special(len: usize, seed: u64) -> Vec<f32> {
    let mut x = data(len, seed);
    for (i, v) in x.iter_mut().enumerate() {
        if i % 37 == 5 {
            *v = f32::NAN;
        } else if i % 53 == 7 {
            *v = -f32::NAN;
        } else if i % 41 == 3 {
            *v = f32::NEG_INFINITY;
        } else if i % 43 == 1 {
            *v = f32::INFINITY;
        }
    }
    x
}

/// Per output, the naive maximum and its flat index within the input plane: the window
/// scanned in row-major order skipping the padding, the first value kept unless a later
/// one is larger or is the first NaN.
fn reference(s: &Pool2dShape, x: &[f32]) -> (Vec<f32>, Vec<u32>) {
    let (h, w) = (s.in_height, s.in_width);
    let (ho, wo) = (s.out_height(), s.out_width());
    let mut out = Vec::with_capacity(s.output_len());
    let mut indices = Vec::with_capacity(s.output_len());
    for plane in 0..s.batch * s.channels {
        let x = &x[plane * h * w..(plane + 1) * h * w];
        for oy in 0..ho {
            for ox in 0..wo {
                let mut best: Option<(f32, usize)> = None;
                for ky in 0..s.kernel[0] {
                    let iy =
                        (oy * s.stride[0] + ky * s.dilation[0]) as isize - s.padding[0] as isize;
                    for kx in 0..s.kernel[1] {
                        let ix = (ox * s.stride[1] + kx * s.dilation[1]) as isize
                            - s.padding[1] as isize;
                        if iy < 0 || ix < 0 || iy >= h as isize || ix >= w as isize {
                            continue;
                        }
                        let i = iy as usize * w + ix as usize;
                        let v = x[i];
                        best = match best {
                            Some((m, _)) if v > m || (v.is_nan() && !m.is_nan()) => Some((v, i)),
                            None => Some((v, i)),
                            kept => kept,
                        };
                    }
                }
                let (v, i) = best.expect("a window without input elements");
                out.push(v);
                indices.push(i as u32);
            }
        }
    }
    (out, indices)
}

/// The naive backward: per plane, `dout` added at the indices in output order.
fn reference_backward(s: &Pool2dShape, indices: &[u32], dout: &[f32]) -> Vec<f32> {
    let (plane, out_plane) = (s.in_height * s.in_width, s.out_height() * s.out_width());
    let mut dx = vec![0.0f32; s.input_len()];
    for (o, (&i, &d)) in indices.iter().zip(dout).enumerate() {
        dx[(o / out_plane) * plane + i as usize] += d;
    }
    dx
}

/// Equal values, or both NaN.
fn same(a: f32, b: f32) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn assert_same(name: &str, s: &Pool2dShape, got: &[f32], want: &[f32]) {
    assert_eq!(got.len(), want.len(), "{name}: length for {s:?}");
    for (i, (&a, &b)) in got.iter().zip(want).enumerate() {
        assert!(same(a, b), "{name}[{i}]: got {a}, want {b} for {s:?}");
    }
}

/// All three kernels against the reference on `x`, in both pools.
fn check_on(s: &Pool2dShape, x: &[f32], seed: u64) {
    let (want_out, want_indices) = reference(s, x);
    let dout = data(s.output_len(), seed + 1);
    let want_dx = reference_backward(s, &want_indices, &dout);
    in_pools(|| {
        let mut out = vec![7.0f32; s.output_len()];
        max_pool2d(s, x, &mut out).unwrap();
        assert_same("out", s, &out, &want_out);

        let mut out = vec![7.0f32; s.output_len()];
        let mut indices = vec![7u32; s.output_len()];
        max_pool2d_with_indices(s, x, &mut out, &mut indices).unwrap();
        assert_same("out (with indices)", s, &out, &want_out);
        assert_eq!(indices, want_indices, "indices for {s:?}");

        let mut dx = vec![7.0f32; s.input_len()];
        max_pool2d_backward(s, &indices, &dout, &mut dx).unwrap();
        assert_eq!(dx, want_dx, "dx for {s:?}");
    });
}

/// The kernels on random, tie-heavy and NaN-laden data.
fn check(s: &Pool2dShape) {
    let seed = (s.in_height * 1000 + s.in_width * 10 + s.kernel[0]) as u64;
    let len = s.input_len();
    check_on(s, &data(len, seed), seed);
    check_on(s, &coarse(len, seed + 2), seed + 2);
    check_on(s, &special(len, seed + 4), seed + 4);
}

#[allow(clippy::too_many_arguments)]
fn shape(
    batch: usize,
    channels: usize,
    in_height: usize,
    in_width: usize,
    kernel: [usize; 2],
    stride: [usize; 2],
    padding: [usize; 2],
    dilation: [usize; 2],
) -> Pool2dShape {
    Pool2dShape {
        batch,
        channels,
        in_height,
        in_width,
        kernel,
        stride,
        padding,
        dilation,
    }
}

#[test]
fn resnet_stem_3x3_stride_2_padding_1() {
    check(&shape(2, 3, 112, 112, [3, 3], [2, 2], [1, 1], [1, 1]));
    check(&shape(2, 5, 31, 30, [3, 3], [2, 2], [1, 1], [1, 1]));
}

#[test]
fn kernel_2_stride_2_no_padding() {
    check(&shape(3, 4, 16, 16, [2, 2], [2, 2], [0, 0], [1, 1]));
    check(&shape(2, 3, 17, 15, [2, 2], [2, 2], [0, 0], [1, 1]));
}

#[test]
fn odd_sizes_and_asymmetric_geometry() {
    check(&shape(2, 3, 13, 11, [3, 3], [2, 2], [1, 1], [1, 1]));
    // The last window ends on the last column of an odd width.
    check(&shape(2, 3, 17, 15, [3, 3], [2, 2], [0, 0], [1, 1]));
    check(&shape(1, 2, 19, 23, [5, 3], [3, 2], [2, 1], [1, 1]));
    check(&shape(2, 2, 9, 71, [1, 4], [1, 3], [0, 2], [1, 1]));
    check(&shape(1, 3, 7, 45, [4, 5], [2, 4], [2, 2], [1, 1]));
}

#[test]
fn stride_1() {
    check(&shape(2, 3, 9, 10, [3, 3], [1, 1], [1, 1], [1, 1]));
    check(&shape(1, 2, 12, 40, [3, 2], [1, 1], [0, 1], [1, 1]));
}

#[test]
fn dilation_2() {
    check(&shape(2, 3, 11, 12, [3, 3], [1, 1], [1, 1], [2, 2]));
    check(&shape(1, 2, 14, 13, [3, 2], [2, 1], [1, 1], [2, 3]));
    // Dilation at the limit of the width: taps at -1 and 3 of an input of 3.
    check(&shape(1, 2, 5, 3, [2, 2], [1, 1], [1, 1], [1, 3]));
}

#[test]
fn padding_1_with_kernel_2() {
    check(&shape(2, 3, 8, 9, [2, 2], [1, 1], [1, 1], [1, 1]));
    check(&shape(2, 3, 8, 9, [2, 2], [2, 2], [1, 1], [1, 1]));
}

#[test]
fn one_by_one_inputs() {
    check(&shape(3, 2, 1, 1, [1, 1], [1, 1], [0, 0], [1, 1]));
    check(&shape(3, 2, 1, 1, [2, 2], [1, 1], [1, 1], [1, 1]));
    check(&shape(3, 2, 1, 1, [3, 3], [2, 2], [1, 1], [1, 1]));
    check(&shape(2, 2, 1, 9, [1, 3], [1, 2], [0, 1], [1, 1]));
}

#[test]
fn strides_above_the_kernel_and_the_input() {
    check(&shape(2, 2, 10, 11, [2, 2], [3, 3], [0, 0], [1, 1]));
    check(&shape(2, 2, 5, 5, [3, 3], [7, 9], [1, 1], [1, 1]));
}

#[test]
fn ties_pick_the_first_in_row_major_order() {
    // One plane, 2x2 windows with stride 1.
    let s = shape(1, 1, 3, 3, [2, 2], [1, 1], [0, 0], [1, 1]);
    #[rustfmt::skip]
    let x = [
        1.0, 5.0, 5.0,
        5.0, 2.0, 0.0,
        5.0, 5.0, 3.0,
    ];
    let (mut out, mut indices) = ([0.0f32; 4], [0u32; 4]);
    max_pool2d_with_indices(&s, &x, &mut out, &mut indices).unwrap();
    assert_eq!(out, [5.0; 4]);
    // Window (0, 0) has 5 at (0, 1) and (1, 0): the row-major first is (0, 1) even
    // though its column is the larger one.
    assert_eq!(indices, [1, 1, 3, 7]);

    // Padding never wins, even over negative infinity.
    let s = shape(1, 1, 2, 2, [3, 3], [1, 1], [1, 1], [1, 1]);
    let x = [f32::NEG_INFINITY; 4];
    let (mut out, mut indices) = ([0.0f32; 4], [9u32; 4]);
    max_pool2d_with_indices(&s, &x, &mut out, &mut indices).unwrap();
    assert_eq!(out, [f32::NEG_INFINITY; 4]);
    assert_eq!(indices, [0; 4]);
    let mut out = [0.0f32; 4];
    max_pool2d(&s, &x, &mut out).unwrap();
    assert_eq!(out, [f32::NEG_INFINITY; 4]);
}

#[test]
fn nan_propagates_with_the_index_of_the_first_nan() {
    let nan = f32::NAN;
    let s = shape(1, 1, 2, 4, [2, 2], [1, 2], [0, 0], [1, 1]);
    #[rustfmt::skip]
    let x = [
        1.0, 9.0, nan, -1.0,
        nan, 2.0, 3.0, -nan,
    ];
    let mut out = [0.0f32; 2];
    max_pool2d(&s, &x, &mut out).unwrap();
    assert!(out[0].is_nan() && out[1].is_nan(), "{out:?}");
    let (mut out, mut indices) = ([0.0f32; 2], [0u32; 2]);
    max_pool2d_with_indices(&s, &x, &mut out, &mut indices).unwrap();
    assert!(out[0].is_nan() && out[1].is_nan(), "{out:?}");
    assert_eq!(indices, [4, 2]);

    // A NaN anywhere in a wide row, with the maximum before and after it.
    for at in [0, 1, 7, 8, 31, 32, 40, 47] {
        let s = shape(1, 1, 3, 48, [3, 3], [1, 1], [1, 1], [1, 1]);
        let mut x: Vec<f32> = (0..144).map(|i| i as f32).collect();
        x[48 + at] = nan;
        let mut out = vec![0.0f32; 144];
        max_pool2d(&s, &x, &mut out).unwrap();
        let mut indices = vec![0u32; 144];
        let mut out_i = vec![0.0f32; 144];
        max_pool2d_with_indices(&s, &x, &mut out_i, &mut indices).unwrap();
        for (o, (&v, &i)) in out.iter().zip(&indices).enumerate() {
            let (r, c) = (o / 48, o % 48);
            let touches = c.abs_diff(at) <= 1;
            assert_eq!(v.is_nan(), touches, "NaN at {at}, output ({r}, {c}): {v}");
            assert_eq!(out_i[o].is_nan(), touches);
            if touches {
                assert_eq!(i as usize, 48 + at);
            }
        }
    }
}

#[test]
fn backward_adds_up_overlapping_windows() {
    // Every 2x2 window of the 3x3 plane picks the centre.
    let s = shape(1, 1, 3, 3, [2, 2], [1, 1], [0, 0], [1, 1]);
    let x = [0.0, 1.0, 0.0, 1.0, 9.0, 1.0, 0.0, 1.0, 0.0];
    let (mut out, mut indices) = ([0.0f32; 4], [0u32; 4]);
    max_pool2d_with_indices(&s, &x, &mut out, &mut indices).unwrap();
    assert_eq!(indices, [4; 4]);
    let mut dx = [5.0f32; 9];
    max_pool2d_backward(&s, &indices, &[1.0, 2.0, 3.0, 4.0], &mut dx).unwrap();
    assert_eq!(dx, [0.0, 0.0, 0.0, 0.0, 10.0, 0.0, 0.0, 0.0, 0.0]);

    // Two planes: indices are per plane (and need not come from the forward).
    let s = shape(1, 2, 2, 2, [1, 1], [1, 1], [0, 0], [1, 1]);
    let indices = [0, 1, 2, 3, 3, 3, 3, 0];
    let dout = [1.0, 2.0, 3.0, 4.0, 1.0, 2.0, 3.0, 4.0];
    let mut dx = [5.0f32; 8];
    max_pool2d_backward(&s, &indices, &dout, &mut dx).unwrap();
    assert_eq!(dx, [1.0, 2.0, 3.0, 4.0, 4.0, 0.0, 0.0, 6.0]);
}

fn stem() -> Pool2dShape {
    shape(2, 3, 9, 8, [3, 3], [2, 2], [1, 1], [1, 1])
}

/// The three kernels on `s` with slices of the lengths it asks for (capped, 0 when
/// meaningless).
fn run_all(s: &Pool2dShape) -> Vec<Result<(), KernelError>> {
    let cap = |n: usize| n.min(1 << 20);
    let x = vec![0.0f32; cap(s.input_len())];
    let mut out = vec![0.0f32; cap(s.output_len())];
    let mut indices = vec![0u32; cap(s.output_len())];
    let mut dx = x.clone();
    vec![
        max_pool2d(s, &x, &mut out),
        max_pool2d_with_indices(s, &x, &mut out, &mut indices),
        max_pool2d_backward(s, &indices, &out, &mut dx),
    ]
}

#[test]
fn bad_shapes_are_errors() {
    let mut cases = Vec::new();
    for field in 0..10 {
        let mut s = stem();
        match field {
            0 => s.batch = 0,
            1 => s.channels = 0,
            2 => s.in_height = 0,
            3 => s.in_width = 0,
            4 => s.kernel = [0, 3],
            5 => s.kernel = [3, 0],
            6 => s.stride = [0, 2],
            7 => s.stride = [2, 0],
            8 => s.dilation = [0, 1],
            _ => s.dilation = [1, 0],
        }
        cases.push(s);
    }
    // Padding above half the kernel.
    cases.push(Pool2dShape {
        padding: [2, 1],
        ..stem()
    });
    cases.push(Pool2dShape {
        kernel: [3, 2],
        padding: [1, 2],
        ..stem()
    });
    // Kernel larger than the padded input.
    cases.push(Pool2dShape {
        kernel: [12, 3],
        padding: [1, 1],
        ..stem()
    });
    cases.push(Pool2dShape {
        dilation: [1, 5],
        ..stem()
    });
    // The only window in the padding: taps at -1 and 8 of a width of 8.
    cases.push(Pool2dShape {
        kernel: [3, 2],
        padding: [1, 1],
        dilation: [1, 9],
        ..stem()
    });
    // Sizes overflowing.
    cases.push(Pool2dShape {
        batch: usize::MAX / 3,
        ..stem()
    });
    cases.push(Pool2dShape {
        in_width: usize::MAX - 1,
        ..stem()
    });
    cases.push(Pool2dShape {
        in_height: 1 << 40,
        in_width: 1 << 40,
        ..stem()
    });
    for s in cases {
        for r in run_all(&s) {
            assert!(
                matches!(r, Err(KernelError::InvalidShape(_))),
                "{s:?}: {r:?}"
            );
        }
        assert!(s.validate().is_err());
    }
    for r in run_all(&stem()) {
        r.unwrap();
    }
}

#[test]
fn wrong_lengths_name_the_argument() {
    let s = stem();
    let x = vec![0.0f32; s.input_len()];
    let out = vec![0.0f32; s.output_len()];
    let indices = vec![0u32; s.output_len()];
    let short = |v: &Vec<f32>| v[..v.len() - 1].to_vec();
    let arg = |r: Result<(), KernelError>| match r {
        Err(KernelError::WrongLength {
            argument,
            expected,
            actual,
        }) => {
            assert_eq!(actual + 1, expected);
            argument
        }
        other => panic!("expected a length error, got {other:?}"),
    };

    assert_eq!(arg(max_pool2d(&s, &short(&x), &mut out.clone())), "x");
    assert_eq!(arg(max_pool2d(&s, &x, &mut short(&out))), "out");
    let with_indices = |x: &[f32], out: &mut [f32], indices: &mut [u32]| {
        max_pool2d_with_indices(&s, x, out, indices)
    };
    assert_eq!(
        arg(with_indices(
            &short(&x),
            &mut out.clone(),
            &mut indices.clone()
        )),
        "x"
    );
    assert_eq!(
        arg(with_indices(&x, &mut short(&out), &mut indices.clone())),
        "out"
    );
    assert_eq!(
        arg(with_indices(
            &x,
            &mut out.clone(),
            &mut indices[1..].to_vec()
        )),
        "indices"
    );
    assert_eq!(
        arg(max_pool2d_backward(&s, &indices[1..], &out, &mut x.clone())),
        "indices"
    );
    assert_eq!(
        arg(max_pool2d_backward(
            &s,
            &indices,
            &short(&out),
            &mut x.clone()
        )),
        "dout"
    );
    assert_eq!(
        arg(max_pool2d_backward(&s, &indices, &out, &mut short(&x))),
        "dx"
    );
}

#[test]
fn indices_outside_the_plane_are_errors() {
    let s = stem();
    let out = vec![1.0f32; s.output_len()];
    let mut indices = vec![0u32; s.output_len()];
    let mut dx = vec![0.0f32; s.input_len()];
    max_pool2d_backward(&s, &indices, &out, &mut dx).unwrap();
    // Index 72 is in the next plane's range of `dx`, but outside its own plane.
    indices[s.output_len() - 1] = 72;
    let e = max_pool2d_backward(&s, &indices, &out, &mut dx).unwrap_err();
    assert_eq!(
        e,
        KernelError::IndexOutOfRange {
            index: 72,
            plane: 72
        }
    );
    assert_eq!(
        e.to_string(),
        "index 72 lies outside the input plane of 72 elements"
    );
    indices[0] = u32::MAX;
    assert!(matches!(
        max_pool2d_backward(&s, &indices, &out, &mut dx),
        Err(KernelError::IndexOutOfRange { .. })
    ));
}

#[test]
fn errors_display() {
    let e = Pool2dShape {
        padding: [2, 1],
        ..stem()
    }
    .validate()
    .unwrap_err();
    assert!(e.to_string().contains("half the kernel"), "{e}");
    let e = max_pool2d(&stem(), &[], &mut []).unwrap_err();
    assert_eq!(e.to_string(), "`x` has 0 elements, but the shape needs 432");
}
