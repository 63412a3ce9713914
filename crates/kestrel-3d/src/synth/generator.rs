//! [`SynthGenerator`]: the configuration checked, objects read and backgrounds listed
//! once.

use std::path::PathBuf;

use super::backgrounds::list_backgrounds;
use super::config::SynthConfig;
use super::objects::{SynthObject, load_objects};
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

    /// Warnings found while reading the inputs.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}
