//! Label images and masks: reading (grey, 16-bit, palette, RGB), nearest resizing aligned
//! with image resizing, masks at a model's size, atomic writing.

mod common;

use std::path::Path;

use image::{ImageBuffer, Luma, Rgb};
use kestrel_image::{
    ImageError, LabelImage, load_resized, read_label_image, read_mask, write_label_png,
};

fn labels_4x3() -> LabelImage {
    LabelImage {
        width: 4,
        height: 3,
        data: vec![0, 1, 2, 3, 10, 11, 12, 13, 200, 201, 202, 255],
    }
}

/// Names of the files in `dir`.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn write_then_read_round_trips_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("labels.png");
    let labels = labels_4x3();
    write_label_png(&path, &labels).unwrap();
    assert_eq!(read_label_image(&path).unwrap(), labels);
    // Overwriting works too.
    let zeros = LabelImage::zeros(4, 3);
    write_label_png(&path, &zeros).unwrap();
    assert_eq!(read_label_image(&path).unwrap(), zeros);
    assert_eq!(files_in(dir.path()), ["labels.png"]);
    // The file is a plain 8-bit grey PNG.
    let img = image::open(&path).unwrap();
    assert_eq!(img.color(), image::ColorType::L8);
}

#[test]
fn writing_bad_label_images_fails_with_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.png");
    let short = LabelImage {
        width: 4,
        height: 3,
        data: vec![0; 5],
    };
    let err = write_label_png(&path, &short).unwrap_err();
    assert!(matches!(err, ImageError::InvalidLabels { .. }), "{err}");
    assert!(err.to_string().contains("bad.png"));
    let err = write_label_png(&path, &LabelImage::zeros(0, 3)).unwrap_err();
    assert!(matches!(err, ImageError::EmptyImage { .. }), "{err}");
    // A folder on the way that is a file: nothing is written.
    let blocker = dir.path().join("blocker");
    std::fs::write(&blocker, b"").unwrap();
    let err = write_label_png(&blocker.join("labels.png"), &labels_4x3()).unwrap_err();
    assert!(matches!(err, ImageError::Io { .. }), "{err}");
    assert_eq!(files_in(dir.path()), ["blocker"]);
}

#[test]
fn sixteen_bit_grey_values_are_class_ids_up_to_255() {
    let dir = tempfile::tempdir().unwrap();
    let ok = dir.path().join("ok.png");
    ImageBuffer::from_fn(3, 2, |x, y| Luma([(x + 3 * y) as u16 * 40]))
        .save(&ok)
        .unwrap();
    let labels = read_label_image(&ok).unwrap();
    assert_eq!(labels.data, [0, 40, 80, 120, 160, 200]);
    let too_big = dir.path().join("big.png");
    ImageBuffer::from_fn(2, 1, |x, _| Luma([x as u16 * 300]))
        .save(&too_big)
        .unwrap();
    let err = read_label_image(&too_big).unwrap_err();
    assert!(matches!(err, ImageError::InvalidLabels { .. }), "{err}");
    assert!(err.to_string().contains("big.png") && err.to_string().contains("300"));
}

/// Writes a palette PNG of `width x height` whose pixel indices are `indices` (one per
/// pixel) at `bits` bits per pixel.
fn write_palette_png(path: &Path, width: u32, height: u32, bits: u8, indices: &[u8]) {
    let per_byte = 8 / bits as usize;
    let row_bytes = (width as usize).div_ceil(per_byte);
    let mut packed = vec![0u8; row_bytes * height as usize];
    for (i, &v) in indices.iter().enumerate() {
        let (x, y) = (i % width as usize, i / width as usize);
        let shift = 8 - bits as usize * (x % per_byte + 1);
        packed[y * row_bytes + x / per_byte] |= v << shift;
    }
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::from_u8(bits).unwrap());
    // Colours unrelated to the indices (index 1 is bright, index 2 dark).
    let mut palette = vec![0u8; 3 << bits];
    palette[3..6].copy_from_slice(&[250, 250, 250]);
    if bits > 1 {
        palette[6..9].copy_from_slice(&[128, 0, 0]);
    }
    enc.set_palette(palette);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&packed).unwrap();
    w.finish().unwrap();
}

#[test]
fn palette_pngs_give_their_indices() {
    let dir = tempfile::tempdir().unwrap();
    for bits in [1u8, 2, 4, 8] {
        let path = dir.path().join(format!("p{bits}.png"));
        let max = (1u16 << bits) - 1;
        // 5 x 3: odd width exercises the padding at the end of packed rows.
        let indices: Vec<u8> = (0..15u16).map(|i| ((i * 7) % (max + 1)) as u8).collect();
        write_palette_png(&path, 5, 3, bits, &indices);
        let labels = read_label_image(&path).unwrap();
        assert_eq!((labels.width, labels.height), (5, 3), "{bits} bits");
        assert_eq!(labels.data, indices, "{bits} bits");
    }
}

#[test]
fn rgb_grey_is_read_exactly_and_colour_by_luminance() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rgb.png");
    ImageBuffer::from_fn(4, 1, |x, _| Rgb([x as u8 * 3; 3]))
        .save(&path)
        .unwrap();
    assert_eq!(read_label_image(&path).unwrap().data, [0, 3, 6, 9]);
    let colour = dir.path().join("colour.png");
    ImageBuffer::from_fn(1, 1, |_, _| Rgb([255u8, 0, 0]))
        .save(&colour)
        .unwrap();
    // Rec. 709 luminance of pure red: 0.2126 * 255.
    assert_eq!(read_label_image(&colour).unwrap().data, [54]);
}

#[test]
fn missing_and_corrupt_files_are_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.png");
    let err = read_label_image(&missing).unwrap_err();
    assert!(matches!(err, ImageError::Io { .. }));
    assert!(err.to_string().contains("missing.png"));
    let corrupt = dir.path().join("corrupt.png");
    std::fs::write(
        &corrupt,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x02\0\0\0\x02\x08\x03garbage",
    )
    .unwrap();
    let err = read_label_image(&corrupt).unwrap_err();
    assert!(matches!(err, ImageError::Decode { .. }), "{err}");
    assert!(err.to_string().contains("corrupt.png"));
    let err = read_mask(&missing, 4, 4, 128).unwrap_err();
    assert!(err.to_string().contains("missing.png"));
}

#[test]
fn resize_nearest_uses_pixel_centres() {
    let labels = labels_4x3();
    assert_eq!(labels.resize_nearest(4, 3), labels);
    // 4 -> 2 columns: centres 0.5, 1.5 of the target land on source columns 1, 3.
    // 3 -> 1 row: the centre lands on row 1.
    assert_eq!(labels.resize_nearest(2, 1).data, [11, 13]);
    // Upscaling repeats pixels.
    let up = labels.resize_nearest(8, 6);
    assert_eq!(up.data[..8], [0, 0, 1, 1, 2, 2, 3, 3]);
    assert_eq!(up.data[8..16], up.data[..8]);
    assert_eq!(up.get(7, 5), Some(255));
    // Degenerate inputs do not panic.
    assert_eq!(labels.resize_nearest(0, 5).data.len(), 0);
    assert_eq!(LabelImage::zeros(0, 0).resize_nearest(2, 2).data, [0; 4]);
    let short = LabelImage {
        width: 2,
        height: 2,
        data: vec![9],
    };
    assert_eq!(short.resize_nearest(2, 2).data, [9, 0, 0, 0]);
}

#[test]
fn resized_labels_stay_aligned_with_the_resized_image() {
    // Vertical stripes 10 pixels wide alternating black/white, 80 x 10; labels carry the
    // stripe index. After resizing both to 32 x 4 (factor 2.5), every output pixel whose
    // image value is pure black or white must carry a label of that colour's stripes.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("stripes.png");
    let stripe = |x: u32| x / 10;
    ImageBuffer::from_fn(80, 10, |x, _| {
        Luma([if stripe(x) % 2 == 0 { 0u8 } else { 255 }])
    })
    .save(&path)
    .unwrap();
    let labels = LabelImage {
        width: 80,
        height: 10,
        data: (0..800).map(|i| stripe(i % 80) as u8).collect(),
    };
    let img = load_resized(&path, &common::params(32, 4, 1)).unwrap();
    let small = labels.resize_nearest(32, 4);
    let mut pure = 0;
    for y in 0..4 {
        for x in 0..32 {
            let v = img.get(x, y, 0).unwrap();
            let l = small.get(x, y).unwrap();
            if v < 0.01 {
                assert_eq!(l % 2, 0, "({x}, {y}) black but label {l}");
                pure += 1;
            } else if v > 0.99 {
                assert_eq!(l % 2, 1, "({x}, {y}) white but label {l}");
                pure += 1;
            }
        }
    }
    assert!(pure >= 32, "only {pure} pure pixels");
}

#[test]
fn masks_are_thresholded_at_the_requested_size() {
    let dir = tempfile::tempdir().unwrap();
    // 8 x 8 mask, defect in the 4 x 4 block at (4..8, 0..4).
    let grey = dir.path().join("mask.png");
    ImageBuffer::from_fn(8, 8, |x, y| Luma([if x >= 4 && y < 4 { 255u8 } else { 0 }]))
        .save(&grey)
        .unwrap();
    let mask = read_mask(&grey, 4, 4, 128).unwrap();
    let expected: Vec<bool> = (0..16).map(|i| i % 4 >= 2 && i / 4 < 2).collect();
    assert_eq!(mask, expected);
    // RGB masks work the same; threshold 0 accepts everything.
    let rgb = dir.path().join("mask_rgb.png");
    ImageBuffer::from_fn(8, 8, |x, y| {
        Rgb([if x >= 4 && y < 4 { 255u8 } else { 0 }; 3])
    })
    .save(&rgb)
    .unwrap();
    assert_eq!(read_mask(&rgb, 4, 4, 1).unwrap(), expected);
    assert!(read_mask(&rgb, 4, 4, 0).unwrap().iter().all(|&b| b));
    // Upscaled.
    let big = read_mask(&grey, 16, 16, 128).unwrap();
    assert_eq!(big.iter().filter(|&&b| b).count(), 64);
    assert!(big[8] && !big[7] && !big[8 * 16 + 8]);
    let err = read_mask(&grey, 0, 4, 128).unwrap_err();
    assert!(matches!(err, ImageError::InvalidParams(_)));
}
