//! Renderer speed: every LM-O test image re-rendered with all its objects at their
//! ground-truth poses over the real photo (640x480), on a rayon pool of N threads, with
//! all faces drawn and with back faces culled.
//!
//! ```sh
//! cargo run --release -p kestrel-3d --example render_speed -- ../shared/data/lmo 2
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use kestrel_3d::bop::{model_path, read_bop_scene};
use kestrel_3d::{Mesh, RenderObject, RenderOptions, read_models_info, render};
use rayon::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let lmo = PathBuf::from(
        args.next()
            .ok_or("usage: render_speed LMO_DIR [THREADS] [ROUNDS]")?,
    );
    let threads: usize = args.next().map_or(Ok(2), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(10), |a| a.parse())?;
    let info = read_models_info(&lmo.join("models/models_info.json"))?;
    let mut models = BTreeMap::new();
    for &id in info.keys() {
        models.insert(id, Mesh::read_ply(&model_path(&lmo.join("models"), id))?);
    }
    let scene = lmo.join("test/000002");
    let images = read_bop_scene(&scene)?;
    let photos = images
        .iter()
        .map(|im| Ok(image::open(scene.join(&im.image_file))?.to_rgb8()))
        .collect::<Result<Vec<_>, image::ImageError>>()?;
    let triangles: usize = images
        .iter()
        .flat_map(|im| &im.instances)
        .map(|i| models[&i.obj_id].faces().len())
        .sum::<usize>()
        / images.len();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()?;
    let jobs: Vec<usize> = (0..rounds).flat_map(|_| 0..images.len()).collect();
    for cull_back_faces in [false, true] {
        let options = RenderOptions {
            cull_back_faces,
            ..RenderOptions::default()
        };
        let start = Instant::now();
        let drawn: usize = pool.install(|| {
            jobs.par_iter()
                .map(|&i| {
                    let objects: Vec<RenderObject> = images[i]
                        .instances
                        .iter()
                        .map(|inst| RenderObject {
                            mesh: &models[&inst.obj_id],
                            pose: inst.pose,
                        })
                        .collect();
                    let r = render(&images[i].camera, &objects, &options, Some(&photos[i]))
                        .expect("render");
                    r.mask.ids().iter().filter(|&&id| id != 0).count()
                })
                .sum()
        });
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{} images of 640x480 ({} objects, ~{triangles} triangles each on average), cull_back_faces {cull_back_faces}, \
             {threads} threads: {seconds:.2} s, {:.1} images/s ({} object pixels per image)",
            jobs.len(),
            images.iter().map(|im| im.instances.len()).sum::<usize>() / images.len(),
            jobs.len() as f64 / seconds,
            drawn / jobs.len()
        );
    }
    Ok(())
}
