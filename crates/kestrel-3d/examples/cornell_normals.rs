//! A picture of surface normals on Cornell grasping scenes: per row the colour image, and
//! the normals of its depth (lifted as ranges with the Kinect v1 nominal intrinsics,
//! smoothing 2) as `(n + 1) / 2` in red, green, blue (x right, y down, z away from the
//! camera; normals point towards the camera).
//!
//! ```sh
//! cargo run --release -p kestrel-3d --example cornell_normals -- ../shared/data/cornell-grasp docs/images/cornell_normals.png
//! ```

use std::path::PathBuf;

use image::{RgbImage, imageops};
use kestrel_3d::{DepthImage, Intrinsics, NormalImage, XyzImage};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: cornell_normals CORNELL_DIR OUT.png";
    let dir = PathBuf::from(args.next().ok_or(usage)?);
    let out = PathBuf::from(args.next().ok_or(usage)?);
    let camera = Intrinsics::new(585.0, 585.0, 320.0, 240.0, 640, 480)?;
    let scenes = ["pcd0100", "pcd0134"];
    let mut sheet = RgbImage::new(640, 240 * scenes.len() as u32);
    for (row, name) in scenes.iter().enumerate() {
        let rgb = image::open(dir.join(format!("{name}r.png")))?.to_rgb8();
        let depth = DepthImage::read(&dir.join(format!("{name}d.png")), 1.0)?;
        let xyz = XyzImage::from_range(&depth, &camera)?;
        let normals = NormalImage::from_xyz(&xyz, 2).to_rgb();
        let y = row as i64 * 240;
        for (col, img) in [rgb, normals].iter().enumerate() {
            let small = imageops::resize(img, 320, 240, imageops::FilterType::Triangle);
            imageops::replace(&mut sheet, &small, col as i64 * 320, y);
        }
    }
    sheet.save(&out)?;
    println!("wrote {}", out.display());
    Ok(())
}
