//! `kestrel dataset render`: synthetic training images of CAD models.

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use kestrel_3d::synth::{SynthConfig, SynthGenerator};
use std::path::Path;

/// Renders the images `config` describes (`num_images` of them when given) into the BOP
/// scene folder `out`, continuing what an earlier run there completed.
pub fn run(config: &Path, num_images: Option<u64>, out: &Path) -> Result<()> {
    let mut config = SynthConfig::from_json_file(config)?;
    if let Some(n) = num_images {
        config.num_images = n;
    }
    let generator = SynthGenerator::new(config)?;
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("rendering [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let report = generator
        .generate_with_progress(out, &|done, total| {
            bar.set_length(total);
            bar.set_position(done);
        })
        .with_context(|| format!("rendering into {}", out.display()))?;
    bar.finish_and_clear();
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
    println!(
        "{} images in {} ({} rendered now at {:.1} images/s, {} kept from before), {} instances; \
         {} objects left out of their images for too small a visible fraction",
        report.num_images,
        out.display(),
        report.rendered,
        report.images_per_second,
        report.kept,
        report.instances,
        report.dropped
    );
    Ok(())
}
