//! Fixtures shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

/// Writes a small valid grey PNG (creating parent folders).
pub fn write_png(path: &Path, width: u32, height: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::GrayImage::from_pixel(width, height, image::Luma([128]))
        .save_with_format(path, image::ImageFormat::Png)
        .unwrap();
}

/// Writes a small valid BMP (creating parent folders).
pub fn write_bmp(path: &Path) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::from_pixel(3, 2, image::Rgb([1, 2, 3]))
        .save_with_format(path, image::ImageFormat::Bmp)
        .unwrap();
}

/// Writes arbitrary bytes (creating parent folders).
pub fn write_bytes(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// Bytes of an unsigned-byte IDX file with the given dimensions and data.
pub fn idx_bytes(dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        out.extend_from_slice(&d.to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

/// Gzip-compresses `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// Writes an images + labels IDX pair of `n` images of `rows` x `cols`, pixel value
/// `(image index * 10 + pixel index) % 256`, label `i % classes`.
pub fn write_idx_pair(
    images: &Path,
    labels: &Path,
    n: u32,
    rows: u32,
    cols: u32,
    classes: u8,
    gz: bool,
) {
    let px = (rows * cols) as usize;
    let data: Vec<u8> = (0..n as usize * px)
        .map(|k| ((k / px) * 10 + k % px) as u8)
        .collect();
    let lab: Vec<u8> = (0..n).map(|i| (i % classes as u32) as u8).collect();
    let mut img = idx_bytes(&[n, rows, cols], &data);
    let mut lbl = idx_bytes(&[n], &lab);
    if gz {
        img = gzip(&img);
        lbl = gzip(&lbl);
    }
    write_bytes(images, &img);
    write_bytes(labels, &lbl);
}

/// Writes an 8-bit grey PNG with the given pixels (row-major; creating parent folders).
pub fn write_grey(path: &Path, width: u32, height: u32, pixels: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::GrayImage::from_raw(width, height, pixels.to_vec())
        .unwrap()
        .save_with_format(path, image::ImageFormat::Png)
        .unwrap();
}

/// Writes a small grey JPEG (creating parent folders).
pub fn write_jpg(path: &Path, width: u32, height: u32) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::GrayImage::from_pixel(width, height, image::Luma([90]))
        .save_with_format(path, image::ImageFormat::Jpeg)
        .unwrap();
}

/// Reads an 8-bit grey image's size and pixels.
pub fn read_grey(path: &Path) -> (u32, u32, Vec<u8>) {
    let img = image::open(path).unwrap();
    assert!(
        matches!(img, image::DynamicImage::ImageLuma8(_)),
        "{} is not 8-bit grey",
        path.display()
    );
    let img = img.into_luma8();
    (img.width(), img.height(), img.into_raw())
}

pub mod mutate;
pub mod peak_alloc;
