//! Every supported file format and bit depth decodes to the expected `[0, 1]` values.

mod common;

use std::path::Path;

use common::*;
use kestrel_image::{ImageError, ImageF32, load_resized, read_image};

/// Loads at native size (no resampling) so values are exact.
fn load_native(path: &Path, w: u32, h: u32, c: u32) -> ImageF32 {
    load_resized(path, &params(w, h, c)).expect("load")
}

#[test]
fn lossless_8bit_grey_in_png_bmp_tiff() {
    let dir = tempfile::tempdir().unwrap();
    let src = grey8(5, 4);
    for ext in ["png", "bmp", "tiff"] {
        let path = dir.path().join(format!("g8.{ext}"));
        src.save(&path).unwrap();
        let dynimg = read_image(&path).unwrap();
        assert_eq!((dynimg.width(), dynimg.height()), (5, 4), "{ext}");
        let img = load_native(&path, 5, 4, 1);
        for (x, y, p) in src.enumerate_pixels() {
            assert_eq!(
                img.get(x, y, 0).unwrap(),
                f32::from(p.0[0]) / 255.0,
                "{ext} ({x},{y})"
            );
        }
    }
}

#[test]
fn lossless_8bit_rgb_in_png_bmp_tiff() {
    let dir = tempfile::tempdir().unwrap();
    let src = rgb8(6, 3);
    for ext in ["png", "bmp", "tiff"] {
        let path = dir.path().join(format!("c8.{ext}"));
        src.save(&path).unwrap();
        let img = load_native(&path, 6, 3, 3);
        assert_eq!(img.channels, 3);
        for (x, y, p) in src.enumerate_pixels() {
            for c in 0..3 {
                let want = f32::from(p.0[c as usize]) / 255.0;
                assert_eq!(img.get(x, y, c).unwrap(), want, "{ext} ({x},{y},{c})");
            }
        }
    }
}

#[test]
fn sixteen_bit_grey_and_rgb_in_png_and_tiff_keep_full_precision() {
    let dir = tempfile::tempdir().unwrap();
    for ext in ["png", "tiff"] {
        let gpath = dir.path().join(format!("g16.{ext}"));
        let g = grey16(4, 3);
        g.save(&gpath).unwrap();
        assert!(matches!(
            read_image(&gpath).unwrap(),
            image::DynamicImage::ImageLuma16(_)
        ));
        let img = load_native(&gpath, 4, 3, 1);
        for (x, y, p) in g.enumerate_pixels() {
            assert_eq!(
                img.get(x, y, 0).unwrap(),
                f32::from(p.0[0]) / 65535.0,
                "{ext}"
            );
        }
        let cpath = dir.path().join(format!("c16.{ext}"));
        let c = rgb16(4, 3);
        c.save(&cpath).unwrap();
        let img = load_native(&cpath, 4, 3, 3);
        for (x, y, p) in c.enumerate_pixels() {
            for ch in 0..3 {
                let want = f32::from(p.0[ch as usize]) / 65535.0;
                assert_eq!(img.get(x, y, ch).unwrap(), want, "{ext} ({x},{y},{ch})");
            }
        }
    }
}

#[test]
fn jpeg_grey_and_rgb_decode_close_to_source() {
    let dir = tempfile::tempdir().unwrap();
    // Flat colours survive JPEG almost exactly.
    let grey = image::GrayImage::from_pixel(16, 16, image::Luma([77]));
    let gpath = dir.path().join("g.jpg");
    grey.save(&gpath).unwrap();
    let img = load_native(&gpath, 16, 16, 1);
    for v in &img.data {
        assert_close(*v, 77.0 / 255.0, 2.0 / 255.0, "grey jpeg");
    }
    let rgb = image::RgbImage::from_pixel(16, 16, image::Rgb([200, 40, 90]));
    let cpath = dir.path().join("c.jpeg");
    rgb.save(&cpath).unwrap();
    let img = load_native(&cpath, 16, 16, 3);
    for px in img.data.chunks_exact(3) {
        for (v, want) in px.iter().zip([200.0, 40.0, 90.0]) {
            assert_close(*v, want / 255.0, 4.0 / 255.0, "rgb jpeg");
        }
    }
}

#[test]
fn alpha_is_dropped_for_grey_alpha_and_rgba() {
    let dir = tempfile::tempdir().unwrap();
    let ga = grey_alpha8(4, 2);
    let path = dir.path().join("ga.png");
    ga.save(&path).unwrap();
    let img = load_native(&path, 4, 2, 1);
    for (x, y, p) in ga.enumerate_pixels() {
        assert_eq!(img.get(x, y, 0).unwrap(), f32::from(p.0[0]) / 255.0);
    }
    let rgba = rgba8(3, 3);
    for ext in ["png", "tiff"] {
        let path = dir.path().join(format!("rgba.{ext}"));
        rgba.save(&path).unwrap();
        let img = load_native(&path, 3, 3, 3);
        for (x, y, p) in rgba.enumerate_pixels() {
            for c in 0..3 {
                assert_eq!(
                    img.get(x, y, c).unwrap(),
                    f32::from(p.0[c as usize]) / 255.0
                );
            }
        }
    }
    let rgba16 = rgba16(3, 2);
    let path = dir.path().join("rgba16.png");
    rgba16.save(&path).unwrap();
    let img = load_native(&path, 3, 2, 3);
    for (x, y, p) in rgba16.enumerate_pixels() {
        for c in 0..3 {
            assert_eq!(
                img.get(x, y, c).unwrap(),
                f32::from(p.0[c as usize]) / 65535.0
            );
        }
    }
}

#[test]
fn format_is_detected_from_content_not_extension() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("a.png");
    grey8(3, 3).save(&png).unwrap();
    let misnamed = dir.path().join("a.jpg");
    std::fs::copy(&png, &misnamed).unwrap();
    assert_eq!(load_native(&misnamed, 3, 3, 1), load_native(&png, 3, 3, 1));
}

#[test]
fn errors_name_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.png");
    let err = read_image(&missing).unwrap_err();
    assert!(matches!(err, ImageError::Io { .. }));
    assert!(err.to_string().contains("missing.png"), "{err}");

    let garbage = dir.path().join("garbage.png");
    std::fs::write(&garbage, b"definitely not an image").unwrap();
    let err = load_resized(&garbage, &params(4, 4, 3)).unwrap_err();
    assert!(matches!(err, ImageError::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("garbage.png"), "{err}");

    let ok = dir.path().join("ok.png");
    grey8(2, 2).save(&ok).unwrap();
    for bad in [params(0, 4, 3), params(4, 4, 2)] {
        let err = load_resized(&ok, &bad).unwrap_err();
        assert!(matches!(err, ImageError::InvalidParams(_)), "{err:?}");
    }
}
