//! Bad shapes and wrongly sized slices come back as errors, never panics.

use kestrel_kernels::{
    Conv2dShape, Epilogue, KernelError, conv2d, conv2d_backward_bias, conv2d_backward_input,
    conv2d_backward_weight, conv2d_fused,
};

fn good() -> Conv2dShape {
    Conv2dShape {
        batch: 2,
        in_channels: 4,
        in_height: 7,
        in_width: 5,
        out_channels: 6,
        kernel_height: 3,
        kernel_width: 3,
        stride: [1, 2],
        padding: [1, 1],
        dilation: [1, 1],
        groups: 2,
    }
}

/// Runs all four kernels on `s` with slices of the lengths `s` asks for (0 when the
/// length is meaningless) and returns their results.
fn run_all(s: &Conv2dShape) -> Vec<Result<(), KernelError>> {
    let cap = |n: usize| n.min(1 << 20);
    let x = vec![0.0f32; cap(s.input_len())];
    let w = vec![0.0f32; cap(s.weight_len())];
    let b = vec![0.0f32; cap(s.out_channels)];
    let mut y = vec![0.0f32; cap(s.output_len())];
    let mut dx = x.clone();
    let mut dw = w.clone();
    let mut db = b.clone();
    let dy = y.clone();
    vec![
        conv2d(s, &x, &w, Some(&b), &mut y),
        conv2d_backward_input(s, &dy, &w, &mut dx),
        conv2d_backward_weight(s, &x, &dy, &mut dw),
        conv2d_backward_bias(s, &dy, &mut db),
    ]
}

#[test]
fn good_shape_runs() {
    for r in run_all(&good()) {
        r.unwrap();
    }
}

#[test]
fn bad_shapes_are_errors() {
    let mut cases = Vec::new();
    for field in 0..12 {
        let mut s = good();
        match field {
            0 => s.batch = 0,
            1 => s.in_channels = 0,
            2 => s.in_height = 0,
            3 => s.in_width = 0,
            4 => s.out_channels = 0,
            5 => s.kernel_height = 0,
            6 => s.kernel_width = 0,
            7 => s.stride = [0, 1],
            8 => s.stride = [1, 0],
            9 => s.dilation = [0, 1],
            10 => s.dilation = [1, 0],
            _ => s.groups = 0,
        }
        cases.push(s);
    }
    let mut s = good();
    s.in_channels = 5; // not divisible by 2 groups
    cases.push(s);
    let mut s = good();
    s.out_channels = 7;
    cases.push(s);
    let mut s = good();
    s.kernel_height = 10; // 7 + 2 padding < 10
    cases.push(s);
    let mut s = good();
    s.dilation = [1, 4]; // span 9 > 5 + 2
    cases.push(s);
    let mut s = good();
    s.padding = [usize::MAX / 2, 0]; // overflows
    cases.push(s);
    let mut s = good();
    s.batch = usize::MAX / 3; // sizes overflow
    cases.push(s);
    let mut s = good();
    // A huge dilation with matching padding: a 1x1 output, but a huge padded input.
    s.in_height = 1;
    s.in_width = 1;
    s.padding = [1 << 40, 1 << 40];
    s.dilation = [1 << 41, 1 << 41];
    s.kernel_height = 2;
    s.kernel_width = 2;
    cases.push(s);
    let mut s = good();
    s.in_height = 1 << 40;
    s.in_width = 1 << 40;
    cases.push(s);
    for s in cases {
        for r in run_all(&s) {
            assert!(
                matches!(r, Err(KernelError::InvalidShape(_))),
                "{s:?}: {r:?}"
            );
        }
        assert!(s.validate().is_err());
    }
}

#[test]
fn wrong_lengths_name_the_argument() {
    let s = good();
    let x = vec![0.0f32; s.input_len()];
    let w = vec![0.0f32; s.weight_len()];
    let b = vec![0.0f32; s.out_channels];
    let y = vec![0.0f32; s.output_len()];
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

    assert_eq!(arg(conv2d(&s, &short(&x), &w, None, &mut y.clone())), "x");
    assert_eq!(arg(conv2d(&s, &x, &short(&w), None, &mut y.clone())), "w");
    assert_eq!(
        arg(conv2d(&s, &x, &w, Some(&short(&b)), &mut y.clone())),
        "bias"
    );
    assert_eq!(arg(conv2d(&s, &x, &w, None, &mut short(&y))), "out");
    let (short_b, short_y) = (short(&b), short(&y));
    let fused = |epilogue: Epilogue<'_>| conv2d_fused(&s, &x, &w, &epilogue, &mut y.clone());
    let scale = Epilogue {
        scale: Some(&short_b),
        ..Epilogue::default()
    };
    assert_eq!(arg(fused(scale)), "scale");
    assert_eq!(arg(fused(Epilogue::bias(Some(&short_b)))), "shift");
    let residual = Epilogue {
        residual: Some(&short_y),
        ..Epilogue::default()
    };
    assert_eq!(arg(fused(residual)), "residual");

    assert_eq!(
        arg(conv2d_backward_input(&s, &short(&y), &w, &mut x.clone())),
        "dy"
    );
    assert_eq!(
        arg(conv2d_backward_input(&s, &y, &short(&w), &mut x.clone())),
        "w"
    );
    assert_eq!(arg(conv2d_backward_input(&s, &y, &w, &mut short(&x))), "dx");

    assert_eq!(
        arg(conv2d_backward_weight(&s, &short(&x), &y, &mut w.clone())),
        "x"
    );
    assert_eq!(
        arg(conv2d_backward_weight(&s, &x, &short(&y), &mut w.clone())),
        "dy"
    );
    assert_eq!(
        arg(conv2d_backward_weight(&s, &x, &y, &mut short(&w))),
        "dw"
    );

    assert_eq!(
        arg(conv2d_backward_bias(&s, &short(&y), &mut b.clone())),
        "dy"
    );
    assert_eq!(arg(conv2d_backward_bias(&s, &y, &mut short(&b))), "dbias");
}

#[test]
fn errors_display() {
    let mut s = good();
    s.groups = 3;
    let e = s.validate().unwrap_err();
    assert!(e.to_string().contains("divisible"), "{e}");
    let e = conv2d(&good(), &[], &[], None, &mut []).unwrap_err();
    assert_eq!(e.to_string(), "`x` has 0 elements, but the shape needs 280");
}
