//! Synthetic training data from CAD models: images of the objects at random poses over
//! random background photos, with occluders and randomised light, colour, blur and noise,
//! written as a BOP scene folder with each instance's exact pose, visible mask and boxes
//! (read back with [`read_bop_scene`](crate::read_bop_scene) or
//! [`import_bop`](crate::import_bop)).
//!
//! A configuration ([`SynthConfig`], JSON) names the objects, the camera and the
//! background folders; everything else has defaults:
//!
//! ```json
//! {
//!   "bop_models": { "dir": "lmo/models" },
//!   "camera": { "fx": 572.4114, "fy": 573.57043, "cx": 325.2611, "cy": 242.04899,
//!               "width": 640, "height": 480 },
//!   "backgrounds": ["images", { "dir": "magnetic-tile", "extensions": ["jpg"] }],
//!   "num_images": 10000,
//!   "seed": 1,
//!   "poses": { "distance_mm": [350, 1500], "objects_per_image": [2, 5] },
//!   "occluders": { "per_image": [0, 3] }
//! }
//! ```
//!
//! ```no_run
//! use kestrel_3d::synth::{SynthConfig, SynthGenerator};
//! # fn main() -> Result<(), kestrel_3d::Error3d> {
//! let config = SynthConfig::from_json_file(std::path::Path::new("synth.json"))?;
//! let generator = SynthGenerator::new(config)?;
//! let report = generator.generate(std::path::Path::new("train_synth/000000"))?;
//! println!("{} images, {:.1} images/s", report.rendered, report.images_per_second);
//! # Ok(())
//! # }
//! ```
//!
//! **Each image.** Image `i` draws everything from its own generator seeded by
//! `(seed, i)` ([`image_rng`]), so any image can be rendered alone
//! ([`SynthGenerator::render_image`]) and the output does not depend on the number of
//! threads or the order. An image shows 1 to 4 (by default) different objects, each
//! seen from a direction drawn uniformly on the sphere between the elevation limits
//! (the model's +z is up), at any azimuth and in-plane rotation, its centre at a drawn
//! distance on the ray through a uniformly drawn pixel (so it is at least partly in
//! view); bounding spheres do not intersect. Occluders (primitive boxes, ellipsoids and
//! cylinders in random colours and orientations, or CAD objects not otherwise in the
//! image, which are annotated and keep to the objects' view and distance ranges) are put
//! between the camera and an object, off its centre, so they hide a part of it. Objects
//! are rendered with the crate's renderer over a random crop of a background photo (a
//! source drawn uniformly, then a photo in it, so a folder of a few photos is used as
//! often as one of thousands of textures), then colours, contrast, blur and noise are
//! randomised.
//!
//! **Annotations** follow BOP: `px_count_all` and `bbox_obj` come from the object rendered
//! alone (`bbox_obj` may extend past the image), `px_count_visib`, `bbox_visib` and the
//! mask from the scene, `visib_fract = px_count_visib / px_count_all`. Objects below
//! [`SynthConfig::min_visib_fract`] are **removed from the image** (and the image
//! rendered again without them), not merely left unannotated, so no picture shows an
//! object that its annotations do not list.
//!
//! **Units.** A model whose diameter is below 1 mm or above 10 m is most likely not in
//! millimetres; this is reported as a warning ([`SynthReport::warnings`]), not an error.

mod annotate;
mod appearance;
mod backgrounds;
mod config;
mod generator;
mod objects;
mod output;
mod placement;
mod primitives;
mod resume;
mod sample;
mod scene;
mod validate;

pub use annotate::SynthInstance;
pub use config::{
    BackgroundSource, BopModels, CameraConfig, IMAGE_EXTENSIONS, ObjectFile, OccluderConfig,
    PoseRanges, Randomization, SynthConfig,
};
pub use generator::{SynthGenerator, SynthReport};
pub use objects::{MAX_PLAUSIBLE_DIAMETER_MM, MIN_PLAUSIBLE_DIAMETER_MM, SynthObject};
pub use primitives::Primitive;
pub use resume::GENERATOR_VERSION;
pub use sample::image_rng;
pub use scene::SynthImage;
