//! Every kernel against a naive direct convolution accumulated in f64, over odd shapes,
//! strides, paddings, dilations and groups, each in a 1-thread and a 4-thread rayon pool
//! (so both the parallel-tasks and the parallel-GEMM paths run on any machine).

use kestrel_kernels::{
    Activation, Conv2dShape, Epilogue, conv2d, conv2d_backward_bias, conv2d_backward_input,
    conv2d_backward_weight, conv2d_fused,
};

mod common;

use common::data;

/// Calls `f(x_index, w_index, y_index)` for every multiply of the convolution: the
/// direct 7-deep loop (batch, output channel, output row and column, input channel of
/// the group, kernel row and column), skipping taps in the padding.
fn for_each_tap(s: &Conv2dShape, mut f: impl FnMut(usize, usize, usize)) {
    let (ho, wo) = (s.out_height(), s.out_width());
    let (cin_g, cout_g) = (s.in_channels / s.groups, s.out_channels / s.groups);
    for n in 0..s.batch {
        for co in 0..s.out_channels {
            let g = co / cout_g;
            for oy in 0..ho {
                for ox in 0..wo {
                    let y = ((n * s.out_channels + co) * ho + oy) * wo + ox;
                    for cl in 0..cin_g {
                        let ci = g * cin_g + cl;
                        for ky in 0..s.kernel_height {
                            let iy = (oy * s.stride[0] + ky * s.dilation[0]) as isize
                                - s.padding[0] as isize;
                            if iy < 0 || iy >= s.in_height as isize {
                                continue;
                            }
                            for kx in 0..s.kernel_width {
                                let ix = (ox * s.stride[1] + kx * s.dilation[1]) as isize
                                    - s.padding[1] as isize;
                                if ix < 0 || ix >= s.in_width as isize {
                                    continue;
                                }
                                let xi = ((n * s.in_channels + ci) * s.in_height + iy as usize)
                                    * s.in_width
                                    + ix as usize;
                                let wi = ((co * cin_g + cl) * s.kernel_height + ky)
                                    * s.kernel_width
                                    + kx;
                                f(xi, wi, y);
                            }
                        }
                    }
                }
            }
        }
    }
}

fn close(name: &str, s: &Conv2dShape, got: &[f32], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{name}: length, {s:?}");
    for (i, (&a, &b)) in got.iter().zip(want).enumerate() {
        let err = (f64::from(a) - b).abs();
        assert!(
            err <= 1e-4 * (1.0 + b.abs()),
            "{name}[{i}]: got {a}, want {b} (error {err}) for {s:?}"
        );
    }
}

/// Runs all four kernels on `s` and compares them with the reference.
fn check_all(s: &Conv2dShape) {
    s.validate().unwrap();
    let x = data(s.input_len(), 1);
    let w = data(s.weight_len(), 2);
    let bias = data(s.out_channels, 3);
    let dy = data(s.output_len(), 4);

    let mut want_y: Vec<f64> = (0..s.output_len())
        .map(|i| f64::from(bias[(i / (s.out_height() * s.out_width())) % s.out_channels]))
        .collect();
    let mut want_dx = vec![0.0f64; s.input_len()];
    let mut want_dw = vec![0.0f64; s.weight_len()];
    for_each_tap(s, |xi, wi, yi| {
        want_y[yi] += f64::from(x[xi]) * f64::from(w[wi]);
        want_dx[xi] += f64::from(dy[yi]) * f64::from(w[wi]);
        want_dw[wi] += f64::from(dy[yi]) * f64::from(x[xi]);
    });
    let hw = s.out_height() * s.out_width();
    let mut want_db = vec![0.0f64; s.out_channels];
    for (i, &v) in dy.iter().enumerate() {
        want_db[(i / hw) % s.out_channels] += f64::from(v);
    }

    for threads in [1, 4] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            // Outputs start as NaN: every kernel must overwrite, not accumulate.
            let mut y = vec![f32::NAN; s.output_len()];
            conv2d(s, &x, &w, Some(&bias), &mut y).unwrap();
            close("forward", s, &y, &want_y);

            let mut y0 = vec![f32::NAN; s.output_len()];
            conv2d(s, &x, &w, None, &mut y0).unwrap();
            let want_y0: Vec<f64> = want_y
                .iter()
                .enumerate()
                .map(|(i, v)| v - f64::from(bias[(i / hw) % s.out_channels]))
                .collect();
            close("forward without bias", s, &y0, &want_y0);

            // The fused epilogue: a scale reaching 4 so that ReLU6 clips at both ends.
            let scale: Vec<f32> = data(s.out_channels, 5).iter().map(|v| 4.0 * v).collect();
            let residual = data(s.output_len(), 6);
            for activation in [Activation::Identity, Activation::Relu, Activation::Relu6] {
                let epilogue = Epilogue {
                    scale: Some(&scale),
                    shift: Some(&bias),
                    residual: Some(&residual),
                    activation,
                };
                let mut y = vec![f32::NAN; s.output_len()];
                conv2d_fused(s, &x, &w, &epilogue, &mut y).unwrap();
                let want: Vec<f64> = want_y0
                    .iter()
                    .zip(&residual)
                    .enumerate()
                    .map(|(i, (v, &r))| {
                        let c = (i / hw) % s.out_channels;
                        let v = v * f64::from(scale[c]) + f64::from(bias[c]) + f64::from(r);
                        match activation {
                            Activation::Identity => v,
                            Activation::Relu => v.max(0.0),
                            Activation::Relu6 => v.clamp(0.0, 6.0),
                        }
                    })
                    .collect();
                close(&format!("fused forward, {activation:?}"), s, &y, &want);
            }

            let mut dx = vec![f32::NAN; s.input_len()];
            conv2d_backward_input(s, &dy, &w, &mut dx).unwrap();
            close("input gradient", s, &dx, &want_dx);

            let mut dw = vec![f32::NAN; s.weight_len()];
            conv2d_backward_weight(s, &x, &dy, &mut dw).unwrap();
            close("weight gradient", s, &dw, &want_dw);

            let mut db = vec![f32::NAN; s.out_channels];
            conv2d_backward_bias(s, &dy, &mut db).unwrap();
            close("bias gradient", s, &db, &want_db);
        });
    }
}

/// A shape with square stride, padding and dilation.
#[allow(clippy::too_many_arguments)]
fn shape(
    batch: usize,
    in_channels: usize,
    [in_height, in_width]: [usize; 2],
    out_channels: usize,
    [kernel_height, kernel_width]: [usize; 2],
    stride: [usize; 2],
    padding: [usize; 2],
    dilation: [usize; 2],
    groups: usize,
) -> Conv2dShape {
    Conv2dShape {
        batch,
        in_channels,
        in_height,
        in_width,
        out_channels,
        kernel_height,
        kernel_width,
        stride,
        padding,
        dilation,
        groups,
    }
}

#[test]
fn dense_3x3_odd_input_strides_and_paddings() {
    for batch in [1, 3] {
        for stride in [1, 2, 3] {
            for padding in [0, 1, 2] {
                check_all(&shape(
                    batch,
                    3,
                    [7, 5],
                    4,
                    [3, 3],
                    [stride; 2],
                    [padding; 2],
                    [1, 1],
                    1,
                ));
            }
        }
    }
}

#[test]
fn asymmetric_stride_padding_dilation() {
    check_all(&shape(3, 2, [7, 5], 3, [3, 2], [2, 1], [0, 2], [1, 2], 1));
    check_all(&shape(1, 3, [6, 9], 2, [2, 3], [1, 3], [2, 1], [2, 1], 1));
    check_all(&shape(5, 2, [8, 7], 3, [3, 3], [1, 2], [1, 0], [1, 1], 1));
}

#[test]
fn dilation_2() {
    for batch in [1, 3] {
        check_all(&shape(
            batch,
            3,
            [9, 8],
            4,
            [3, 3],
            [1, 1],
            [2, 2],
            [2, 2],
            1,
        ));
        check_all(&shape(
            batch,
            2,
            [9, 8],
            3,
            [3, 3],
            [2, 2],
            [1, 1],
            [2, 2],
            1,
        ));
    }
}

#[test]
fn grouped_not_depthwise() {
    for batch in [1, 3] {
        check_all(&shape(
            batch,
            4,
            [7, 5],
            6,
            [3, 3],
            [1, 1],
            [1, 1],
            [1, 1],
            2,
        ));
        check_all(&shape(
            batch,
            6,
            [7, 5],
            3,
            [2, 3],
            [1, 2],
            [1, 0],
            [1, 1],
            3,
        ));
        check_all(&shape(
            batch,
            6,
            [7, 5],
            9,
            [3, 3],
            [2, 2],
            [1, 1],
            [2, 1],
            3,
        ));
        // 1x1 grouped, the pointwise GEMM path per group.
        check_all(&shape(
            batch,
            6,
            [7, 5],
            4,
            [1, 1],
            [1, 1],
            [0, 0],
            [1, 1],
            2,
        ));
    }
}

#[test]
fn depthwise_3x3_and_5x5() {
    for batch in [1, 3] {
        for (k, padding) in [(3, 1), (5, 2), (3, 0)] {
            for stride in [1, 2, 3] {
                check_all(&shape(
                    batch,
                    5,
                    [7, 5],
                    5,
                    [k, k],
                    [stride; 2],
                    [padding; 2],
                    [1, 1],
                    5,
                ));
            }
        }
    }
    // MobileNetV2-like: stride 2, padding 1, even input.
    check_all(&shape(2, 8, [14, 14], 8, [3, 3], [2, 2], [1, 1], [1, 1], 8));
}

#[test]
fn depthwise_asymmetric_and_dilated() {
    check_all(&shape(3, 4, [9, 7], 4, [3, 3], [1, 2], [2, 1], [2, 1], 4));
    check_all(&shape(1, 3, [8, 11], 3, [5, 3], [2, 3], [0, 2], [1, 2], 3));
    // Stride above the kernel: input columns and rows that no tap reads.
    check_all(&shape(2, 3, [7, 7], 3, [1, 1], [2, 2], [0, 0], [1, 1], 3));
    check_all(&shape(2, 3, [7, 7], 3, [2, 2], [2, 3], [0, 0], [1, 1], 3));
    // Padding larger than the kernel: whole rows and columns of pure bias.
    check_all(&shape(2, 3, [5, 4], 3, [3, 3], [1, 1], [3, 4], [1, 1], 3));
}

#[test]
fn depthwise_with_channel_multiplier() {
    // 2 outputs per input channel: the direct path.
    check_all(&shape(3, 3, [7, 5], 6, [3, 3], [2, 1], [1, 1], [1, 1], 3));
    // A single input channel with 3 outputs (groups 1 = in_channels).
    check_all(&shape(2, 1, [7, 5], 3, [3, 3], [1, 2], [1, 1], [1, 1], 1));
    // 8 outputs per input channel: the GEMM path.
    check_all(&shape(3, 2, [7, 5], 16, [3, 3], [1, 1], [1, 1], [1, 1], 2));
    check_all(&shape(1, 1, [7, 5], 8, [3, 3], [2, 2], [1, 1], [1, 1], 1));
}

#[test]
fn pointwise_1x1() {
    for batch in [1, 3, 5] {
        // Stride 1, no padding: the NCHW data is the column matrix.
        check_all(&shape(
            batch,
            5,
            [7, 5],
            4,
            [1, 1],
            [1, 1],
            [0, 0],
            [1, 1],
            1,
        ));
        // Strided and padded 1x1 kernels go through im2col.
        check_all(&shape(
            batch,
            5,
            [7, 5],
            4,
            [1, 1],
            [2, 2],
            [0, 0],
            [1, 1],
            1,
        ));
        check_all(&shape(
            batch,
            5,
            [7, 5],
            4,
            [1, 1],
            [1, 2],
            [1, 0],
            [1, 1],
            1,
        ));
    }
}

#[test]
fn kernel_larger_and_smaller_than_stride() {
    check_all(&shape(3, 2, [8, 7], 3, [4, 4], [2, 2], [1, 1], [1, 1], 1));
    check_all(&shape(3, 2, [8, 7], 3, [2, 2], [3, 3], [0, 0], [1, 1], 1));
    // A 7x7 stride-2 stem on an odd input.
    check_all(&shape(2, 3, [15, 13], 4, [7, 7], [2, 2], [3, 3], [1, 1], 1));
}

#[test]
fn several_bands_per_image() {
    // 144 im2col rows and 50 columns per output row: the parallel-task path splits each
    // image into bands of 36 output rows (1 Mi elements), the last one partial.
    check_all(&shape(
        4,
        16,
        [80, 50],
        8,
        [3, 3],
        [1, 1],
        [1, 1],
        [1, 1],
        1,
    ));
    // 72 rows per group: bands of 72 output rows out of 150.
    check_all(&shape(
        5,
        16,
        [300, 50],
        8,
        [3, 3],
        [2, 1],
        [1, 1],
        [1, 1],
        2,
    ));
}

#[test]
fn batch_one_splits_its_output_channels() {
    // In the 4-thread pool a single image is split into 4 blocks of 17, 17, 17 and 16
    // output channels; two groups of 35 into 2 blocks each.
    check_all(&shape(
        1,
        8,
        [12, 11],
        67,
        [3, 3],
        [1, 1],
        [1, 1],
        [1, 1],
        1,
    ));
    check_all(&shape(
        1,
        8,
        [12, 11],
        67,
        [1, 1],
        [1, 1],
        [0, 0],
        [1, 1],
        1,
    ));
    check_all(&shape(
        1,
        8,
        [12, 11],
        70,
        [3, 3],
        [2, 2],
        [1, 1],
        [1, 1],
        2,
    ));
}
