//! [`SynthConfig`]: what the training-data generator renders, as a JSON-readable struct
//! with defaults for everything but the objects, the camera and the backgrounds.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::camera::Intrinsics;
use crate::error::Error3d;

/// Everything the generator needs; see the module documentation for an example file.
///
/// Only `objects` (or `bop_models`), `camera` and `backgrounds` are required in JSON;
/// every other field has the default documented on it. Unknown fields are errors, so a
/// misspelt name is reported rather than ignored. [`SynthConfig::validate`] checks the
/// values and names the first bad field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SynthConfig {
    /// Objects given one by one: an object id and its PLY file (millimetres).
    #[serde(default)]
    pub objects: Vec<ObjectFile>,
    /// Objects from a BOP models folder (`models_info.json` and `obj_NNNNNN.ply`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bop_models: Option<BopModels>,
    /// The camera and the image size.
    pub camera: CameraConfig,
    /// Where the background photos are: folders searched recursively, or single files.
    pub backgrounds: Vec<BackgroundSource>,
    /// How many images to render (default 1000).
    #[serde(default = "default_num_images")]
    pub num_images: u64,
    /// The seed; image `i` is drawn from its own generator seeded by `(seed, i)`
    /// (default 0).
    #[serde(default)]
    pub seed: u64,
    /// Where objects are placed and how they are seen.
    #[serde(default)]
    pub poses: PoseRanges,
    /// Shapes placed between the camera and the objects.
    #[serde(default)]
    pub occluders: OccluderConfig,
    /// Domain randomisation of light, colour, blur, noise and contrast.
    #[serde(default)]
    pub randomization: Randomization,
    /// Objects whose visible fraction (`px_count_visib / px_count_all`) is below this
    /// are removed from the image (not drawn) and the image is rendered again without
    /// them, so that no unannotated part of a known object is left in a picture
    /// (default 0.1).
    #[serde(default = "default_min_visib_fract")]
    pub min_visib_fract: f64,
    /// Also write the rendered depth (`depth/NNNNNN.png`, 16-bit millimetres, BOP
    /// `depth_scale` 1; background pixels 0) (default false).
    #[serde(default)]
    pub write_depth: bool,
    /// Skip triangles that face away from the camera (about 1.5 times faster; right for
    /// closed meshes with counter-clockwise faces, such as BOP's) (default true).
    #[serde(default = "yes")]
    pub cull_back_faces: bool,
}

/// One object: its id (BOP `obj_id`, written to `scene_gt.json`) and its PLY file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectFile {
    /// The object id.
    pub obj_id: u32,
    /// The PLY file, in millimetres.
    pub ply: PathBuf,
}

/// The objects of a BOP models folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BopModels {
    /// The folder holding `models_info.json` and `obj_NNNNNN.ply`.
    pub dir: PathBuf,
    /// The objects to use; all of `models_info.json` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obj_ids: Option<Vec<u32>>,
}

/// A distortion-free pinhole camera and the size of the rendered images, with the field
/// names of BOP's `camera.json` (whose other fields, such as `depth_scale`, are ignored).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CameraConfig {
    /// Focal length along the columns, pixels.
    pub fx: f64,
    /// Focal length along the rows, pixels.
    pub fy: f64,
    /// Principal point column, pixels.
    pub cx: f64,
    /// Principal point row, pixels.
    pub cy: f64,
    /// Image width, pixels.
    pub width: u32,
    /// Image height, pixels.
    pub height: u32,
}

impl CameraConfig {
    /// Reads a BOP `camera.json` (`fx`, `fy`, `cx`, `cy`, `width`, `height`); errors name
    /// the file and a missing field.
    pub fn read_bop_camera(path: &Path) -> Result<CameraConfig, Error3d> {
        crate::bop::read_json(path)
    }

    /// The camera as [`Intrinsics`]; an error naming the field for a focal length that
    /// is not positive, a principal point that is not finite or an empty image.
    pub fn intrinsics(&self) -> Result<Intrinsics, Error3d> {
        for (name, v) in [("fx", self.fx), ("fy", self.fy)] {
            if !(v > 0.0 && v.is_finite()) {
                return Err(Error3d::config(
                    format!("camera.{name}"),
                    format!("focal length {v} must be positive and finite"),
                ));
            }
        }
        for (name, v) in [("cx", self.cx), ("cy", self.cy)] {
            if !v.is_finite() {
                return Err(Error3d::config(
                    format!("camera.{name}"),
                    format!("{v} is not finite"),
                ));
            }
        }
        for (name, v) in [("width", self.width), ("height", self.height)] {
            if v == 0 {
                return Err(Error3d::config(
                    format!("camera.{name}"),
                    "the image must not be empty",
                ));
            }
        }
        Intrinsics::new(self.fx, self.fy, self.cx, self.cy, self.width, self.height)
    }
}

impl From<&Intrinsics> for CameraConfig {
    fn from(c: &Intrinsics) -> Self {
        CameraConfig {
            fx: c.fx,
            fy: c.fy,
            cx: c.cx,
            cy: c.cy,
            width: c.width,
            height: c.height,
        }
    }
}

/// Background photos: a folder (searched recursively) or a single image file. In JSON
/// either a path (`"photos"`, every png/jpg/jpeg/bmp/tif/tiff under it) or an object
/// `{"dir": "tiles", "extensions": ["jpg"]}` to take only some file types (e.g. to leave
/// out the PNG masks stored beside a data set's JPEG photos).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BackgroundSource {
    /// A folder or file, all image types.
    Path(PathBuf),
    /// A folder or file, only the listed extensions.
    Filtered {
        /// The folder or file.
        dir: PathBuf,
        /// Extensions to take, without the dot, matched ignoring case.
        extensions: Vec<String>,
    },
}

/// The image extensions a [`BackgroundSource::Path`] takes.
pub const IMAGE_EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "bmp", "tif", "tiff"];

impl BackgroundSource {
    /// The folder or file.
    pub fn path(&self) -> &Path {
        match self {
            BackgroundSource::Path(p) => p,
            BackgroundSource::Filtered { dir, .. } => dir,
        }
    }

    /// Whether a file name with extension `ext` is taken.
    pub fn takes(&self, ext: &str) -> bool {
        match self {
            BackgroundSource::Path(_) => {
                IMAGE_EXTENSIONS.iter().any(|e| e.eq_ignore_ascii_case(ext))
            }
            BackgroundSource::Filtered { extensions, .. } => {
                extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))
            }
        }
    }
}

/// Where objects are placed and from where they are seen. Ranges are `[min, max]`,
/// drawn uniformly (elevation uniformly on the sphere).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PoseRanges {
    /// Distance from the camera centre to the object's centre (the centre of its
    /// bounding box), millimetres (default `[350, 1500]`, LM-O's depth range).
    pub distance_mm: [f64; 2],
    /// Elevation of the viewing direction above the model's xy plane (the model's +z is
    /// up), degrees in -90..90 (default `[-15, 90]`: the upper hemisphere and a little
    /// below, like LM-O's -14..89).
    pub elevation_deg: [f64; 2],
    /// Azimuth of the viewing direction about the model's z axis, degrees (default
    /// `[0, 360]`).
    pub azimuth_deg: [f64; 2],
    /// Rotation of the camera about its optical axis, degrees (default `[-180, 180]`).
    pub inplane_deg: [f64; 2],
    /// How many different objects an image shows (default `[1, 4]`; at most the number
    /// of objects). Each object's centre projects to a uniformly drawn pixel of the image,
    /// so it is at least partly in view; objects whose bounding spheres would intersect
    /// are placed again (up to 30 tries, then left out).
    pub objects_per_image: [u32; 2],
}

impl Default for PoseRanges {
    fn default() -> Self {
        PoseRanges {
            distance_mm: [350.0, 1500.0],
            elevation_deg: [-15.0, 90.0],
            azimuth_deg: [0.0, 360.0],
            inplane_deg: [-180.0, 180.0],
            objects_per_image: [1, 4],
        }
    }
}

/// Occluders: shapes placed between the camera and an object so that they hide part of
/// it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OccluderConfig {
    /// How many occluders an image has (default `[0, 3]`).
    pub per_image: [u32; 2],
    /// Probability that an occluder is one of the CAD objects not yet in the image
    /// rather than a random primitive; a CAD occluder is annotated like any object
    /// (default 0.3).
    pub cad_probability: f64,
    /// Size of a primitive occluder (box, ellipsoid or cylinder, random colour and
    /// orientation) as a fraction of the occluded object's size, both seen from the
    /// camera (default `[0.3, 0.8]`).
    pub size_fraction: [f64; 2],
    /// Offset of the occluder's centre from the object's centre in the image, as a
    /// fraction of the object's radius there (default `[0.3, 1.0]`: partly covering).
    pub offset_fraction: [f64; 2],
}

impl Default for OccluderConfig {
    fn default() -> Self {
        OccluderConfig {
            per_image: [0, 3],
            cad_probability: 0.3,
            size_fraction: [0.3, 0.8],
            offset_fraction: [0.3, 1.0],
        }
    }
}

/// Domain randomisation: every image draws its own values from these `[min, max]`
/// ranges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Randomization {
    /// Angle between the direction towards the light and the direction towards the
    /// camera, degrees (default `[0, 70]`; the azimuth about the optical axis is uniform).
    pub light_angle_deg: [f64; 2],
    /// Ambient shade (default `[0.2, 0.5]`).
    pub ambient: [f64; 2],
    /// Diffuse shade (default `[0.5, 0.9]`).
    pub diffuse: [f64; 2],
    /// Per object, a factor on all its colour channels (default `[0.8, 1.2]`).
    pub object_brightness: [f64; 2],
    /// Per object and colour channel, a factor `1 + u` with `u` uniform in
    /// `[-object_color, object_color]` (default 0.1).
    pub object_color: f64,
    /// Per image, a crop of the background photo whose size is this fraction of the
    /// largest crop of the image's aspect ratio, resized to the image (default
    /// `[0.3, 1.0]`); mirrored left-right with probability 0.5.
    pub background_scale: [f64; 2],
    /// Contrast factor about mid-grey, per image (default `[0.8, 1.2]`).
    pub contrast: [f64; 2],
    /// Brightness offset in grey values, per image (default `[-20, 20]`).
    pub brightness: [f64; 2],
    /// Gaussian blur sigma in pixels, per image (default `[0, 1]`; below 0.3 no blur).
    pub blur_sigma: [f64; 2],
    /// Sigma of Gaussian pixel noise in grey values, per image (default `[0, 6]`).
    pub noise_sigma: [f64; 2],
}

impl Default for Randomization {
    fn default() -> Self {
        Randomization {
            light_angle_deg: [0.0, 70.0],
            ambient: [0.2, 0.5],
            diffuse: [0.5, 0.9],
            object_brightness: [0.8, 1.2],
            object_color: 0.1,
            background_scale: [0.3, 1.0],
            contrast: [0.8, 1.2],
            brightness: [-20.0, 20.0],
            blur_sigma: [0.0, 1.0],
            noise_sigma: [0.0, 6.0],
        }
    }
}

fn default_num_images() -> u64 {
    1000
}

fn default_min_visib_fract() -> f64 {
    0.1
}

fn yes() -> bool {
    true
}

impl SynthConfig {
    /// A configuration with the given objects, camera and backgrounds and every other
    /// field at its default.
    pub fn new(
        objects: Vec<ObjectFile>,
        camera: CameraConfig,
        backgrounds: Vec<BackgroundSource>,
    ) -> SynthConfig {
        SynthConfig {
            objects,
            bop_models: None,
            camera,
            backgrounds,
            num_images: default_num_images(),
            seed: 0,
            poses: PoseRanges::default(),
            occluders: OccluderConfig::default(),
            randomization: Randomization::default(),
            min_visib_fract: default_min_visib_fract(),
            write_depth: false,
            cull_back_faces: true,
        }
    }

    /// Reads a JSON configuration and validates it. Relative paths in it (objects, models
    /// folder, backgrounds) are taken from the file's folder. Errors name the file, and
    /// the field where one is at fault.
    pub fn from_json_file(path: &Path) -> Result<SynthConfig, Error3d> {
        let mut config: SynthConfig = crate::bop::read_json(path)?;
        let base = path.parent().unwrap_or(Path::new(""));
        config.resolve_paths(base);
        config.validate().map_err(|e| match e {
            Error3d::Config { field, message } => Error3d::Field {
                path: path.to_path_buf(),
                field,
                message,
            },
            other => other,
        })?;
        Ok(config)
    }

    /// The configuration as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a SynthConfig always serialises")
    }

    /// Makes every relative path absolute-from-`base` (a path that already is absolute
    /// is kept).
    fn resolve_paths(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        for o in &mut self.objects {
            fix(&mut o.ply);
        }
        if let Some(b) = &mut self.bop_models {
            fix(&mut b.dir);
        }
        for b in &mut self.backgrounds {
            match b {
                BackgroundSource::Path(p) => fix(p),
                BackgroundSource::Filtered { dir, .. } => fix(dir),
            }
        }
    }
}
