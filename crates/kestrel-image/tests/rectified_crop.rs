//! Upright crops of rotated rectangles: the corner convention, content, edge clamping
//! and degenerate inputs.

use image::{Rgb, RgbImage};
use kestrel_image::{ImageError, RotatedRect, rectified_crop};

fn rect(col: f32, row: f32, phi_deg: f32, length1: f32, length2: f32) -> RotatedRect {
    RotatedRect {
        row,
        col,
        phi: phi_deg.to_radians(),
        length1,
        length2,
    }
}

/// An image whose red channel is the column and green channel the row: bilinear sampling
/// of it returns the sampled position (minus the half-pixel offset of the centres).
fn coordinates(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| Rgb([x as u8, y as u8, 0]))
}

#[test]
fn crop_corners_follow_rotated_box_corners() {
    let img = coordinates(200, 200);
    for (deg, l1, l2) in [(0.0, 30.0, 10.0), (30.0, 30.0, 10.0), (-70.0, 25.5, 7.25)] {
        let r = rect(100.0, 90.0, deg, l1, l2);
        let crop = rectified_crop(&img, &r).unwrap();
        let (cw, ch) = ((2.0 * l1).round() as u32, (2.0 * l2).round() as u32);
        assert_eq!(crop.dimensions(), (cw, ch));
        // Crop top-left, top-right and bottom-left are corners 2, 3 and 1.
        let c = r.corners();
        let (origin, right, down) = (c[2], c[3], c[1]);
        for (i, j) in [
            (0, 0),
            (cw - 1, 0),
            (0, ch - 1),
            (cw - 1, ch - 1),
            (cw / 2, ch / 3),
        ] {
            let (s, t) = ((i as f32 + 0.5) / cw as f32, (j as f32 + 0.5) / ch as f32);
            let x = origin.0 + s * (right.0 - origin.0) + t * (down.0 - origin.0);
            let y = origin.1 + s * (right.1 - origin.1) + t * (down.1 - origin.1);
            let p = crop.get_pixel(i, j).0;
            assert!(
                (f32::from(p[0]) - (x - 0.5)).abs() <= 0.51
                    && (f32::from(p[1]) - (y - 0.5)).abs() <= 0.51,
                "{deg} deg, crop ({i}, {j}): sampled {p:?}, expected ({x}, {y})"
            );
        }
    }
}

#[test]
fn a_rotated_bar_comes_out_upright() {
    let (bar, phi) = (rect(100.0, 100.0, 20.0, 40.0, 6.0), 20f32.to_radians());
    let (sin, cos) = phi.sin_cos();
    // Dark background, a bright bar, and a red mark at the bar's start (reading order).
    let img = RgbImage::from_fn(200, 200, |x, y| {
        let (dx, dy) = (x as f32 + 0.5 - bar.col, y as f32 + 0.5 - bar.row);
        let (u, v) = (dx * cos - dy * sin, dx * sin + dy * cos);
        if u.abs() < bar.length1 && v.abs() < bar.length2 {
            if u < -30.0 {
                Rgb([250, 0, 0])
            } else {
                Rgb([220, 220, 220])
            }
        } else {
            Rgb([30, 30, 30])
        }
    });
    let crop = rectified_crop(&img, &rect(100.0, 100.0, 20.0, 50.0, 15.0)).unwrap();
    assert_eq!(crop.dimensions(), (100, 30));
    let mean = |x0: u32, x1: u32, y0: u32, y1: u32, c: usize| {
        let mut sum = 0.0;
        for y in y0..y1 {
            for x in x0..x1 {
                sum += f64::from(crop.get_pixel(x, y).0[c]);
            }
        }
        sum / f64::from((x1 - x0) * (y1 - y0))
    };
    // The bar fills columns 10..90 and rows 9..21 of the crop.
    assert!(
        mean(25, 85, 11, 19, 1) > 200.0,
        "{}",
        mean(25, 85, 11, 19, 1)
    );
    assert!(mean(0, 100, 0, 6, 1) < 40.0);
    assert!(mean(0, 100, 24, 30, 1) < 40.0);
    assert!(mean(0, 7, 0, 30, 1) < 40.0);
    assert!(mean(93, 100, 0, 30, 1) < 40.0);
    // The red start is on the left.
    assert!(mean(12, 19, 11, 19, 0) > 200.0 && mean(12, 19, 11, 19, 1) < 40.0);
    assert!(mean(80, 88, 11, 19, 0) < 230.0 && mean(80, 88, 11, 19, 1) > 200.0);
}

#[test]
fn outside_the_image_the_edge_pixels_repeat() {
    let img = RgbImage::from_fn(20, 10, |x, y| Rgb([10 * x as u8, 20 * y as u8, 7]));
    // Entirely above-left of the image: every pixel is the corner pixel.
    let crop = rectified_crop(&img, &rect(-30.0, -30.0, 10.0, 5.0, 3.0)).unwrap();
    assert!(crop.pixels().all(|p| p.0 == [0, 0, 7]));
    // Straddling the right edge: the outside part repeats the last column.
    let crop = rectified_crop(&img, &rect(20.0, 5.5, 0.0, 4.0, 0.5)).unwrap();
    assert_eq!(crop.dimensions(), (8, 1));
    let reds: Vec<u8> = crop.pixels().map(|p| p.0[0]).collect();
    assert_eq!(reds, vec![160, 170, 180, 190, 190, 190, 190, 190]);
}

#[test]
fn tall_crops_are_not_turned() {
    let img = coordinates(100, 100);
    let crop = rectified_crop(&img, &rect(50.0, 50.0, 0.0, 5.0, 20.0)).unwrap();
    assert_eq!(crop.dimensions(), (10, 40));
    // Top-left samples the rectangle's top-left: column 45.5, row 30.5.
    assert_eq!(crop.get_pixel(0, 0).0, [45, 30, 0]);
}

#[test]
fn degenerate_inputs_are_errors_or_tiny_crops() {
    let img = coordinates(10, 10);
    assert!(matches!(
        rectified_crop(&RgbImage::new(0, 5), &rect(1.0, 1.0, 0.0, 2.0, 2.0)),
        Err(ImageError::InvalidInput(_))
    ));
    for bad in [
        rect(f32::NAN, 1.0, 0.0, 2.0, 2.0),
        rect(1.0, 1.0, 0.0, -2.0, 2.0),
        rect(1.0, 1.0, 0.0, f32::INFINITY, 2.0),
        rect(1.0, 1.0, 0.0, 1e9, 2.0),
    ] {
        assert!(matches!(
            rectified_crop(&img, &bad),
            Err(ImageError::InvalidInput(_))
        ));
    }
    let crop = rectified_crop(&img, &rect(3.5, 4.5, 0.0, 0.0, 0.1)).unwrap();
    assert_eq!(crop.dimensions(), (1, 1));
    assert_eq!(crop.get_pixel(0, 0).0, [3, 4, 0]);
}
