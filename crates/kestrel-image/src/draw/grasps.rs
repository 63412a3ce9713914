//! Pictures of parallel-jaw grasps: rectangles with their jaws and opening edges in two
//! colours, optionally over a heat map of a gripping map.

use image::RgbImage;

use super::heat::heat_overlay;
use super::shapes::draw_polygon_outline;
use crate::{ImageF32, RotatedRect};

/// Colour of the jaw edges in [`draw_grasps`] (red).
pub const JAW_COLOUR: [u8; 3] = [230, 30, 30];

/// Colour of the opening edges in [`draw_grasps`] (blue).
pub const OPENING_COLOUR: [u8; 3] = [40, 90, 240];

/// Draws grasp rectangles (see [`grasp_targets`](crate::grasp_targets) for the
/// convention; continuous coordinates, pixel `(x, y)` covering `[x, x + 1) x [y, y + 1)`):
/// the two jaws (the sides of length `2 * length2` at `±length1` along `phi`) in
/// `jaw_colour`, the two opening edges (along `phi`) in `opening_colour`, `thickness`
/// pixels wide. Parts outside the picture are clipped; non-finite rectangles are skipped.
pub fn draw_grasps(
    img: &mut RgbImage,
    rects: &[RotatedRect],
    jaw_colour: [u8; 3],
    opening_colour: [u8; 3],
    thickness: u32,
) {
    for r in rects.iter().filter(|r| r.is_finite()) {
        // The shapes put pixel centres at integers: ours are at +0.5.
        let [a, b, c, d] = r.corners().map(|(x, y)| (x - 0.5, y - 0.5));
        // corners(): a = +l1 +l2, b = -l1 +l2, c = -l1 -l2, d = +l1 -l2.
        draw_polygon_outline(img, &[a, b], opening_colour, thickness);
        draw_polygon_outline(img, &[c, d], opening_colour, thickness);
        draw_polygon_outline(img, &[d, a], jaw_colour, thickness);
        draw_polygon_outline(img, &[b, c], jaw_colour, thickness);
    }
}

/// The image with a gripping map as a heat overlay (scores in `[0, 1]`, one per pixel row
/// by row, see [`heat_overlay`]) when `map` is given, and the grasps drawn over it with
/// [`JAW_COLOUR`] and [`OPENING_COLOUR`], 2 pixels wide.
pub fn grasp_picture(image: &ImageF32, map: Option<&[f32]>, rects: &[RotatedRect]) -> RgbImage {
    let mut img = match map {
        Some(scores) => heat_overlay(image, scores, 0.0, 1.0, None),
        None => super::image_to_rgb(image),
    };
    draw_grasps(&mut img, rects, JAW_COLOUR, OPENING_COLOUR, 2);
    img
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaws_and_opening_edges_get_their_colours() {
        let mut img = RgbImage::new(40, 30);
        // Opening along x from column 10 to 30, jaws from row 10 to 20.
        let r = RotatedRect {
            row: 15.0,
            col: 20.0,
            phi: 0.0,
            length1: 10.0,
            length2: 5.0,
        };
        draw_grasps(&mut img, &[r], JAW_COLOUR, OPENING_COLOUR, 1);
        let px = |x: u32, y: u32| img.get_pixel(x, y).0;
        // Jaws: the vertical sides through pixel columns 10 and 29 (edges at 10 and 30).
        assert_eq!(px(10, 15), JAW_COLOUR);
        assert_eq!(px(29, 15), JAW_COLOUR);
        // Opening edges: the horizontal sides at rows 10 and 19.
        assert_eq!(px(20, 10), OPENING_COLOUR);
        assert_eq!(px(20, 19), OPENING_COLOUR);
        assert_eq!(px(20, 15), [0, 0, 0]);
    }

    #[test]
    fn a_picture_with_a_map_tints_the_image() {
        let image = ImageF32::zeros(8, 8, 3);
        let mut map = vec![0.0; 64];
        map[0] = 1.0;
        let plain = grasp_picture(&image, None, &[]);
        let heat = grasp_picture(&image, Some(&map), &[]);
        assert_eq!(plain.get_pixel(0, 0).0, [0, 0, 0]);
        assert_ne!(heat.get_pixel(0, 0).0, heat.get_pixel(7, 7).0);
    }
}
