//! A picture of the LM-O objects rendered at their ground-truth poses over the real photos:
//! four test images (320x240 crops at full resolution around the objects), each object's
//! rendered silhouette tinted and outlined in its own colour.
//!
//! ```sh
//! cargo run --release -p kestrel-3d --example lmo_overlay -- ../shared/data/lmo docs/images/lmo_silhouettes.png
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use image::{Rgb, RgbImage, imageops};
use kestrel_3d::bop::{model_path, read_bop_scene};
use kestrel_3d::{Mesh, ObjectMask, RenderObject, RenderOptions, read_models_info, render};

/// One colour per object of a scene.
const PALETTE: [[u8; 3]; 8] = [
    [255, 64, 64],
    [64, 255, 64],
    [64, 128, 255],
    [255, 220, 0],
    [255, 0, 255],
    [0, 255, 255],
    [255, 140, 0],
    [255, 255, 255],
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let lmo = PathBuf::from(args.next().ok_or("usage: lmo_overlay LMO_DIR OUT.png")?);
    let out = PathBuf::from(args.next().ok_or("usage: lmo_overlay LMO_DIR OUT.png")?);
    let info = read_models_info(&lmo.join("models/models_info.json"))?;
    let mut models = BTreeMap::new();
    for &id in info.keys() {
        models.insert(id, Mesh::read_ply(&model_path(&lmo.join("models"), id))?);
    }
    let scene = lmo.join("test/000002");
    let images = read_bop_scene(&scene)?;
    let picks = [0, 6, 12, 18];
    let mut sheet = RgbImage::new(640, 480);
    for (slot, &i) in picks.iter().enumerate() {
        let im = &images[i];
        let mut photo = image::open(scene.join(&im.image_file))?.to_rgb8();
        let objects: Vec<RenderObject> = im
            .instances
            .iter()
            .map(|inst| RenderObject {
                mesh: &models[&inst.obj_id],
                pose: inst.pose,
            })
            .collect();
        let r = render(&im.camera, &objects, &RenderOptions::default(), None)?;
        tint(&mut photo, &r.mask);
        // A 320x240 crop at full resolution, centred on the rendered objects.
        let boxes: Vec<_> = (1..=objects.len() as u16)
            .filter_map(|id| r.mask.bbox(id))
            .collect();
        let cx = (boxes.iter().map(|b| b.x1).min().unwrap_or(0)
            + boxes.iter().map(|b| b.x2).max().unwrap_or(639))
            / 2;
        let cy = (boxes.iter().map(|b| b.y1).min().unwrap_or(0)
            + boxes.iter().map(|b| b.y2).max().unwrap_or(479))
            / 2;
        let (x0, y0) = (
            (cx - 160).clamp(0, 320) as u32,
            (cy - 120).clamp(0, 240) as u32,
        );
        let crop = imageops::crop_imm(&photo, x0, y0, 320, 240).to_image();
        imageops::replace(
            &mut sheet,
            &crop,
            (slot as i64 % 2) * 320,
            (slot as i64 / 2) * 240,
        );
    }
    sheet.save(&out)?;
    println!("wrote {}", out.display());
    Ok(())
}

/// Blends each object's colour into its pixels and draws its outline in full colour.
fn tint(photo: &mut RgbImage, mask: &ObjectMask) {
    let (w, h) = (mask.width() as i64, mask.height() as i64);
    let id = |x: i64, y: i64| {
        if x < 0 || y < 0 || x >= w || y >= h {
            0
        } else {
            mask.ids()[(y * w + x) as usize]
        }
    };
    for y in 0..h {
        for x in 0..w {
            let v = id(x, y);
            if v == 0 {
                continue;
            }
            let c = PALETTE[(usize::from(v) - 1) % PALETTE.len()];
            let edge = [(1, 0), (-1, 0), (0, 1), (0, -1)]
                .iter()
                .any(|(dx, dy)| id(x + dx, y + dy) != v);
            let p = photo.get_pixel_mut(x as u32, y as u32);
            *p = if edge {
                Rgb(c)
            } else {
                Rgb(std::array::from_fn(|k| {
                    ((u16::from(p.0[k]) + u16::from(c[k])) / 2) as u8
                }))
            };
        }
    }
}
