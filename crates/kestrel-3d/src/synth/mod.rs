//! Synthetic training data from CAD models: images of the objects at random poses over
//! random background photos, with occluders and randomised light, colour, blur and noise,
//! written as a BOP scene folder with each instance's exact pose, visible mask and boxes.
//!
//! A configuration ([`SynthConfig`], JSON) names the objects, the camera and the
//! background folders; everything else has defaults. [`SynthGenerator::render_image`]
//! renders one image with its annotations.

mod annotate;
mod appearance;
mod backgrounds;
mod config;
mod generator;
mod objects;
mod placement;
mod primitives;
mod sample;
mod scene;
mod validate;

pub use annotate::SynthInstance;
pub use config::{
    BackgroundSource, BopModels, CameraConfig, IMAGE_EXTENSIONS, ObjectFile, OccluderConfig,
    PoseRanges, Randomization, SynthConfig,
};
pub use generator::SynthGenerator;
pub use objects::{MAX_PLAUSIBLE_DIAMETER_MM, MIN_PLAUSIBLE_DIAMETER_MM, SynthObject};
pub use primitives::Primitive;
pub use sample::image_rng;
pub use scene::SynthImage;
