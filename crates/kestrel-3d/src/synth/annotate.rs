//! What BOP records of an object besides its pose: its whole silhouette rendered alone
//! (pixels in the image, box possibly beyond it) and its visible part in the scene.

use crate::camera::Intrinsics;
use crate::error::Error3d;
use crate::render::{ObjectMask, PixelBox, RenderObject, RenderOptions, render};

/// One object of an image with everything `scene_gt.json`, `scene_gt_info.json` and
/// `mask_visib/` hold about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthInstance {
    /// The object id.
    pub obj_id: u32,
    /// Model-to-camera pose (`cam_R_m2c`, `cam_t_m2c`).
    pub pose: crate::pose::Pose,
    /// Box of the whole silhouette, occluded parts included, BOP's `[x, y, width,
    /// height]` (`width` = last column - first column); may extend past the image.
    pub bbox_obj: [i64; 4],
    /// Box of the visible pixels, same form; `[-1, -1, -1, -1]` when none is visible.
    pub bbox_visib: [i64; 4],
    /// Pixels of the image the object covers when rendered alone.
    pub px_count_all: u64,
    /// Pixels of the image that show the object in the scene.
    pub px_count_visib: u64,
    /// `px_count_visib / px_count_all`.
    pub visib_fract: f64,
    /// The visible pixels: 255 where the object is seen, 0 elsewhere.
    pub mask_visib: image::GrayImage,
}

/// The silhouette of an object rendered alone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Silhouette {
    /// Its pixels inside the image.
    pub px_count_all: u64,
    /// Its box, possibly beyond the image; `None` when it has no pixel anywhere.
    pub bbox: Option<PixelBox>,
}

/// Renders `object` alone with `camera` (the scene's, so its pixels inside the image are
/// exactly those it can cover in the scene rendering) and, when its silhouette touches
/// the image's border, again on a canvas around its projected vertices (at most the
/// image's size beyond each side, as bop_toolkit's three-times canvas) for the whole box.
pub(super) fn silhouette(
    camera: &Intrinsics,
    object: RenderObject,
    options: &RenderOptions,
) -> Result<Silhouette, Error3d> {
    let alone = render(camera, &[object], options, None)?;
    let px_count_all = alone.mask.count(1) as u64;
    let inside = alone.mask.bbox(1);
    let (w, h) = (i64::from(camera.width), i64::from(camera.height));
    let touches = |b: &PixelBox| b.x1 == 0 || b.y1 == 0 || b.x2 == w - 1 || b.y2 == h - 1;
    if inside.as_ref().is_some_and(|b| !touches(b)) {
        return Ok(Silhouette {
            px_count_all,
            bbox: inside,
        });
    }
    // The projected vertices in front of the near plane bound the silhouette.
    let (mut u0, mut v0, mut u1, mut v1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for v in object.mesh.vertices() {
        let p = object.pose.apply(v.map(f64::from));
        if p[2] < options.near {
            continue;
        }
        if let Some([u, v]) = camera.project(p) {
            (u0, v0, u1, v1) = (u0.min(u), v0.min(v), u1.max(u), v1.max(v));
        }
    }
    if u0 > u1 {
        return Ok(Silhouette {
            px_count_all,
            bbox: inside,
        });
    }
    let x0 = (u0.floor() as i64 - 1).clamp(-w, 2 * w - 1);
    let x1 = (u1.ceil() as i64 + 1).clamp(-w, 2 * w - 1);
    let y0 = (v0.floor() as i64 - 1).clamp(-h, 2 * h - 1);
    let y1 = (v1.ceil() as i64 + 1).clamp(-h, 2 * h - 1);
    let canvas = camera.shifted(
        x0 as f64,
        y0 as f64,
        (x1 - x0 + 1) as u32,
        (y1 - y0 + 1) as u32,
    )?;
    let whole = render(&canvas, &[object], options, None)?;
    let bbox = whole.mask.bbox(1).map(|b| PixelBox {
        x1: b.x1 + x0,
        y1: b.y1 + y0,
        x2: b.x2 + x0,
        y2: b.y2 + y0,
    });
    Ok(Silhouette {
        px_count_all,
        bbox: bbox.or(inside),
    })
}

/// The visible pixels of render id `id` in `mask`: their count, box and 0/255 mask.
pub(super) fn visible(mask: &ObjectMask, id: u16) -> (u64, Option<PixelBox>, image::GrayImage) {
    let bytes: Vec<u8> = mask
        .ids()
        .iter()
        .map(|&v| if v == id { 255 } else { 0 })
        .collect();
    let count = bytes.iter().filter(|&&b| b != 0).count() as u64;
    let gray = image::GrayImage::from_raw(mask.width(), mask.height(), bytes).expect("mask size");
    (count, mask.bbox(id), gray)
}

/// A box in BOP's form, `[-1, -1, -1, -1]` for none.
pub(super) fn bop_box(b: Option<PixelBox>) -> [i64; 4] {
    b.map_or([-1; 4], |b| b.to_bop())
}
