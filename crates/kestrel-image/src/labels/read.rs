//! Reading label images and binary masks.

use std::io::Cursor;
use std::path::Path;

use image::DynamicImage;
use image::error::{DecodingError, ImageFormatHint};

use crate::decode::{decode_bytes, size_within_limit};
use crate::{ImageError, LabelImage};

/// PNG file signature.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
/// Colour type of palette PNGs in the IHDR chunk.
const PNG_INDEXED: u8 = 3;

/// Reads a label image: one class id per pixel.
///
/// - 8-bit grey images (PNG, TIFF, BMP): the grey value is the class id.
/// - Palette (indexed) PNGs, the usual format of segmentation labels (Pascal VOC style): the
///   palette index is the class id; the palette's colours are ignored.
/// - 16-bit grey images: the value is the class id; values above 255 are an
///   [`ImageError::InvalidLabels`] error (they cannot be class ids of a [`LabelImage`]).
/// - Anything else (RGB, grey with alpha, JPEG…) is converted to 8-bit luminance
///   (Rec. 709 weights, alpha dropped) and that value is the class id. Grey stored as RGB
///   keeps its values exactly; colour-coded labels do not map to meaningful ids this way
///   and must be converted to ids beforehand. JPEG's lossy compression corrupts ids, so
///   label images should be PNG.
///
/// An image whose header claims more pixels than [`kestrel_geom::max_image_pixels`] is
/// refused ([`ImageError::TooLarge`]) before anything is allocated for its pixels.
pub fn read_label_image(path: &Path) -> Result<LabelImage, ImageError> {
    let bytes = kestrel_geom::read_regular(path).map_err(|e| ImageError::io(path, e))?;
    if is_indexed_png(&bytes) {
        // The palette reader sizes its buffer from the header: check it first.
        size_within_limit(Cursor::new(&bytes), path)?;
        return read_palette_indices(&bytes, path);
    }
    let img = decode_bytes(&bytes, path)?;
    let (width, height) = (img.width(), img.height());
    let data = match img {
        DynamicImage::ImageLuma8(buf) => buf.into_raw(),
        DynamicImage::ImageLuma16(buf) => {
            let raw = buf.into_raw();
            if let Some(max) = raw.iter().copied().max().filter(|&m| m > 255) {
                return Err(ImageError::InvalidLabels {
                    path: path.to_path_buf(),
                    message: format!("16-bit label value {max} exceeds the largest class id 255"),
                });
            }
            raw.into_iter().map(|v| v as u8).collect()
        }
        other => other.to_luma8().into_raw(),
    };
    Ok(LabelImage {
        width,
        height,
        data,
    })
}

/// Reads a binary mask (e.g. an anomaly ground-truth region) at `width x height`.
///
/// Any image is decoded and converted to 8-bit grey (colour by Rec. 709 luminance, alpha
/// dropped, 16-bit samples scaled to 8 bits), resized to `width x height` with
/// [`LabelImage::resize_nearest`] (so it stays aligned with the image resized for a model
/// input of that size), and a pixel is `true` where its grey value is `>= threshold`.
/// The result holds `width * height` values, row by row. A threshold of 0 makes every pixel
/// `true`; MVTec AD style masks (0 / 255) work with any threshold in `1..=255`.
pub fn read_mask(
    path: &Path,
    width: u32,
    height: u32,
    threshold: u8,
) -> Result<Vec<bool>, ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::InvalidParams(format!(
            "mask size must be non-zero, got {width}x{height}"
        )));
    }
    let bytes = kestrel_geom::read_regular(path).map_err(|e| ImageError::io(path, e))?;
    let img = decode_bytes(&bytes, path)?;
    let grey = LabelImage {
        width: img.width(),
        height: img.height(),
        data: img.to_luma8().into_raw(),
    };
    let resized = grey.resize_nearest(width, height);
    Ok(resized.data.iter().map(|&v| v >= threshold).collect())
}

/// Whether `bytes` start like a PNG whose IHDR chunk declares a palette image.
fn is_indexed_png(bytes: &[u8]) -> bool {
    // Signature (8), chunk length (4), "IHDR" (4), width (4), height (4), depth (1), colour
    // type (1).
    bytes.len() > 25
        && bytes[..8] == PNG_SIGNATURE
        && &bytes[12..16] == b"IHDR"
        && bytes[25] == PNG_INDEXED
}

/// Decodes a palette PNG into its palette indices (1, 2, 4 or 8 bits per pixel).
fn read_palette_indices(bytes: &[u8], path: &Path) -> Result<LabelImage, ImageError> {
    let decode_err = |e: png::DecodingError| ImageError::Decode {
        path: path.to_path_buf(),
        source: image::ImageError::Decoding(DecodingError::new(
            ImageFormatHint::Exact(image::ImageFormat::Png),
            e,
        )),
    };
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::IDENTITY);
    let mut reader = decoder.read_info().map_err(decode_err)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| ImageError::InvalidLabels {
            path: path.to_path_buf(),
            message: "palette image too large for memory".into(),
        })?;
    let mut buf = vec![0u8; size];
    let info = reader.next_frame(&mut buf).map_err(decode_err)?;
    if info.width == 0 || info.height == 0 {
        return Err(ImageError::EmptyImage {
            path: path.to_path_buf(),
            width: info.width,
            height: info.height,
        });
    }
    let bits = info.bit_depth as usize;
    if info.color_type != png::ColorType::Indexed || !matches!(bits, 1 | 2 | 4 | 8) {
        return Err(ImageError::InvalidLabels {
            path: path.to_path_buf(),
            message: format!(
                "unexpected palette PNG layout {:?} at {bits} bits",
                info.color_type
            ),
        });
    }
    let (w, h) = (info.width as usize, info.height as usize);
    let per_byte = 8 / bits;
    let mask = ((1u16 << bits) - 1) as u8;
    let mut data = Vec::with_capacity(w * h);
    for row in buf.chunks(info.line_size).take(h) {
        for x in 0..w {
            let byte = row.get(x / per_byte).copied().unwrap_or(0);
            // Samples are packed from the most significant bit.
            let shift = 8 - bits * (x % per_byte + 1);
            data.push((byte >> shift) & mask);
        }
    }
    Ok(LabelImage {
        width: info.width,
        height: info.height,
        data,
    })
}
