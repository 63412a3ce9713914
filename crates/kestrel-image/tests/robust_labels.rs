//! Robustness of the readers of a user's images in kestrel-image: label images (grey,
//! 16-bit, palette PNGs), masks and images (PNG, BMP, TIFF). Seeded random mutations of
//! small valid files and random bytes must give an error or a valid result: never a
//! panic, never more memory than [`peak_alloc::LIMIT`]; a header claiming a huge size is
//! refused quickly (see `kestrel-data/tests/common/mutate.rs`).

#[path = "../../kestrel-data/tests/common/mutate.rs"]
mod mutate;
#[path = "../../kestrel-data/tests/common/peak_alloc.rs"]
mod peak_alloc;

use std::io::Cursor;
use std::path::Path;

use kestrel_image::{ImageError, image_size, read_image, read_label_image, read_mask};
use mutate::for_mutations;
use peak_alloc::{PeakAlloc, assert_bounded, measure};

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Mutated cases per valid file.
const CASES: u64 = 120;

/// The bytes of `img` encoded as `format`.
fn encoded(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    img.write_to(&mut Cursor::new(&mut bytes), format).unwrap();
    bytes
}

/// A 5 x 3 palette PNG at 2 bits per pixel.
fn palette_png(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, width, height);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Two);
    enc.set_palette(vec![0u8; 12]);
    let mut w = enc.write_header().unwrap();
    let row = (width as usize).div_ceil(4);
    w.write_image_data(&vec![0b0110_1100; row * height as usize])
        .unwrap();
    w.finish().unwrap();
    bytes
}

/// Valid small files of every kind the readers meet.
fn valid_files() -> Vec<Vec<u8>> {
    use image::{DynamicImage as D, ImageFormat as F};
    let grey = image::GrayImage::from_fn(5, 3, |x, y| image::Luma([(x + y) as u8]));
    let grey16 = image::ImageBuffer::<image::Luma<u16>, Vec<u16>>::from_fn(5, 3, |x, _| {
        image::Luma([x as u16])
    });
    let rgb = image::RgbImage::from_fn(5, 3, |x, y| image::Rgb([x as u8, y as u8, 7]));
    vec![
        encoded(D::ImageLuma8(grey.clone()), F::Png),
        encoded(D::ImageLuma16(grey16), F::Png),
        encoded(D::ImageRgb8(rgb.clone()), F::Bmp),
        encoded(D::ImageLuma8(grey), F::Tiff),
        encoded(D::ImageRgb8(rgb), F::Jpeg),
        palette_png(5, 3),
    ]
}

#[test]
fn label_images_masks_and_images() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.png");
    let valid = valid_files();
    let valid: Vec<&[u8]> = valid.iter().map(Vec::as_slice).collect();
    for_mutations("image readers", &valid, CASES, |bytes| {
        std::fs::write(&path, bytes).unwrap();
        let (accepted, usage) = measure(|| {
            let label = read_label_image(&path);
            if let Ok(l) = &label {
                assert_eq!(l.data.len(), l.width as usize * l.height as usize);
            }
            let mask = read_mask(&path, 4, 4, 1);
            if let Ok(m) = &mask {
                assert_eq!(m.len(), 16);
            }
            let image = read_image(&path);
            let size = image_size(&path);
            if let (Ok(img), Ok(size)) = (&image, &size) {
                assert_eq!((img.width(), img.height()), *size);
            }
            label.is_ok() || image.is_ok()
        });
        assert_bounded("image readers", usage);
        accepted
    });
}

/// PNG bytes whose IHDR claims `width x height` in `colour` with an empty IDAT.
fn claimed_png(width: u32, height: u32, colour: png::ColorType) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, width, height);
    enc.set_color(colour);
    enc.set_depth(png::BitDepth::Eight);
    if colour == png::ColorType::Indexed {
        enc.set_palette(vec![0u8; 6]);
    }
    let mut writer = enc.write_header().unwrap();
    let empty_zlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    writer.write_chunk(png::chunk::IDAT, &empty_zlib).unwrap();
    drop(writer);
    bytes
}

#[test]
fn huge_headers_are_refused_quickly_without_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.png");
    for colour in [
        png::ColorType::Indexed,
        png::ColorType::Grayscale,
        png::ColorType::Rgb,
    ] {
        // 100000 x 100000: 10 GB at one byte per pixel.
        std::fs::write(&path, claimed_png(100_000, 100_000, colour)).unwrap();
        let start = std::time::Instant::now();
        let (results, usage) = measure(|| {
            [
                read_label_image(&path).map(drop),
                read_mask(&path, 4, 4, 1).map(drop),
                read_image(&path).map(drop),
            ]
        });
        for result in results {
            assert!(
                matches!(result, Err(ImageError::TooLarge { .. })),
                "{colour:?}: {result:?}"
            );
        }
        assert!(usage.peak < 16 << 20, "{colour:?}: {usage:?}");
        assert!(start.elapsed().as_secs() < 5);
    }
    let _ = Path::new(".");
}
