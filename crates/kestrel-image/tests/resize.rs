//! Channel conversion and resizing.

mod common;

use common::*;
use image::DynamicImage;
use kestrel_image::{load_resized, resize_dynamic};

#[test]
fn resize_gives_requested_dimensions_and_channels() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.png");
    rgb8(7, 5).save(&path).unwrap();
    for (w, h, c) in [(3, 2, 3), (16, 9, 1), (7, 5, 3), (1, 1, 1)] {
        let img = load_resized(&path, &params(w, h, c)).unwrap();
        assert_eq!((img.width, img.height, img.channels), (w, h, c));
        assert_eq!(img.data.len(), (w * h * c) as usize);
        assert!(img.data.iter().all(|v| (0.0..=1.0).contains(v)));
    }
}

#[test]
fn constant_image_stays_constant_when_resized() {
    let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        30,
        20,
        image::Rgb([10, 128, 250]),
    ));
    let out = resize_dynamic(&img, &params(11, 7, 3)).unwrap();
    for px in out.data.chunks_exact(3) {
        assert_eq!(px, [10.0 / 255.0, 128.0 / 255.0, 250.0 / 255.0]);
    }
}

#[test]
fn downscale_by_two_averages_blocks() {
    // Antialiased bilinear 2:1 reduction of a horizontal ramp: each output pixel is a
    // weighted mean of neighbouring inputs, so it lies between the block's extremes and
    // the ramp stays monotonic.
    let img = DynamicImage::ImageLuma8(image::GrayImage::from_fn(8, 2, |x, _| {
        image::Luma([(x * 30) as u8])
    }));
    let out = resize_dynamic(&img, &params(4, 1, 1)).unwrap();
    for w in out.data.windows(2) {
        assert!(w[0] < w[1], "{:?}", out.data);
    }
    assert_close(out.data[1], 75.0 / 255.0, 16.0 / 255.0, "block 1");
}

#[test]
fn sixteen_bit_precision_survives_resizing() {
    // A constant below 8-bit resolution (1000/65535 ≈ 3.9/255) must not be quantized to
    // 8 bits.
    let img = DynamicImage::ImageLuma16(image::ImageBuffer::from_pixel(
        20,
        20,
        image::Luma([1000u16]),
    ));
    let out = resize_dynamic(&img, &params(9, 9, 1)).unwrap();
    for v in &out.data {
        assert_close(*v, 1000.0 / 65535.0, 1.0 / 65535.0, "16-bit");
    }
    let rgb = DynamicImage::ImageRgb16(image::ImageBuffer::from_pixel(
        20,
        20,
        image::Rgb([1000u16, 30001, 65535]),
    ));
    let out = resize_dynamic(&rgb, &params(9, 5, 3)).unwrap();
    for px in out.data.chunks_exact(3) {
        assert_close(px[0], 1000.0 / 65535.0, 1.0 / 65535.0, "r");
        assert_close(px[1], 30001.0 / 65535.0, 1.0 / 65535.0, "g");
        assert_close(px[2], 1.0, 1.0 / 65535.0, "b");
    }
}

#[test]
fn grey_is_replicated_to_rgb() {
    let g = grey8(4, 3);
    let out = resize_dynamic(&DynamicImage::ImageLuma8(g.clone()), &params(4, 3, 3)).unwrap();
    for (x, y, p) in g.enumerate_pixels() {
        let want = f32::from(p.0[0]) / 255.0;
        for c in 0..3 {
            assert_eq!(out.get(x, y, c).unwrap(), want);
        }
    }
}

#[test]
fn rgb_to_grey_uses_luminance() {
    let cases: [([u8; 3], f32); 4] = [
        ([255, 0, 0], 0.2126),
        ([0, 255, 0], 0.7152),
        ([0, 0, 255], 0.0722),
        ([100, 100, 100], 100.0 / 255.0),
    ];
    for (rgb, want) in cases {
        let img = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(2, 2, image::Rgb(rgb)));
        let out = resize_dynamic(&img, &params(2, 2, 1)).unwrap();
        for v in &out.data {
            assert_close(*v, want, 1.0 / 255.0, &format!("{rgb:?}"));
        }
    }
}
