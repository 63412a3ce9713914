//! Synthetic training images of the 8 LM-O objects: 640x480 with the LM-O camera, over
//! background photos (`images`, `neu-det`, `magnetic-tile` of the shared data; never
//! LM-O's test images), written as a BOP scene folder. Prints images/s. Running it again
//! with the same arguments continues an interrupted run (a larger N adds images).
//!
//! ```sh
//! RAYON_NUM_THREADS=2 cargo run --release -p kestrel-3d --example render_training_data -- \
//!     ../shared/data /tmp/lmo_synth 200 [SEED]
//! ```

use std::path::PathBuf;

use kestrel_3d::synth::{BackgroundSource, BopModels, CameraConfig, SynthConfig, SynthGenerator};

fn main() {
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let usage = "usage: render_training_data DATA_DIR OUT_DIR [N] [SEED]";
    let mut args = std::env::args().skip(1);
    let data = PathBuf::from(args.next().ok_or(usage)?);
    let out = PathBuf::from(args.next().ok_or(usage)?);
    let num_images: u64 = args.next().map_or(Ok(200), |a| a.parse())?;
    let seed: u64 = args.next().map_or(Ok(0), |a| a.parse())?;
    let lmo = data.join("lmo");
    let camera = CameraConfig::read_bop_camera(&lmo.join("camera.json"))?;
    let backgrounds = vec![
        BackgroundSource::Path(data.join("images")),
        BackgroundSource::Filtered {
            dir: data.join("neu-det"),
            extensions: vec!["jpg".into()],
        },
        // The PNG files beside the photos are defect masks.
        BackgroundSource::Filtered {
            dir: data.join("magnetic-tile"),
            extensions: vec!["jpg".into()],
        },
    ];
    let mut config = SynthConfig::new(Vec::new(), camera, backgrounds);
    config.bop_models = Some(BopModels {
        dir: lmo.join("models"),
        obj_ids: None,
    });
    config.num_images = num_images;
    config.seed = seed;
    config.poses.objects_per_image = [2, 6];
    let generator = SynthGenerator::new(config)?;
    for w in generator.warnings() {
        eprintln!("warning: {w}");
    }
    println!(
        "{} objects, background photos {:?} (a folder drawn uniformly, then a photo), {} threads",
        generator.objects().len(),
        generator
            .backgrounds()
            .iter()
            .map(Vec::len)
            .collect::<Vec<_>>(),
        rayon::current_num_threads()
    );
    let step = (num_images / 10).max(1);
    let report = generator.generate_with_progress(&out, &|done, total| {
        if done % step == 0 || done == total {
            eprintln!("{done}/{total}");
        }
    })?;
    println!(
        "{}: {} images ({} rendered, {} kept from an earlier run), {} instances, {} objects \
         left out for visibility; {:.1} s, {:.2} images/s",
        report.out_dir.display(),
        report.num_images,
        report.rendered,
        report.kept,
        report.instances,
        report.dropped,
        report.seconds,
        report.images_per_second
    );
    Ok(())
}
