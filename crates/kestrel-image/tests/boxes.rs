//! Boxes that move with their image: augmentation (same plan as the image) and resizing.

mod common;

use std::f32::consts::PI;

use image::{DynamicImage, GrayImage, Luma};
use kestrel_image::{
    AugmentParams, AxisBox, ImageF32, Mirror, RotatedRect, augment, augment_with_boxes,
    augment_with_rotated_boxes, resize_dynamic, scale_boxes, scale_rotated_rects, seeded_rng,
};
use rand::RngExt;

fn axis(x1: f32, y1: f32, x2: f32, y2: f32) -> AxisBox {
    AxisBox { x1, y1, x2, y2 }
}

fn rect(row: f32, col: f32, phi: f32, length1: f32, length2: f32) -> RotatedRect {
    RotatedRect {
        row,
        col,
        phi,
        length1,
        length2,
    }
}

fn everything() -> AugmentParams {
    AugmentParams {
        percentage: 70.0,
        mirror: Mirror::Both,
        rotate_90: true,
        rotation_range_deg: 20.0,
        brightness: 0.1,
        contrast: 0.2,
        saturation: 0.3,
        crop_percentage: 30.0,
        blur: 0.0,
    }
}

/// An RGB image whose pixel `(x, y)` holds `(x / 32, y / 32, 0.5)`: it tells where each
/// output pixel was sampled from (pixel-centre coordinates).
fn coordinates(width: u32, height: u32) -> ImageF32 {
    let mut img = ImageF32::zeros(width, height, 3);
    for y in 0..height {
        for x in 0..width {
            let i = img.index(x, y, 0);
            img.data[i..i + 3].copy_from_slice(&[x as f32 / 32.0, y as f32 / 32.0, 0.5]);
        }
    }
    img
}

/// The source position `(x, y)` (box coordinates: pixel corners at integers) that the
/// output of a [`coordinates`] image holds at box coordinates `(x, y)`, bilinearly.
fn source_at(img: &ImageF32, x: f32, y: f32) -> (f32, f32) {
    let (px, py) = (x - 0.5, y - 0.5);
    let (x0, y0) = (px.floor() as u32, py.floor() as u32);
    let (fx, fy) = (px - x0 as f32, py - y0 as f32);
    let value = |c| {
        let v = |x, y| img.get(x, y, c).unwrap();
        let top = v(x0, y0) * (1.0 - fx) + v(x0 + 1, y0) * fx;
        let bottom = v(x0, y0 + 1) * (1.0 - fx) + v(x0 + 1, y0 + 1) * fx;
        (top * (1.0 - fy) + bottom * fy) * 32.0 + 0.5
    };
    (value(0), value(1))
}

#[test]
fn the_image_and_the_generator_match_augment() {
    let img = coordinates(16, 16);
    let boxes = [axis(2.0, 3.0, 9.0, 7.0)];
    let rects = [rect(8.0, 8.0, 0.4, 3.0, 2.0)];
    for seed in 0..60 {
        let mut a = seeded_rng(seed);
        let mut b = seeded_rng(seed);
        let mut c = seeded_rng(seed);
        let expected = augment(&img, &everything(), &mut a);
        let (with_boxes, _, _) = augment_with_boxes(&img, &boxes, &everything(), &mut b);
        let (with_rects, _, _) = augment_with_rotated_boxes(&img, &rects, &everything(), &mut c);
        assert_eq!(with_boxes, expected, "seed {seed}");
        assert_eq!(with_rects, expected, "seed {seed}");
        let next = a.random::<u64>();
        assert_eq!(b.random::<u64>(), next);
        assert_eq!(c.random::<u64>(), next);
    }
}

#[test]
fn horizontal_mirror_of_a_box_on_a_10x8_image() {
    let img = coordinates(10, 8);
    let params = AugmentParams {
        percentage: 100.0,
        mirror: Mirror::Horizontal,
        ..AugmentParams::default()
    };
    let boxes = [axis(1.0, 2.0, 4.0, 5.0)];
    let rects = [rect(3.0, 2.0, 0.3, 2.0, 1.0)];
    let mut seen = [false; 2];
    for seed in 0..20 {
        let (out, kept, sources) = augment_with_boxes(&img, &boxes, &params, &mut seeded_rng(seed));
        let (_, moved, _) =
            augment_with_rotated_boxes(&img, &rects, &params, &mut seeded_rng(seed));
        assert_eq!(sources, [0]);
        let mirrored = out != img;
        seen[usize::from(mirrored)] = true;
        if mirrored {
            // x' = 10 - x; phi' = π - phi.
            assert_eq!(out.get(0, 0, 0), img.get(9, 0, 0));
            assert_eq!(kept, [axis(6.0, 2.0, 9.0, 5.0)]);
            assert!((moved[0].col - 8.0).abs() < 1e-5 && moved[0].row == 3.0);
            assert!((moved[0].phi - (PI - 0.3)).abs() < 1e-5, "{:?}", moved[0]);
        } else {
            assert_eq!(kept, boxes);
            assert_eq!(moved, rects);
        }
    }
    assert_eq!(seen, [true, true]);
}

#[test]
fn quarter_turns_move_boxes_onto_the_pixels_they_covered() {
    // The box covers exactly the pixels set to 1; after mirrors and quarter turns the
    // moved box must cover exactly the pixels that are 1.
    let mut img = ImageF32::zeros(8, 8, 1);
    let b = axis(1.0, 2.0, 4.0, 5.0);
    for y in 2..5 {
        for x in 1..4 {
            let i = img.index(x, y, 0);
            img.data[i] = 1.0;
        }
    }
    let params = AugmentParams {
        percentage: 100.0,
        mirror: Mirror::Both,
        rotate_90: true,
        ..AugmentParams::default()
    };
    let mut placements = std::collections::HashSet::new();
    for seed in 0..80 {
        let (out, kept, _) = augment_with_boxes(&img, &[b], &params, &mut seeded_rng(seed));
        let k = kept[0];
        assert_eq!(k.area(), 9.0);
        for y in 0..8 {
            for x in 0..8 {
                let inside = (x as f32) >= k.x1
                    && (x as f32) < k.x2
                    && (y as f32) >= k.y1
                    && (y as f32) < k.y2;
                assert_eq!(out.get(x, y, 0) == Some(1.0), inside, "seed {seed}: {k:?}");
            }
        }
        placements.insert([k.x1, k.y1].map(f32::to_bits));
    }
    // A clockwise quarter turn is (x, y) -> (8 - y, x): (1, 2, 4, 5) -> (3, 1, 6, 4); the
    // eight mirror and turn combinations give eight placements.
    assert!(placements.contains(&[3.0f32, 1.0].map(f32::to_bits)));
    assert_eq!(placements.len(), 8);
}

#[test]
fn rotated_boxes_follow_rotation_and_crop() {
    // Centre and length1 axis of the moved rectangle read back (from the coordinate
    // image) the source centre and a point along the source axis.
    let img = coordinates(24, 24);
    let r = rect(11.3, 12.6, 0.7, 3.0, 2.0);
    let params = AugmentParams {
        brightness: 0.0,
        contrast: 0.0,
        saturation: 0.0,
        percentage: 100.0,
        ..everything()
    };
    let mut moved_count = 0;
    for seed in 0..50 {
        let (out, moved, sources) =
            augment_with_rotated_boxes(&img, &[r], &params, &mut seeded_rng(seed));
        let (out2, boxes, _) =
            augment_with_boxes(&img, &[r.bounding_box()], &params, &mut seeded_rng(seed));
        assert_eq!(out, out2);
        assert_eq!(sources, [0]);
        let m = moved[0];
        let (sx, sy) = source_at(&out, m.col, m.row);
        assert!(
            (sx - r.col).abs() < 0.02 && (sy - r.row).abs() < 0.02,
            "seed {seed}: centre reads ({sx}, {sy})"
        );
        // One length1 along the moved axis is one length1 along the source axis.
        let (sin, cos) = m.phi.sin_cos();
        let (ax, ay) = source_at(&out, m.col + cos * m.length1, m.row - sin * m.length1);
        let (sin0, cos0) = r.phi.sin_cos();
        let (ex, ey) = (r.col + cos0 * r.length1, r.row - sin0 * r.length1);
        assert!(
            (ax - ex).abs() < 0.02 && (ay - ey).abs() < 0.02,
            "seed {seed}: axis end reads ({ax}, {ay}), expected ({ex}, {ey})"
        );
        // The box around the turned rectangle's corners contains its moved corners.
        let b = boxes[0];
        for (x, y) in m.corners() {
            let (x, y) = (x.clamp(0.0, 24.0), y.clamp(0.0, 24.0));
            assert!(x >= b.x1 - 1e-3 && x <= b.x2 + 1e-3 && y >= b.y1 - 1e-3 && y <= b.y2 + 1e-3);
        }
        moved_count += usize::from(m != r);
    }
    assert!(moved_count > 40);
}

#[test]
fn scale_boxes_matches_resize() {
    // Ramp 10 x + 20 y + 5 on pixel centres; resize 10x8 -> 25x4 (up in x, down in y).
    let src = GrayImage::from_fn(10, 8, |x, y| Luma([(10 * x + 20 * y + 5) as u8]));
    let params = common::params(25, 4, 1);
    let out = resize_dynamic(&DynamicImage::ImageLuma8(src), &params).unwrap();
    // A degenerate box at source position (x, y) lands on output pixel centre (i, j)
    // exactly where the resized image holds the source ramp's value at (x, y), for
    // pixels whose filter support stays inside the source (rows 1 and 2, x in [1, 8]).
    for j in 1..3u32 {
        for i in 4..21u32 {
            let (cx, cy) = (i as f32 + 0.5, j as f32 + 0.5);
            let (x, y) = (cx * 10.0 / 25.0, cy * 8.0 / 4.0);
            let moved = scale_boxes(&[axis(x, y, x, y)], 10, 8, 25, 4)[0];
            assert!((moved.x1 - cx).abs() < 1e-4 && (moved.y1 - cy).abs() < 1e-4);
            let ramp = (10.0 * (x - 0.5) + 20.0 * (y - 0.5) + 5.0) / 255.0;
            common::assert_close(out.get(i, j, 0).unwrap(), ramp, 1.0 / 255.0, "ramp");
        }
    }
    // Whole image onto whole image, stretched.
    assert_eq!(
        scale_boxes(
            &[axis(0.0, 0.0, 10.0, 8.0), axis(2.0, 4.0, 5.0, 6.0)],
            10,
            8,
            25,
            4
        ),
        [axis(0.0, 0.0, 25.0, 4.0), axis(5.0, 2.0, 12.5, 3.0)]
    );
    // Rotated: uniform scaling keeps phi and scales lengths; axis-parallel rectangles
    // stay exact under stretching.
    let r = scale_rotated_rects(&[rect(4.0, 5.0, 0.6, 2.0, 1.0)], 10, 8, 20, 16)[0];
    for (a, b) in [
        (r.row, 8.0),
        (r.col, 10.0),
        (r.phi, 0.6),
        (r.length1, 4.0),
        (r.length2, 2.0),
    ] {
        assert!((a - b).abs() < 1e-5, "{r:?}");
    }
    let r = scale_rotated_rects(&[rect(4.0, 5.0, PI / 2.0, 2.0, 1.0)], 10, 8, 25, 4)[0];
    for (a, b) in [
        (r.row, 2.0),
        (r.col, 12.5),
        (r.phi, PI / 2.0),
        (r.length1, 1.0),
        (r.length2, 2.5),
    ] {
        assert!((a - b).abs() < 1e-5, "{r:?}");
    }
}
