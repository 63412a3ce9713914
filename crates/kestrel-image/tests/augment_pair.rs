//! Paired augmentation: the label image follows the image's geometry exactly.

use kestrel_image::{
    AugmentParams, ImageF32, LabelImage, Mirror, augment, augment_pair, seeded_rng,
};

/// An image whose pixel `(x, y)` holds `(x / 255, y / 255, 0.5)` and a label image whose
/// pixel holds `y * width + x`, so both tell where a pixel came from.
fn coordinates(width: u32, height: u32) -> (ImageF32, LabelImage) {
    assert!(width * height <= 256);
    let mut img = ImageF32::zeros(width, height, 3);
    let mut labels = LabelImage::zeros(width, height);
    for y in 0..height {
        for x in 0..width {
            let i = img.index(x, y, 0);
            img.data[i..i + 3].copy_from_slice(&[x as f32 / 255.0, y as f32 / 255.0, 0.5]);
            let j = labels.index(x, y);
            labels.data[j] = (y * width + x) as u8;
        }
    }
    (img, labels)
}

/// Checks that every output pixel's label names (within `tol` pixels) the source position
/// its image value encodes.
fn assert_aligned(img: &ImageF32, labels: &LabelImage, tol: f32, what: &str) {
    assert_eq!(
        (img.width, img.height),
        (labels.width, labels.height),
        "{what}"
    );
    for y in 0..img.height {
        for x in 0..img.width {
            let ix = img.get(x, y, 0).unwrap() * 255.0;
            let iy = img.get(x, y, 1).unwrap() * 255.0;
            let l = u32::from(labels.get(x, y).unwrap());
            let (lx, ly) = ((l % img.width) as f32, (l / img.width) as f32);
            assert!(
                (ix - lx).abs() <= tol && (iy - ly).abs() <= tol,
                "{what}: pixel ({x}, {y}) image says ({ix}, {iy}), labels say ({lx}, {ly})"
            );
        }
    }
}

fn only(percentage: f32) -> AugmentParams {
    AugmentParams {
        percentage,
        ..AugmentParams::default()
    }
}

#[test]
fn every_geometric_transform_moves_labels_with_the_image() {
    let exact = 1e-3;
    // Nearest neighbour picks the pixel whose centre is closest to the bilinear position.
    let nearest = 0.5 + 1e-3;
    // Rotation then crop resample twice: the crop's nearest pick (off by up to 0.5 pixel
    // per axis) lands on a rotated pixel whose own label is off by up to 0.5, and the
    // rotation stretches the first offset by up to |cos| + |sin| <= sqrt(2).
    let twice = 0.5 + 0.5 * std::f32::consts::SQRT_2 + 1e-3;
    let cases = [
        (
            "mirror h",
            AugmentParams {
                mirror: Mirror::Horizontal,
                ..only(100.0)
            },
            exact,
        ),
        (
            "mirror v",
            AugmentParams {
                mirror: Mirror::Vertical,
                ..only(100.0)
            },
            exact,
        ),
        (
            "mirror hv",
            AugmentParams {
                mirror: Mirror::Both,
                ..only(100.0)
            },
            exact,
        ),
        (
            "rotate 90",
            AugmentParams {
                rotate_90: true,
                ..only(100.0)
            },
            exact,
        ),
        (
            "rotation",
            AugmentParams {
                rotation_range_deg: 40.0,
                ..only(100.0)
            },
            nearest,
        ),
        (
            "crop",
            AugmentParams {
                crop_percentage: 60.0,
                ..only(100.0)
            },
            nearest,
        ),
        (
            "all geometry",
            AugmentParams {
                mirror: Mirror::Both,
                rotate_90: true,
                rotation_range_deg: 25.0,
                crop_percentage: 40.0,
                ..only(100.0)
            },
            twice,
        ),
    ];
    for (w, h) in [(16, 16), (16, 12)] {
        let (img, labels) = coordinates(w, h);
        for (name, params, tol) in &cases {
            let mut rng = seeded_rng(11);
            let mut changed = 0;
            for _ in 0..40 {
                let (out, out_labels) = augment_pair(&img, &labels, params, &mut rng);
                assert_aligned(&out, &out_labels, *tol, &format!("{name} {w}x{h}"));
                changed += usize::from(out_labels != labels);
            }
            // Quarter turns of non-square images are skipped, everything else happens.
            let expect_change = !(*name == "rotate 90" && w != h);
            assert_eq!(
                changed > 0,
                expect_change,
                "{name} {w}x{h}: {changed} changed"
            );
        }
    }
}

#[test]
fn the_image_is_what_augment_returns_and_labels_ignore_photometric_changes() {
    let (img, labels) = coordinates(16, 16);
    let geometric = AugmentParams {
        mirror: Mirror::Both,
        rotate_90: true,
        rotation_range_deg: 20.0,
        crop_percentage: 30.0,
        ..only(70.0)
    };
    let everything = AugmentParams {
        brightness: 0.2,
        contrast: 0.3,
        saturation: 0.4,
        ..geometric.clone()
    };
    let (mut r1, mut r2, mut r3) = (seeded_rng(5), seeded_rng(5), seeded_rng(5));
    for _ in 0..30 {
        let (pair_img, pair_labels) = augment_pair(&img, &labels, &everything, &mut r1);
        assert_eq!(pair_img, augment(&img, &everything, &mut r2));
        let (_, geo_labels) = augment_pair(&img, &labels, &geometric, &mut r3);
        // Photometric draws come after the geometric ones, so from the same generator state
        // the labels agree.
        assert_eq!(pair_labels, geo_labels);
        // The photometric draws left `r3` behind; restart it where `r1` is.
        r3 = r1.clone();
    }
}

#[test]
fn class_ids_are_never_blended() {
    let img = ImageF32 {
        width: 12,
        height: 12,
        channels: 1,
        data: vec![0.5; 144],
    };
    let labels = LabelImage {
        width: 12,
        height: 12,
        data: (0..144)
            .map(|i| [0, 7, 200][(i / 12 + i % 12) % 3])
            .collect(),
    };
    let params = AugmentParams {
        rotation_range_deg: 45.0,
        crop_percentage: 50.0,
        ..only(100.0)
    };
    let mut rng = seeded_rng(2);
    for _ in 0..20 {
        let (_, out) = augment_pair(&img, &labels, &params, &mut rng);
        assert!(out.data.iter().all(|v| [0, 7, 200].contains(v)));
    }
}

#[test]
fn labels_of_another_size_are_brought_to_the_image_size() {
    let (img, _) = coordinates(8, 8);
    let big = LabelImage {
        width: 16,
        height: 16,
        data: (0..256)
            .map(|i| ((i % 16) / 2 + 8 * ((i / 16) / 2)) as u8)
            .collect(),
    };
    let mut rng = seeded_rng(1);
    let (out, out_labels) = augment_pair(&img, &big, &only(0.0), &mut rng);
    assert_eq!(out, img);
    assert_eq!((out_labels.width, out_labels.height), (8, 8));
    assert_eq!(out_labels.data, (0..64).collect::<Vec<u8>>());
    // Inconsistent labels and empty images do not panic.
    let broken = LabelImage {
        width: 8,
        height: 8,
        data: vec![3; 10],
    };
    let params = AugmentParams {
        mirror: Mirror::Both,
        ..only(100.0)
    };
    let (_, l) = augment_pair(&img, &broken, &params, &mut rng);
    assert_eq!(l.data.len(), 64);
    let empty = ImageF32::zeros(0, 0, 3);
    let (e, l) = augment_pair(&empty, &big, &params, &mut rng);
    assert_eq!((e.width, l.width, l.data.len()), (0, 0, 0));
}
