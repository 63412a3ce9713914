//! Pictures of counting results: found objects (and, against the truth, misses) over the
//! image, and the score map.

use crate::counting::peaks::ScoreMap;
use image::{DynamicImage, RgbImage};
use kestrel_image::{ImageF32, draw_box, heat_overlay};

/// Colour of found objects (matched ones, when compared with the truth).
pub const FOUND: [u8; 3] = [40, 220, 60];
/// Colour of found objects that match no true object.
pub const WRONG: [u8; 3] = [255, 200, 0];
/// Colour of true objects that were not found.
pub const MISSED: [u8; 3] = [255, 40, 40];

/// Scores shown at full colour in score pictures (the examples score about 1).
const SCORE_SHOWN_MAX: f32 = 1.2;

/// A mark to draw: a box `[row1, col1, row2, col2]` (image pixels) and its colour.
pub type Mark = ([f64; 4], [u8; 3]);

/// The image with each mark's box outlined.
pub fn marks_picture(image: &DynamicImage, marks: &[Mark]) -> RgbImage {
    let mut picture = image.to_rgb8();
    let thickness = if picture.width().max(picture.height()) > 1200 { 2 } else { 1 };
    for ([r1, c1, r2, c2], colour) in marks {
        let (x1, y1) = (*c1 as f32, *r1 as f32);
        let (x2, y2) = ((*c2 - 1.0) as f32, (*r2 - 1.0) as f32);
        draw_box(&mut picture, x1, y1, x2, y2, *colour, thickness);
    }
    picture
}

/// The image blended with the colours of its scores (bilinear between map cells), from 0
/// to slightly above the examples' score.
pub fn score_picture(image: &DynamicImage, scores: &ScoreMap) -> RgbImage {
    let rgb = image.to_rgb8();
    let (w, h) = rgb.dimensions();
    let base = ImageF32::from_rgb8(&rgb);
    let mut values = Vec::with_capacity(w as usize * h as usize);
    for y in 0..h {
        for x in 0..w {
            values.push(scores.at(f64::from(y) + 0.5, f64::from(x) + 0.5));
        }
    }
    heat_overlay(&base, &values, 0.0, SCORE_SHOWN_MAX, None)
}

impl ScoreMap {
    /// The score at image point `(row, col)`, bilinear between cell centres.
    pub fn at(&self, row: f64, col: f64) -> f32 {
        let fy = (row / self.cell_height - 0.5).clamp(0.0, (self.height - 1) as f64);
        let fx = (col / self.cell_width - 0.5).clamp(0.0, (self.width - 1) as f64);
        let (r0, c0) = (fy.floor() as usize, fx.floor() as usize);
        let (r1, c1) = ((r0 + 1).min(self.height - 1), (c0 + 1).min(self.width - 1));
        let (ty, tx) = ((fy - r0 as f64) as f32, (fx - c0 as f64) as f32);
        let v = |r: usize, c: usize| self.values[r * self.width + c];
        let top = v(r0, c0) * (1.0 - tx) + v(r0, c1) * tx;
        let bottom = v(r1, c0) * (1.0 - tx) + v(r1, c1) * tx;
        top * (1.0 - ty) + bottom * ty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_read_between_cell_centres() {
        let map = ScoreMap {
            width: 2,
            height: 1,
            cell_width: 10.0,
            cell_height: 10.0,
            values: vec![0.0, 1.0],
            scales: vec![1.0; 2],
        };
        assert_eq!(map.at(5.0, 5.0), 0.0);
        assert_eq!(map.at(5.0, 15.0), 1.0);
        assert!((map.at(5.0, 10.0) - 0.5).abs() < 1e-6);
        assert_eq!(map.at(0.0, 100.0), 1.0);
    }

    #[test]
    fn marks_are_outlined_in_their_colour() {
        let image = DynamicImage::new_rgb8(20, 20);
        let picture = marks_picture(&image, &[([2.0, 2.0, 8.0, 8.0], MISSED)]);
        assert_eq!(picture.get_pixel(2, 2).0, MISSED);
        assert_eq!(picture.get_pixel(7, 5).0, MISSED);
        assert_eq!(picture.get_pixel(5, 5).0, [0, 0, 0]);
    }
}
