//! Draws Cornell scenes with their grasp rectangles (good ones: red jaws, blue opening
//! edges; bad ones in grey) over the quality target map (its centre thirds), side by side,
//! each cropped around its good rectangles and enlarged 3x.
//!
//! `cargo run --release -p kestrel-image --example cornell_grasps -- <cornell folder> <out.png> [scene ids…]`

use std::path::PathBuf;

use kestrel_data::{CornellOptions, import_cornell};
use kestrel_image::{
    GraspTargetParams, ImageF32, RotatedRect, draw_grasps, grasp_picture, grasp_targets,
    read_image, save_png, side_by_side,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [src, out, ids @ ..] = args.as_slice() else {
        return Err("usage: cornell_grasps <cornell folder> <out.png> [scene ids…]".into());
    };
    let ids: Vec<u64> = if ids.is_empty() {
        vec![100, 132]
    } else {
        ids.iter().map(|i| i.parse()).collect::<Result<_, _>>()?
    };
    let ds = import_cornell(&PathBuf::from(src), &CornellOptions::default())?.dataset;
    let mut pictures = Vec::new();
    for id in ids {
        let s = ds
            .samples
            .iter()
            .find(|s| s.image_id == id)
            .ok_or(format!("no scene {id}"))?;
        let rgb = read_image(&ds.image_path(s))?.into_rgb8();
        let image = ImageF32 {
            width: rgb.width(),
            height: rgb.height(),
            channels: 3,
            data: rgb.as_raw().iter().map(|&v| f32::from(v) / 255.0).collect(),
        };
        let grasps = s.grasps()?;
        let rects = |positive: bool| -> Vec<RotatedRect> {
            grasps
                .iter()
                .filter(|g| g.positive == positive)
                .map(|g| g.rect.cast())
                .collect()
        };
        let maps = grasp_targets(
            &rects(true),
            image.width,
            image.height,
            &GraspTargetParams::default(),
        );
        let mut picture = grasp_picture(&image, Some(&maps.quality), &rects(true));
        draw_grasps(
            &mut picture,
            &rects(false),
            [150, 150, 150],
            [90, 90, 90],
            1,
        );
        pictures.push(zoom_on(&picture, &rects(true)));
    }
    save_png(&PathBuf::from(out), &side_by_side(&pictures))?;
    println!("wrote {out}");
    Ok(())
}

/// The part of `picture` around the rectangles (30 px margin), enlarged 3x.
fn zoom_on(picture: &image::RgbImage, rects: &[RotatedRect]) -> image::RgbImage {
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for r in rects {
        let b = r.bounding_box();
        (x0, y0, x1, y1) = (x0.min(b.x1), y0.min(b.y1), x1.max(b.x2), y1.max(b.y2));
    }
    let (w, h) = (picture.width() as f32, picture.height() as f32);
    let (x0, y0) = (
        (x0 - 30.0).clamp(0.0, w - 1.0),
        (y0 - 30.0).clamp(0.0, h - 1.0),
    );
    let (x1, y1) = (
        (x1 + 30.0).clamp(x0 + 1.0, w),
        (y1 + 30.0).clamp(y0 + 1.0, h),
    );
    let crop = image::imageops::crop_imm(
        picture,
        x0 as u32,
        y0 as u32,
        (x1 - x0) as u32,
        (y1 - y0) as u32,
    )
    .to_image();
    image::imageops::resize(
        &crop,
        crop.width() * 3,
        crop.height() * 3,
        image::imageops::FilterType::Nearest,
    )
}
