//! Images whose header claims more pixels than the limit are refused before decoding,
//! with an error naming the file and the size.

use kestrel_image::{ImageError, image_size, read_image};
use std::path::Path;

/// A PNG whose IHDR chunk claims `width x height`, with one IDAT chunk of an empty zlib
/// stream (so no pixel data).
fn claimed_png(path: &Path, width: u32, height: u32) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(file, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let empty_zlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    writer.write_chunk(png::chunk::IDAT, &empty_zlib).unwrap();
    drop(writer);
}

#[test]
fn a_huge_claimed_size_is_refused_before_decoding() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("huge.png");
    claimed_png(&path, 100_000, 100_000);
    for result in [image_size(&path).map(|_| ()), read_image(&path).map(|_| ())] {
        match result {
            Err(ImageError::TooLarge { path: p, message }) => {
                assert_eq!(p, path);
                assert!(message.contains("100000 x 100000"), "{message}");
            }
            other => panic!("expected TooLarge, got {other:?}"),
        }
    }
    // An ordinary size passes the header check (and then fails for the missing data).
    let small = tmp.path().join("small.png");
    claimed_png(&small, 64, 48);
    assert_eq!(image_size(&small).unwrap(), (64, 48));
    assert!(matches!(read_image(&small), Err(ImageError::Decode { .. })));
}

#[test]
fn a_palette_label_image_with_a_huge_claimed_size_is_refused_before_decoding() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("labels.png");
    let file = std::fs::File::create(&path).unwrap();
    let mut encoder = png::Encoder::new(file, 100_000, 100_000);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(vec![0u8; 6]);
    let mut writer = encoder.write_header().unwrap();
    let empty_zlib = [0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    writer.write_chunk(png::chunk::IDAT, &empty_zlib).unwrap();
    drop(writer);
    // Before: the palette reader allocated the 10 GB its header claims.
    match kestrel_image::read_label_image(&path) {
        Err(ImageError::TooLarge { path: p, message }) => {
            assert_eq!(p, path);
            assert!(message.contains("100000 x 100000"), "{message}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}
