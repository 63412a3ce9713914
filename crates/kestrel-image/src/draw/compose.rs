//! Putting pictures next to each other.

use image::RgbImage;

/// Pixels between neighbouring pictures in [`side_by_side`].
pub const SIDE_BY_SIDE_GAP: u32 = 4;

/// Colour of the gaps and of the space below shorter pictures.
const GAP_COLOUR: [u8; 3] = [255, 255, 255];

/// Places `images` left to right, top-aligned, separated by [`SIDE_BY_SIDE_GAP`] white
/// pixels (e.g. prediction next to ground truth). The result is as high as the highest
/// picture; space below shorter ones is white. No pictures give a 0 x 0 image.
pub fn side_by_side(images: &[RgbImage]) -> RgbImage {
    let gaps = SIDE_BY_SIDE_GAP.saturating_mul(images.len().saturating_sub(1) as u32);
    let width = images
        .iter()
        .fold(gaps, |acc, img| acc.saturating_add(img.width()));
    let height = images.iter().map(RgbImage::height).max().unwrap_or(0);
    if images.is_empty() {
        return RgbImage::new(0, 0);
    }
    let mut out = RgbImage::from_pixel(width, height, image::Rgb(GAP_COLOUR));
    let mut x0 = 0u32;
    for img in images {
        for (x, y, px) in img.enumerate_pixels() {
            if let Some(dst) = out.get_pixel_mut_checked(x0.saturating_add(x), y) {
                *dst = *px;
            }
        }
        x0 = x0
            .saturating_add(img.width())
            .saturating_add(SIDE_BY_SIDE_GAP);
    }
    out
}
