//! What gripping-point detection finds in one scene: gripping points with their grasps and
//! 3D poses, and the gripping map; the result draws itself.

use super::pose3d::GripPose3d;
use crate::error::Result;
use crate::method::{ImageResult, picture_stem};
use crate::model::Model;
use kestrel_image::{
    ImageF32, LabelImage, RotatedRect, grasp_picture, read_image, save_png, write_label_png,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One gripping point, in the image file's pixels (continuous coordinates: pixel `(r, c)`
/// covers `[r, r + 1) x [c, c + 1)`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrippingPoint {
    /// Row (y) of the point.
    pub row: f64,
    /// Column (x) of the point.
    pub col: f64,
    /// Its gripping-map score.
    pub score: f32,
    /// The parallel-jaw grasp there: the opening direction, counter-clockwise on screen
    /// from the column axis, in `(-π/2, π/2]`.
    pub phi: f64,
    /// The opening width in pixels.
    pub opening_width: f64,
    /// The jaw size in pixels (`jaw_size_ratio` times the opening width).
    pub jaw_size: f64,
    /// The size of the point's gripping region, in pixels of the model's input.
    pub region_area: u32,
    /// The point in 3D with the gripper's pose; `None` where the depth has no valid point
    /// near it.
    pub pose: Option<GripPose3d>,
}

impl GrippingPoint {
    /// The grasp as a HALCON `rectangle2`: `length1` half the opening width along `phi`,
    /// `length2` half the jaw size.
    pub fn rect(&self) -> RotatedRect {
        RotatedRect {
            row: self.row as f32,
            col: self.col as f32,
            phi: self.phi as f32,
            length1: (self.opening_width / 2.0) as f32,
            length2: (self.jaw_size / 2.0) as f32,
        }
    }
}

/// The gripping points of one scene, best first, and its gripping map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GrippingResult {
    /// The image file.
    pub image: PathBuf,
    /// The depth file it was read with.
    pub depth: PathBuf,
    /// The gripping points, best first.
    pub points: Vec<GrippingPoint>,
    /// The gripping map at the model's input size (`map_width x map_height`, row by row,
    /// scores in `[0, 1]`); drawn, not written to JSON.
    #[serde(skip)]
    pub map: Vec<f32>,
    /// The map's width.
    pub map_width: u32,
    /// The map's height.
    pub map_height: u32,
}

impl GrippingResult {
    /// The gripping map at `width x height` (nearest cell).
    pub fn map_at(&self, width: u32, height: u32) -> Vec<f32> {
        let (mw, mh) = (self.map_width as usize, self.map_height as usize);
        let mut out = Vec::with_capacity(width as usize * height as usize);
        for y in 0..height as usize {
            let my = ((y * mh) / height.max(1) as usize).min(mh.saturating_sub(1));
            for x in 0..width as usize {
                let mx = ((x * mw) / width.max(1) as usize).min(mw.saturating_sub(1));
                out.push(self.map.get(my * mw + mx).copied().unwrap_or(0.0));
            }
        }
        out
    }
}

impl ImageResult for GrippingResult {
    fn line(&self) -> String {
        match self.points.first() {
            None => format!("{}: no gripping point", self.image.display()),
            Some(p) => {
                let at = p.pose.as_ref().map_or(String::new(), |pose| {
                    let [x, y, z] = pose.position;
                    format!(" at ({x:.0}, {y:.0}, {z:.0}) mm, opening {:.0} mm", pose.opening_width_mm)
                });
                format!(
                    "{}: {} gripping point(s); best {:.3} at row {:.0} col {:.0}, {:.0}°{at}",
                    self.image.display(),
                    self.points.len(),
                    p.score,
                    p.row,
                    p.col,
                    p.phi.to_degrees()
                )
            }
        }
    }

    /// `<image>_grasps.png` (the gripping map as a heat overlay with the grasps drawn) and
    /// `<image>_gripping_map.png` (the map as 8-bit grey, 255 = score 1, at the image's
    /// size).
    fn draw(&self, _model: &Model, folder: &Path) -> Result<Vec<PathBuf>> {
        let rgb = read_image(&self.image)?.to_rgb8();
        let (w, h) = rgb.dimensions();
        let base = ImageF32::from_rgb8(&rgb);
        let map = self.map_at(w, h);
        let rects: Vec<RotatedRect> = self.points.iter().map(GrippingPoint::rect).collect();
        let stem = picture_stem(&self.image);
        let grasps = folder.join(format!("{stem}_grasps.png"));
        save_png(&grasps, &grasp_picture(&base, Some(&map), &rects))?;
        let grey = LabelImage {
            width: w,
            height: h,
            data: map.iter().map(|v| (v.clamp(0.0, 1.0) * 255.0).round() as u8).collect(),
        };
        let map_path = folder.join(format!("{stem}_gripping_map.png"));
        write_label_png(&map_path, &grey)?;
        Ok(vec![grasps, map_path])
    }
}
