//! `validate` decodes every file completely: truncated or corrupt images and depth images
//! are reported, each naming its sample, file and field, and the good ones are not.

mod common;

use std::path::Path;

use common::write_bytes;
use kestrel_data::{Dataset, Problem, Sample, validate};

/// A `w x h` RGB image whose pixels vary, so its compressed data is not trivial.
fn pattern(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 7) as u8, (y * 5) as u8, (x * y % 251) as u8])
    })
}

/// The bytes of `img` encoded as `format`.
fn encoded(img: &image::RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    img.write_to(&mut bytes, format).unwrap();
    bytes.into_inner()
}

/// A JPEG's bytes up to the end of its start-of-scan header (everything a header reader
/// needs), followed by bytes that are no entropy-coded data.
fn jpeg_with_garbage(jpeg: &[u8]) -> Vec<u8> {
    let sos = jpeg.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
    let len = usize::from(u16::from_be_bytes([jpeg[sos + 2], jpeg[sos + 3]]));
    let mut bytes = jpeg[..sos + 2 + len].to_vec();
    let mut state = 12345u32;
    bytes.extend((0..2000).map(|_| {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        (state >> 16) as u8
    }));
    bytes
}

/// A sample `index` with image id `100 + index`.
fn sample(index: u64, file: &str) -> Sample {
    Sample {
        image_id: 100 + index,
        image_file_name: file.into(),
        image_label_id: Some(0),
        ..Default::default()
    }
}

/// A one-class dataset of `samples` whose files lie in `root/img`.
fn dataset(root: &Path, samples: Vec<Sample>) -> Dataset {
    Dataset {
        class_names: vec!["a".into()],
        class_ids: vec![0],
        image_dir: "img".into(),
        samples,
        base_dir: root.to_path_buf(),
        ..Default::default()
    }
}

/// The problems of sample `index`.
fn of(problems: &[Problem], index: usize) -> Vec<&Problem> {
    problems
        .iter()
        .filter(|p| p.sample_index == Some(index))
        .collect()
}

#[test]
fn truncated_and_corrupt_images_are_reported_and_good_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("img");
    let png = encoded(&pattern(64, 48), image::ImageFormat::Png);
    let jpeg = encoded(&pattern(64, 48), image::ImageFormat::Jpeg);
    write_bytes(&img.join("good.png"), &png);
    write_bytes(&img.join("truncated.png"), &png[..png.len() / 2]);
    write_bytes(&img.join("good.jpg"), &jpeg);
    write_bytes(&img.join("garbage.jpg"), &jpeg_with_garbage(&jpeg));
    write_bytes(&img.join("cut.jpg"), &jpeg[..jpeg.len() / 2]);
    let names = [
        "good.png",
        "truncated.png",
        "good.jpg",
        "garbage.jpg",
        "cut.jpg",
    ];
    let samples = (0..).zip(names).map(|(i, f)| sample(i, f)).collect();
    let report = validate(&dataset(dir.path(), samples));
    let text = report.to_string();
    for good in [0, 2] {
        assert!(of(&report.problems, good).is_empty(), "{text}");
    }
    for bad in [1, 3, 4] {
        let found = of(&report.problems, bad);
        assert_eq!(found.len(), 1, "{text}");
        let p = found[0];
        assert_eq!(p.field, "image_file_name", "{text}");
        assert_eq!(p.image_id, Some(100 + bad as u64));
        assert_eq!(p.file, Some(img.join(names[bad])));
        assert!(p.message.starts_with("cannot decode image: "), "{text}");
        let line = p.to_string();
        assert!(
            line.starts_with(&format!("sample {bad} (image_id {}, file ", 100 + bad)),
            "{line}"
        );
        assert!(line.contains(names[bad]), "{line}");
    }
    assert_eq!(report.problems.len(), 3, "{text}");
}

#[test]
fn a_huge_header_is_refused_before_decoding() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("img/huge.png");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let file = std::fs::File::create(&path).unwrap();
    let mut encoder = png::Encoder::new(file, 100_000, 100_000);
    encoder.set_color(png::ColorType::Rgb);
    let mut writer = encoder.write_header().unwrap();
    let empty_zlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    writer.write_chunk(png::chunk::IDAT, &empty_zlib).unwrap();
    drop(writer);
    let report = validate(&dataset(dir.path(), vec![sample(0, "huge.png")]));
    assert_eq!(report.problems.len(), 1, "{report}");
    let message = &report.problems[0].message;
    assert!(
        message.starts_with("image too large: 100000 x 100000"),
        "{message}"
    );
}

/// A 16-bit grey PNG depth image of `w x h` pixels, as bytes.
fn depth_png(w: u32, h: u32) -> Vec<u8> {
    let depth = image::ImageBuffer::<image::Luma<u16>, _>::from_fn(w, h, |x, y| {
        image::Luma([(500 + x * 3 + y * 11) as u16])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    depth.write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// A float32 grey TIFF depth image of `w x h` pixels, as bytes, its data compressed as
/// `compression` says.
fn depth_tiff(w: u32, h: u32, compression: tiff::encoder::Compression) -> Vec<u8> {
    let values: Vec<f32> = (0..w * h).map(|i| 0.5 + i as f32 * 1e-4).collect();
    let mut bytes = std::io::Cursor::new(Vec::new());
    tiff::encoder::TiffEncoder::new(&mut bytes)
        .unwrap()
        .with_compression(compression)
        .write_image::<tiff::encoder::colortype::Gray32Float>(w, h, &values)
        .unwrap();
    bytes.into_inner()
}

/// A deflate-compressed TIFF depth image whose directory is intact but whose compressed
/// data (after the 8-byte file header and the 2-byte zlib header) is overwritten.
fn corrupt_depth_tiff(w: u32, h: u32) -> Vec<u8> {
    let deflate = tiff::encoder::Compression::Deflate(Default::default());
    let mut bytes = depth_tiff(w, h, deflate);
    bytes[10..40].fill(0xFF);
    bytes
}

#[test]
fn truncated_depth_images_are_reported_and_good_ones_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let img = dir.path().join("img");
    let png = depth_png(64, 48);
    let tiff = depth_tiff(64, 48, tiff::encoder::Compression::Uncompressed);
    write_bytes(
        &img.join("rgb.png"),
        &encoded(&pattern(64, 48), image::ImageFormat::Png),
    );
    write_bytes(&img.join("good_d.png"), &png);
    write_bytes(&img.join("cut_d.png"), &png[..png.len() * 2 / 3]);
    write_bytes(&img.join("good_d.tif"), &tiff);
    write_bytes(&img.join("cut_d.tif"), &tiff[..tiff.len() / 2]);
    write_bytes(&img.join("corrupt_d.tif"), &corrupt_depth_tiff(64, 48));
    let depths = [
        "good_d.png",
        "cut_d.png",
        "good_d.tif",
        "cut_d.tif",
        "corrupt_d.tif",
    ];
    let samples = (0..)
        .zip(depths)
        .map(|(i, depth)| Sample {
            depth_file_name: Some(depth.into()),
            cam_k: Some([500.0, 0.0, 32.0, 0.0, 500.0, 24.0, 0.0, 0.0, 1.0]),
            ..sample(i, "rgb.png")
        })
        .collect();
    let report = validate(&dataset(dir.path(), samples));
    let text = report.to_string();
    for good in [0, 2] {
        assert!(of(&report.problems, good).is_empty(), "{text}");
    }
    for bad in [1, 3, 4] {
        let found = of(&report.problems, bad);
        assert_eq!(found.len(), 1, "{text}");
        assert_eq!(found[0].field, "depth_file_name", "{text}");
        assert_eq!(found[0].file, Some(img.join(depths[bad])));
        assert!(
            found[0].message.starts_with("cannot decode depth image"),
            "{text}"
        );
    }
    // The corrupt data is found only by decoding it, past a readable header.
    assert!(
        of(&report.problems, 4)[0]
            .message
            .starts_with("cannot decode depth image: "),
        "{text}"
    );
    assert_eq!(report.problems.len(), 3, "{text}");
}
