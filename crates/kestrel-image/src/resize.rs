//! Channel conversion and resizing of decoded images.

use std::path::Path;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::DynamicImage;

use crate::{
    ImageError, ImageF32, PreprocessParams, ResizedImage, SampleData, Samples, read_image,
};

/// Decodes `path`, converts its channels (grey→RGB replicates, RGB→grey takes the
/// luminance, alpha is dropped), resizes it to `width x height` and returns `[0, 1]` floats.
///
/// Resizing is an antialiased bilinear convolution (like PIL/torchvision), done at the
/// source's precision: 16-bit images keep 16 bits until the conversion to `f32`.
pub fn load_resized(path: &Path, params: &PreprocessParams) -> Result<ImageF32, ImageError> {
    Ok(load_samples(path, params)?.to_f32())
}

/// Like [`load_resized`], keeping the size of the image file.
pub fn load_resized_image(
    path: &Path,
    params: &PreprocessParams,
) -> Result<ResizedImage, ImageError> {
    Ok(load_samples(path, params)?.to_resized_image())
}

/// Like [`load_resized`], for an image already in memory.
pub fn resize_dynamic(
    img: &DynamicImage,
    params: &PreprocessParams,
) -> Result<ImageF32, ImageError> {
    params.validate()?;
    Ok(prepare_samples(img, params, Path::new("<memory>"))?.to_f32())
}

/// Decodes and resizes `path`, keeping 8 or 16 bit samples (what the cache stores).
pub(crate) fn load_samples(path: &Path, params: &PreprocessParams) -> Result<Samples, ImageError> {
    params.validate()?;
    let img = read_image(path)?;
    prepare_samples(&img, params, path)
}

/// Whether the decoded image has more than 8 bits per sample.
fn is_high_depth(img: &DynamicImage) -> bool {
    let color = img.color();
    color.bytes_per_pixel() > color.channel_count()
}

/// Converts channels and resizes; `path` only names the source in errors.
fn prepare_samples(
    img: &DynamicImage,
    params: &PreprocessParams,
    path: &Path,
) -> Result<Samples, ImageError> {
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err(ImageError::EmptyImage {
            path: path.to_path_buf(),
            width: w,
            height: h,
        });
    }
    let grey = params.num_channels == 1;
    let (bytes, pixel_type, high) = match (is_high_depth(img), grey) {
        (false, true) => (img.to_luma8().into_raw(), PixelType::U8, false),
        (false, false) => (img.to_rgb8().into_raw(), PixelType::U8x3, false),
        (true, true) => (u16_bytes(&img.to_luma16().into_raw()), PixelType::U16, true),
        (true, false) => (
            u16_bytes(&img.to_rgb16().into_raw()),
            PixelType::U16x3,
            true,
        ),
    };
    let bytes = if (w, h) == (params.width, params.height) {
        bytes
    } else {
        resize_bytes(&bytes, pixel_type, (w, h), (params.width, params.height)).map_err(
            |message| ImageError::Resize {
                path: path.to_path_buf(),
                message,
            },
        )?
    };
    let data = if high {
        SampleData::U16(
            bytes
                .chunks_exact(2)
                .map(|b| u16::from_ne_bytes([b[0], b[1]]))
                .collect(),
        )
    } else {
        SampleData::U8(bytes)
    };
    Ok(Samples {
        width: params.width,
        height: params.height,
        channels: params.num_channels,
        data,
        original_width: w,
        original_height: h,
    })
}

fn u16_bytes(samples: &[u16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_ne_bytes()).collect()
}

/// Resizes a native-endian sample buffer with `fast_image_resize`.
fn resize_bytes(
    bytes: &[u8],
    pixel_type: PixelType,
    (sw, sh): (u32, u32),
    (dw, dh): (u32, u32),
) -> Result<Vec<u8>, String> {
    // `Image::new` allocates with the alignment the pixel type needs.
    let mut src = Image::new(sw, sh, pixel_type);
    let buf = src.buffer_mut();
    if buf.len() != bytes.len() {
        return Err(format!(
            "buffer holds {} bytes, expected {}",
            bytes.len(),
            buf.len()
        ));
    }
    buf.copy_from_slice(bytes);
    let mut dst = Image::new(dw, dh, pixel_type);
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Bilinear));
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    Ok(dst.into_vec())
}
