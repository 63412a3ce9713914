//! Augmentation: determinism, percentage, and exact pixel moves of mirror and 90° rotation.

use kestrel_image::{AugmentParams, ImageF32, Mirror, augment, seeded_rng};

/// Square 3x3 RGB image whose samples are all distinct: value = (index + 1) / 100.
fn square() -> ImageF32 {
    ImageF32 {
        width: 3,
        height: 3,
        channels: 3,
        data: (0..27).map(|i| (i + 1) as f32 / 100.0).collect(),
    }
}

/// 4x2 grey image with distinct values.
fn wide() -> ImageF32 {
    ImageF32 {
        width: 4,
        height: 2,
        channels: 1,
        data: (0..8).map(|i| i as f32 / 10.0).collect(),
    }
}

fn pixel(img: &ImageF32, x: u32, y: u32) -> Vec<f32> {
    (0..img.channels)
        .map(|c| img.get(x, y, c).unwrap())
        .collect()
}

fn everything() -> AugmentParams {
    AugmentParams {
        percentage: 100.0,
        mirror: Mirror::Both,
        rotate_90: true,
        rotation_range_deg: 15.0,
        brightness: 0.1,
        contrast: 0.2,
        saturation: 0.3,
        crop_percentage: 20.0,
        blur: 0.0,
    }
}

#[test]
fn default_and_percentage_zero_leave_the_image_unchanged() {
    let img = square();
    let mut rng = seeded_rng(1);
    assert_eq!(augment(&img, &AugmentParams::default(), &mut rng), img);
    let zero = AugmentParams {
        percentage: 0.0,
        ..everything()
    };
    for _ in 0..50 {
        assert_eq!(augment(&img, &zero, &mut rng), img);
    }
}

#[test]
fn same_seed_gives_same_result_and_other_seeds_differ() {
    let img = ImageF32 {
        width: 16,
        height: 16,
        channels: 3,
        data: (0..16 * 16 * 3)
            .map(|i| ((i * 37) % 101) as f32 / 100.0)
            .collect(),
    };
    let p = everything();
    let a: Vec<_> = {
        let mut rng = seeded_rng(42);
        (0..5).map(|_| augment(&img, &p, &mut rng)).collect()
    };
    let b: Vec<_> = {
        let mut rng = seeded_rng(42);
        (0..5).map(|_| augment(&img, &p, &mut rng)).collect()
    };
    assert_eq!(a, b);
    let mut rng = seeded_rng(43);
    assert_ne!(augment(&img, &p, &mut rng), a[0]);
    for out in &a {
        assert_eq!((out.width, out.height, out.channels), (16, 16, 3));
        assert!(out.data.iter().all(|v| (0.0..=1.0).contains(v)));
    }
}

#[test]
fn percentage_is_the_share_of_augmented_images() {
    let img = wide();
    let p = AugmentParams {
        percentage: 30.0,
        brightness: 0.5,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(7);
    let changed = (0..2000)
        .filter(|_| augment(&img, &p, &mut rng) != img)
        .count();
    assert!((500..700).contains(&changed), "{changed} of 2000 changed");
}

#[test]
fn horizontal_mirror_moves_pixels_left_right() {
    let img = wide();
    let p = AugmentParams {
        percentage: 100.0,
        mirror: Mirror::Horizontal,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(3);
    let mut seen_flip = false;
    let mut seen_same = false;
    for _ in 0..20 {
        let out = augment(&img, &p, &mut rng);
        if out == img {
            seen_same = true;
            continue;
        }
        seen_flip = true;
        for y in 0..2 {
            for x in 0..4 {
                assert_eq!(pixel(&out, x, y), pixel(&img, 3 - x, y));
            }
        }
    }
    assert!(seen_flip && seen_same);
}

#[test]
fn vertical_mirror_moves_pixels_top_bottom() {
    let img = wide();
    let p = AugmentParams {
        percentage: 100.0,
        mirror: Mirror::Vertical,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(4);
    let mut seen_flip = false;
    for _ in 0..20 {
        let out = augment(&img, &p, &mut rng);
        if out != img {
            seen_flip = true;
            for y in 0..2 {
                for x in 0..4 {
                    assert_eq!(pixel(&out, x, y), pixel(&img, x, 1 - y));
                }
            }
        }
    }
    assert!(seen_flip);
}

#[test]
fn rotate_90_gives_only_exact_quarter_turns_of_square_images() {
    let img = square();
    let n = 2; // last index
    let turn = |k: u32| -> ImageF32 {
        let mut out = img.clone();
        for y in 0..3 {
            for x in 0..3 {
                // Source of output (x, y) after k clockwise quarter turns.
                let (sx, sy) = match k {
                    0 => (x, y),
                    1 => (y, n - x),
                    2 => (n - x, n - y),
                    _ => (n - y, x),
                };
                for c in 0..3 {
                    let d = out.index(x, y, c);
                    out.data[d] = img.get(sx, sy, c).unwrap();
                }
            }
        }
        out
    };
    let expected: Vec<ImageF32> = (0..4).map(turn).collect();
    // Top-left pixel goes to the top-right corner after one clockwise turn.
    assert_eq!(pixel(&expected[1], 2, 0), pixel(&img, 0, 0));
    let p = AugmentParams {
        percentage: 100.0,
        rotate_90: true,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(5);
    let mut seen = [false; 4];
    for _ in 0..64 {
        let out = augment(&img, &p, &mut rng);
        let k = expected
            .iter()
            .position(|e| *e == out)
            .expect("a quarter turn");
        seen[k] = true;
    }
    assert_eq!(seen, [true; 4]);
}

#[test]
fn rotate_90_skips_non_square_images() {
    let img = wide();
    let p = AugmentParams {
        percentage: 100.0,
        rotate_90: true,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(6);
    for _ in 0..16 {
        assert_eq!(augment(&img, &p, &mut rng), img);
    }
}

#[test]
fn photometric_ops_keep_constant_structure_and_range() {
    let grey = ImageF32 {
        width: 4,
        height: 4,
        channels: 1,
        data: vec![0.5; 16],
    };
    // Brightness shifts a flat image uniformly; contrast and saturation leave it flat.
    let p = AugmentParams {
        percentage: 100.0,
        brightness: 0.2,
        contrast: 0.5,
        saturation: 0.5,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(8);
    let mut values = Vec::new();
    for _ in 0..20 {
        let out = augment(&grey, &p, &mut rng);
        assert!(out.data.iter().all(|v| *v == out.data[0]));
        assert!((0.3..=0.7).contains(&out.data[0]));
        values.push(out.data[0]);
    }
    assert!(values.iter().any(|v| *v != 0.5));
}

#[test]
fn saturation_zero_factor_range_only_scales_colour() {
    // Grey pixels (r = g = b) are fixed points of saturation changes.
    let img = ImageF32 {
        width: 2,
        height: 1,
        channels: 3,
        data: vec![0.3, 0.3, 0.3, 0.9, 0.1, 0.2],
    };
    let p = AugmentParams {
        percentage: 100.0,
        saturation: 0.9,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(9);
    let out = augment(&img, &p, &mut rng);
    for (a, b) in out.data[..3].iter().zip([0.3f32; 3]) {
        assert!((a - b).abs() < 1e-6);
    }
    assert_ne!(out.data[3..], img.data[3..]);
}

#[test]
fn small_rotation_and_crop_keep_size_and_flat_images_flat() {
    let flat = ImageF32 {
        width: 10,
        height: 6,
        channels: 3,
        data: vec![0.25; 180],
    };
    let p = AugmentParams {
        percentage: 100.0,
        rotation_range_deg: 30.0,
        crop_percentage: 50.0,
        ..AugmentParams::default()
    };
    let mut rng = seeded_rng(10);
    for _ in 0..10 {
        let out = augment(&flat, &p, &mut rng);
        assert_eq!((out.width, out.height, out.channels), (10, 6, 3));
        assert!(out.data.iter().all(|v| (v - 0.25).abs() < 1e-6));
    }
}

#[test]
fn mirror_serde_names() {
    let names = [
        (Mirror::None, "\"none\""),
        (Mirror::Horizontal, "\"h\""),
        (Mirror::Vertical, "\"v\""),
        (Mirror::Both, "\"hv\""),
    ];
    for (m, s) in names {
        assert_eq!(serde_json::to_string(&m).unwrap(), s);
        assert_eq!(serde_json::from_str::<Mirror>(s).unwrap(), m);
    }
    let p: AugmentParams = serde_json::from_str(r#"{"percentage": 50, "mirror": "hv"}"#).unwrap();
    assert_eq!(p.mirror, Mirror::Both);
    assert_eq!(p.brightness, 0.0);
    let back: AugmentParams =
        serde_json::from_str(&serde_json::to_string(&everything()).unwrap()).unwrap();
    assert_eq!(back, everything());
}

#[test]
fn blur_spreads_a_spike_symmetrically_keeping_its_sum_and_leaves_flat_images_alone() {
    let p = AugmentParams {
        percentage: 100.0,
        blur: 2.0,
        ..AugmentParams::default()
    };
    let mut spike = ImageF32::zeros(21, 21, 1);
    let centre = spike.index(10, 10, 0);
    spike.data[centre] = 1.0;
    let mut rng = seeded_rng(3);
    let mut blurred = 0;
    for _ in 0..20 {
        let out = augment(&spike, &p, &mut rng);
        let sum: f32 = out.data.iter().sum();
        assert!((sum - 1.0).abs() < 1e-4, "sum {sum}");
        let (left, right) = (out.get(9, 10, 0).unwrap(), out.get(11, 10, 0).unwrap());
        let (up, down) = (out.get(10, 9, 0).unwrap(), out.get(10, 11, 0).unwrap());
        assert!(
            (left - right).abs() < 1e-6 && (up - down).abs() < 1e-6 && (left - up).abs() < 1e-6
        );
        if out.data[centre] < 0.9 {
            blurred += 1;
            assert!(left > 0.0 && left < out.data[centre]);
        }
    }
    assert!(blurred >= 10, "{blurred} of 20 blurred visibly");
    let flat = ImageF32 {
        data: vec![0.4; 21 * 21],
        ..spike
    };
    let out = augment(&flat, &p, &mut rng);
    assert!(out.data.iter().all(|v| (v - 0.4).abs() < 1e-5));
}
