//! Depth images: millimetres along the optical axis, invalid pixels as NaN.

use std::io::BufReader;
use std::path::Path;

use crate::error::Error3d;

/// A depth image: per pixel the distance along the optical axis (z) in millimetres,
/// row-major. An invalid pixel (no measurement) is NaN; it never becomes a point.
#[derive(Debug, Clone, PartialEq)]
pub struct DepthImage {
    width: u32,
    height: u32,
    data: Vec<f32>,
}

impl DepthImage {
    /// A depth image from row-major millimetres; zero, negative and non-finite values
    /// become invalid (NaN). An error when `data` does not hold `width * height` values.
    pub fn new(width: u32, height: u32, mut data: Vec<f32>) -> Result<Self, Error3d> {
        if data.len() != width as usize * height as usize {
            return Err(Error3d::invalid(
                "depth image",
                format!("{} values for {width} x {height} pixels", data.len()),
            ));
        }
        for v in &mut data {
            if !(*v > 0.0 && v.is_finite()) {
                *v = f32::NAN;
            }
        }
        Ok(DepthImage {
            width,
            height,
            data,
        })
    }

    /// A depth image from data known to have `width * height` values, each positive or
    /// NaN.
    pub(crate) fn from_raw_parts(width: u32, height: u32, data: Vec<f32>) -> Self {
        debug_assert_eq!(data.len(), width as usize * height as usize);
        DepthImage {
            width,
            height,
            data,
        }
    }

    /// An image of `width` x `height` invalid pixels.
    pub fn invalid(width: u32, height: u32) -> Self {
        DepthImage {
            width,
            height,
            data: vec![f32::NAN; width as usize * height as usize],
        }
    }

    /// Reads a depth image and multiplies every value by `scale` to get millimetres:
    /// a 16-bit (or 8-bit) grey PNG of integer depths (scale 1 for millimetres, BOP's
    /// `depth_scale` for BOP files), or a 32-bit float grey TIFF (scale 1000 for metres).
    /// 0 and NaN are invalid. A file whose header claims more pixels than
    /// [`kestrel_data::geometry::max_image_pixels`] is refused before it is decoded.
    pub fn read(path: &Path, scale: f32) -> Result<Self, Error3d> {
        if !(scale > 0.0 && scale.is_finite()) {
            return Err(Error3d::invalid(
                path.display().to_string(),
                format!("depth scale {scale} must be positive"),
            ));
        }
        let is_tiff = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff"));
        let (width, height, mut data) = if is_tiff {
            read_tiff(path)?
        } else {
            read_png(path)?
        };
        for v in &mut data {
            *v *= scale;
        }
        DepthImage::new(width, height, data)
    }

    /// Writes a 16-bit grey PNG of whole millimetres (invalid pixels as 0); an error when
    /// a depth exceeds 65,535 mm.
    pub fn write_png_mm(&self, path: &Path) -> Result<(), Error3d> {
        let mut pixels = Vec::with_capacity(self.data.len());
        for &v in &self.data {
            if v.is_nan() {
                pixels.push(0u16);
            } else if v.round() > f32::from(u16::MAX) {
                return Err(Error3d::invalid(
                    path.display().to_string(),
                    format!("depth {v} mm does not fit 16 bits"),
                ));
            } else {
                pixels.push(v.round() as u16);
            }
        }
        let img =
            image::ImageBuffer::<image::Luma<u16>, _>::from_raw(self.width, self.height, pixels)
                .ok_or_else(|| Error3d::invalid("depth image", "buffer size"))?;
        img.save(path).map_err(|e| Error3d::Image {
            path: path.to_path_buf(),
            message: e.to_string(),
        })
    }

    /// Width in pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The row-major depths in millimetres (NaN = invalid).
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// The depth at column `x`, row `y`; `None` when invalid or outside the image.
    pub fn get(&self, x: u32, y: u32) -> Option<f32> {
        if x >= self.width || y >= self.height {
            return None;
        }
        let v = self.data[y as usize * self.width as usize + x as usize];
        (!v.is_nan()).then_some(v)
    }

    /// Number of valid pixels.
    pub fn valid_count(&self) -> usize {
        self.data.iter().filter(|v| !v.is_nan()).count()
    }
}

/// A grey PNG (or other format the `image` crate reads) as raw values.
fn read_png(path: &Path) -> Result<(u32, u32, Vec<f32>), Error3d> {
    let image_err = |e: image::ImageError| Error3d::Image {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let decoder = image::ImageReader::open(path)
        .map_err(|e| Error3d::io(path, e))?
        .with_guessed_format()
        .map_err(|e| Error3d::io(path, e))?
        .into_decoder()
        .map_err(image_err)?;
    let (width, height) = image::ImageDecoder::dimensions(&decoder);
    within_pixel_limit(path, width, height)?;
    let img = image::DynamicImage::from_decoder(decoder).map_err(image_err)?;
    let (width, height) = (img.width(), img.height());
    let data = match img {
        image::DynamicImage::ImageLuma16(g) => g.into_raw().into_iter().map(f32::from).collect(),
        image::DynamicImage::ImageLuma8(g) => g.into_raw().into_iter().map(f32::from).collect(),
        other => {
            return Err(Error3d::format(
                path,
                format!(
                    "a depth image must be single-channel grey, not {:?}",
                    other.color()
                ),
            ));
        }
    };
    Ok((width, height, data))
}

/// A single-channel float32 (or 16-bit integer) TIFF as raw values.
fn read_tiff(path: &Path) -> Result<(u32, u32, Vec<f32>), Error3d> {
    let file = std::fs::File::open(path).map_err(|e| Error3d::io(path, e))?;
    let tiff_err = |e: tiff::TiffError| Error3d::Image {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut decoder = tiff::decoder::Decoder::new(BufReader::new(file)).map_err(tiff_err)?;
    let (width, height) = decoder.dimensions().map_err(tiff_err)?;
    within_pixel_limit(path, width, height)?;
    let colour = decoder.colortype().map_err(tiff_err)?;
    if !matches!(colour, tiff::ColorType::Gray(_)) {
        return Err(Error3d::format(
            path,
            format!("a depth TIFF must be single-channel grey, not {colour:?}"),
        ));
    }
    let data = match decoder.read_image().map_err(tiff_err)? {
        tiff::decoder::DecodingResult::F32(v) => v,
        tiff::decoder::DecodingResult::F64(v) => v.into_iter().map(|x| x as f32).collect(),
        tiff::decoder::DecodingResult::U16(v) => v.into_iter().map(f32::from).collect(),
        _ => {
            return Err(Error3d::format(
                path,
                "a depth TIFF must hold float32, float64 or 16-bit values",
            ));
        }
    };
    Ok((width, height, data))
}

/// An error naming `path` when its header's `width x height` exceeds the pixel limit
/// ([`kestrel_data::geometry::max_image_pixels`]), before anything is allocated for it.
fn within_pixel_limit(path: &Path, width: u32, height: u32) -> Result<(), Error3d> {
    match kestrel_data::geometry::image_size_problem(width, height) {
        Some(message) => Err(Error3d::Image {
            path: path.to_path_buf(),
            message: format!("depth image too large: {message}"),
        }),
        None => Ok(()),
    }
}
