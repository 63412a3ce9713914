//! [`SynthGenerator`]: the configuration checked, objects read and backgrounds listed
//! once; images rendered on rayon's pool into a BOP scene folder.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use super::backgrounds::list_backgrounds;
use super::config::SynthConfig;
use super::objects::{SynthObject, load_objects};
use super::output::{ImageRecord, write_image, write_scene_files};
use super::resume::{complete_images, prepare};
use crate::camera::Intrinsics;
use crate::error::Error3d;

/// Renders synthetic training images of CAD objects; see the [module](super)
/// documentation.
#[derive(Debug, Clone)]
pub struct SynthGenerator {
    pub(super) config: SynthConfig,
    pub(super) camera: Intrinsics,
    pub(super) objects: Vec<SynthObject>,
    pub(super) backgrounds: Vec<Vec<PathBuf>>,
    warnings: Vec<String>,
}

/// What [`SynthGenerator::generate`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthReport {
    /// The output folder.
    pub out_dir: PathBuf,
    /// Images the folder now holds (the configuration's `num_images`).
    pub num_images: u64,
    /// Images rendered by this run.
    pub rendered: u64,
    /// Images found complete from an earlier run and kept as they were.
    pub kept: u64,
    /// Annotated instances over all images of the folder.
    pub instances: u64,
    /// Objects this run left out of its images for too small a visible fraction.
    pub dropped: u64,
    /// Wall time of this run's rendering and writing, seconds.
    pub seconds: f64,
    /// `rendered / seconds` (0 when nothing was rendered).
    pub images_per_second: f64,
    /// Warnings: object sizes that suggest units other than millimetres, background
    /// sources without images.
    pub warnings: Vec<String>,
}

impl SynthGenerator {
    /// Checks `config` ([`SynthConfig::validate`]), reads every object's mesh and lists the
    /// background images. Errors name the field or file: an empty object list, a PLY file
    /// that is missing or has no faces, a camera without a positive focal length, a
    /// background folder that does not exist, no background image at all. Objects whose
    /// diameter is below 1 mm or above 10 m are not errors but [warnings](Self::warnings).
    pub fn new(config: SynthConfig) -> Result<SynthGenerator, Error3d> {
        config.validate()?;
        let camera = config.camera.intrinsics()?;
        let (objects, mut warnings) = load_objects(&config)?;
        let (backgrounds, more) = list_backgrounds(&config.backgrounds)?;
        warnings.extend(more);
        Ok(SynthGenerator {
            config,
            camera,
            objects,
            backgrounds,
            warnings,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &SynthConfig {
        &self.config
    }

    /// The camera.
    pub fn camera(&self) -> &Intrinsics {
        &self.camera
    }

    /// The objects, sorted by id.
    pub fn objects(&self) -> &[SynthObject] {
        &self.objects
    }

    /// The background images: per source that has any, its files sorted. A source is
    /// drawn uniformly, then a file in it.
    pub fn backgrounds(&self) -> &[Vec<PathBuf>] {
        &self.backgrounds
    }

    /// Warnings found while reading the inputs (also in every [`SynthReport`]).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// [`generate_with_progress`](Self::generate_with_progress) without progress.
    pub fn generate(&self, out_dir: &Path) -> Result<SynthReport, Error3d> {
        self.generate_with_progress(out_dir, &|_, _| {})
    }

    /// Renders the configuration's `num_images` images into the BOP scene folder
    /// `out_dir`, in parallel on rayon's current pool, and writes the scene's JSON files.
    ///
    /// Resumable: images that an earlier run with the same configuration completed
    /// (their record in `synth/images/` written, which happens after their picture and
    /// masks) are kept untouched and not rendered again; the scene files are then
    /// rewritten with every image. Since every image depends only on the configuration
    /// and its index, an interrupted run continued gives the same bytes as one run.
    /// A folder holding another configuration (all fields but `num_images` compared) or
    /// other files is an error and is left untouched.
    ///
    /// Every file is written atomically (temporary file, then rename). `progress(done,
    /// to_render)` is called after each rendered image, from the rendering threads.
    pub fn generate_with_progress(
        &self,
        out_dir: &Path,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<SynthReport, Error3d> {
        let start = Instant::now();
        prepare(out_dir, &self.config)?;
        let depth = self.config.write_depth;
        let done = complete_images(out_dir, self.config.num_images, depth)?;
        let todo: Vec<u64> = (0..self.config.num_images)
            .filter(|&i| done[i as usize].is_none())
            .collect();
        let finished = AtomicU64::new(0);
        let to_render = todo.len() as u64;
        let dropped = todo
            .par_iter()
            .map(|&i| {
                let image = self.render_image(i)?;
                write_image(out_dir, &image, depth)?;
                progress(finished.fetch_add(1, Ordering::Relaxed) + 1, to_render);
                Ok(image.dropped as u64)
            })
            .collect::<Result<Vec<u64>, Error3d>>()?
            .into_iter()
            .sum();
        // Every record read back from disk, so that the scene files are the same bytes
        // whether the images were made in one run or several.
        let records = complete_images(out_dir, self.config.num_images, depth)?
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                r.ok_or_else(|| {
                    Error3d::invalid(
                        out_dir.display().to_string(),
                        format!("image {i} is incomplete after it was written"),
                    )
                })
            })
            .collect::<Result<Vec<ImageRecord>, Error3d>>()?;
        write_scene_files(out_dir, &records, &self.camera)?;
        let seconds = start.elapsed().as_secs_f64();
        let rendered = to_render;
        Ok(SynthReport {
            out_dir: out_dir.to_path_buf(),
            num_images: self.config.num_images,
            rendered,
            kept: self.config.num_images - rendered,
            instances: records.iter().map(|r| r.len() as u64).sum(),
            dropped,
            seconds,
            images_per_second: if rendered > 0 {
                rendered as f64 / seconds
            } else {
                0.0
            },
            warnings: self.warnings.clone(),
        })
    }
}
