//! [`AugmentPlan`]: one augmentation drawn once, then applied to an image and to its
//! targets (label image, boxes, rotated boxes), so they move together.

use rand::{Rng, RngExt};

use super::boxes::{move_boxes, move_rotated};
use super::photometric::{adjust_brightness, adjust_contrast, adjust_saturation};
use super::plan::GeometryPlan;
use super::{enabled, symmetric};
use crate::{AugmentParams, AxisBox, ImageF32, LabelImage, RotatedRect, blur_image};

/// A drawn augmentation of an image of one size: the geometric part (mirror, 90° turns,
/// rotation, crop) and the photometric amounts (brightness, contrast, saturation, blur).
/// [`AugmentPlan::identity`] leaves everything in place.
#[derive(Debug, Clone, PartialEq)]
pub struct AugmentPlan {
    /// The geometric part; `None` when the image is not augmented.
    geometry: Option<GeometryPlan>,
    /// Brightness change, when drawn.
    brightness: Option<f32>,
    /// Contrast factor, when drawn.
    contrast: Option<f32>,
    /// Saturation factor, when drawn (colour images only).
    saturation: Option<f32>,
    /// Blur's standard deviation in pixels, when drawn.
    blur: Option<f32>,
}

impl AugmentPlan {
    /// The plan that changes nothing.
    pub fn identity() -> Self {
        Self {
            geometry: None,
            brightness: None,
            contrast: None,
            saturation: None,
            blur: None,
        }
    }

    /// Draws a plan HALCON-style for a `width` x `height` image with `channels` channels:
    /// with probability `params.percentage / 100` it augments, and then each enabled
    /// operation gets its own random draw, in the order mirror, 90° rotation, rotation,
    /// crop, brightness, contrast, saturation, blur. The draws depend only on the parameters,
    /// the size and the generator's state.
    pub fn draw(
        params: &AugmentParams,
        width: u32,
        height: u32,
        channels: u32,
        rng: &mut impl Rng,
    ) -> Self {
        let empty = width == 0 || height == 0 || channels == 0;
        if empty || !enabled(params.percentage) {
            return Self::identity();
        }
        if rng.random::<f32>() * 100.0 >= params.percentage {
            return Self::identity();
        }
        let geometry = Some(GeometryPlan::draw(params, width, height, rng));
        let brightness = enabled(params.brightness).then(|| symmetric(rng, params.brightness));
        let contrast = enabled(params.contrast).then(|| 1.0 + symmetric(rng, params.contrast));
        let saturation = (enabled(params.saturation) && channels == 3)
            .then(|| 1.0 + symmetric(rng, params.saturation));
        let blur = enabled(params.blur).then(|| rng.random::<f32>() * params.blur);
        Self {
            geometry,
            brightness,
            contrast,
            saturation,
            blur,
        }
    }

    /// True when the plan changes nothing.
    pub fn is_identity(&self) -> bool {
        self.geometry.is_none()
            && self.brightness.is_none()
            && self.contrast.is_none()
            && self.saturation.is_none()
            && self.blur.is_none()
    }

    /// The geometric part when it moves anything.
    fn moving(&self) -> Option<&GeometryPlan> {
        self.geometry.as_ref().filter(|g| !g.is_identity())
    }

    /// The augmented image (same size as the input).
    pub fn apply(&self, image: &ImageF32) -> ImageF32 {
        if !image.is_consistent() {
            return image.clone();
        }
        let mut out = match &self.geometry {
            Some(g) => g.apply(image),
            None => return image.clone(),
        };
        if let Some(delta) = self.brightness {
            adjust_brightness(&mut out, delta);
        }
        if let Some(factor) = self.contrast {
            adjust_contrast(&mut out, factor);
        }
        if let Some(factor) = self.saturation.filter(|_| out.channels == 3) {
            adjust_saturation(&mut out, factor);
        }
        if let Some(sigma) = self.blur {
            blur_image(&mut out, sigma);
        }
        out
    }

    /// The geometric part alone (mirrors, turns, rotation, crop; no photometric change):
    /// for images aligned with the augmented one that are not colour, such as a depth
    /// image. Same size as the input.
    pub fn apply_geometry(&self, image: &ImageF32) -> ImageF32 {
        match &self.geometry {
            Some(g) if image.is_consistent() => g.apply(image),
            _ => image.clone(),
        }
    }

    /// The label image moved with the image (nearest neighbour; resized to the image's
    /// size first). `width` x `height` is the image's size.
    pub fn apply_labels(&self, labels: &LabelImage, width: u32, height: u32) -> LabelImage {
        let labels = labels.resize_nearest(width, height);
        match &self.geometry {
            Some(g) => g.apply(&labels),
            None => labels,
        }
    }

    /// Axis-aligned boxes moved with a `width` x `height` image: the bounding box of each
    /// moved box, clipped to the image; boxes with less than [`super::MIN_BOX_AREA`] px² or
    /// [`super::MIN_VISIBLE_FRACTION`] of their area left are dropped. Returns the kept
    /// boxes and the index of each in `boxes`.
    pub fn apply_boxes(
        &self,
        boxes: &[AxisBox],
        width: u32,
        height: u32,
    ) -> (Vec<AxisBox>, Vec<usize>) {
        move_boxes(self.moving(), width, height, boxes)
    }

    /// Rotated boxes moved with a `width` x `height` image; boxes whose centre leaves the
    /// image are dropped. Returns the kept boxes and the index of each in `rects`.
    pub fn apply_rotated(
        &self,
        rects: &[RotatedRect],
        width: u32,
        height: u32,
    ) -> (Vec<RotatedRect>, Vec<usize>) {
        move_rotated(self.moving(), width, height, rects)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seeded_rng;

    #[test]
    fn geometry_alone_moves_pixels_without_changing_values() {
        let params = AugmentParams {
            percentage: 100.0,
            mirror: crate::Mirror::Horizontal,
            brightness: 0.5,
            ..Default::default()
        };
        // A ramp along x: mirroring reverses it; brightness would shift every value.
        let mut image = ImageF32::zeros(8, 4, 1);
        for y in 0..4 {
            for x in 0..8 {
                let i = image.index(x, y, 0);
                image.data[i] = x as f32;
            }
        }
        let mirrored = (0..100)
            .map(|seed| AugmentPlan::draw(&params, 8, 4, 1, &mut seeded_rng(seed)))
            .find(|plan| plan.apply_geometry(&image).data[0] == 7.0)
            .expect("some plan mirrors");
        let moved = mirrored.apply_geometry(&image);
        assert_eq!(moved.data[..8], [7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0]);
        assert_ne!(mirrored.apply(&image).data, moved.data);
        assert_eq!(AugmentPlan::identity().apply_geometry(&image), image);
    }
}
