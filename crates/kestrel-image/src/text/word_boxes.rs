//! Word boxes from a DB text probability map (PaddleOCR's `DBPostProcess`).

use kestrel_geom::min_area_rect;
use serde::{Deserialize, Serialize};

use super::components::components;
use super::geometry::{along_reading_axis, scale_rect, sort_reading_order, unclip};
use super::params::{MIN_WORD_SIDE, WordBoxParams};
use crate::{ImageError, RotatedRect};

/// A word found in a text probability map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WordBox {
    /// The word's rectangle in the original image's pixels (continuous coordinates, as
    /// [`AxisBox`](crate::AxisBox)), `phi` in `(-pi/4, pi/4]`: `length1` runs along the
    /// axis nearer to the image's columns, the reading direction of horizontal text, and
    /// may be shorter than `length2` (single characters, vertical text). Not clipped to
    /// the image.
    pub rect: RotatedRect,
    /// Mean probability over the word's map pixels (those above
    /// [`WordBoxParams::min_character_score`]).
    pub score: f32,
}

/// The words in the `width x height` row-major text probability map `probabilities`
/// (a DB detector's output for the image resized to that size), as rectangles on the
/// original `image_width x image_height` image, in reading order.
///
/// Following PaddleOCR's `DBPostProcess`:
///
/// 1. Map pixels above `min_character_score` are text; their 8-connected components are
///    word kernels (run-length labelling with union-find).
/// 2. Components of fewer than `min_word_area` pixels are dropped; the score is the
///    mean probability over the component's pixels (PaddleOCR's "fast" score averages over
///    the rectangle instead, including background pixels inside it), and components
///    scoring below `min_word_score` are dropped.
/// 3. The minimum-area rectangle of the component's pixel squares (their corners, so a
///    single pixel is a 1 x 1 square; PaddleOCR uses the pixel centres, one pixel
///    smaller) is taken; rectangles whose shorter side is below [`MIN_WORD_SIDE`] are
///    dropped.
/// 4. The rectangle is grown by `d = area * unclip_ratio / perimeter` on every side
///    (`length1 += d`, `length2 += d`).
/// 5. It is mapped onto the image, `x` scaled by `image_width / width` and `y` by
///    `image_height / height` (edges onto edges): the minimum-area rectangle of the
///    mapped corners.
/// 6. At most `max_words` words are kept, the best-scoring ones (PaddleOCR cuts
///    candidates before scoring), and sorted into reading order: lines top to bottom,
///    words left to right. Words whose centres are less than half a word height apart
///    vertically share a line.
///
/// A map or image without pixels gives no words. Fails with
/// [`ImageError::InvalidInput`] when `probabilities` does not hold `width * height`
/// values, and with [`ImageError::InvalidParams`] for unusable parameters
/// ([`WordBoxParams::validate`]).
pub fn word_boxes(
    probabilities: &[f32],
    width: u32,
    height: u32,
    image_width: u32,
    image_height: u32,
    params: &WordBoxParams,
) -> Result<Vec<WordBox>, ImageError> {
    params.validate()?;
    let (w, h) = (width as usize, height as usize);
    if w.checked_mul(h) != Some(probabilities.len()) {
        return Err(ImageError::InvalidInput(format!(
            "probability map has {} values, expected {width} x {height}",
            probabilities.len()
        )));
    }
    if w == 0 || h == 0 || image_width == 0 || image_height == 0 {
        return Ok(Vec::new());
    }
    let sx = f64::from(image_width) / f64::from(width);
    let sy = f64::from(image_height) / f64::from(height);
    let mut words: Vec<WordBox> = components(probabilities, w, h, params.min_character_score)
        .into_iter()
        .filter(|c| c.pixels >= u64::from(params.min_word_area))
        .filter_map(|c| {
            let score = (c.sum / c.pixels as f64) as f32;
            if score < params.min_word_score {
                return None;
            }
            let kernel = min_area_rect(&c.outline_corners())?;
            if 2.0 * kernel.length2 < f64::from(MIN_WORD_SIDE) {
                return None;
            }
            let grown = unclip(kernel, f64::from(params.unclip_ratio));
            let rect = along_reading_axis(scale_rect(grown, sx, sy));
            Some(WordBox {
                rect: rect.cast(),
                score,
            })
        })
        .collect();
    if words.len() > params.max_words {
        // Stable: equal scores keep the scan order.
        words.sort_by(|a, b| b.score.total_cmp(&a.score));
        words.truncate(params.max_words);
    }
    sort_reading_order(&mut words);
    Ok(words)
}
