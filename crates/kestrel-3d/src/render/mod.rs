//! A software renderer: coloured triangle meshes at poses, seen by a pinhole camera, into
//! an RGB image, a depth image and an object mask (z-buffer, perspective-correct colour
//! interpolation, Lambert shading), over a background image.
//!
//! One call renders one image on the calling thread; render many images in parallel
//! (e.g. with rayon) to use several cores.

mod mask;
mod raster;

pub use mask::{ObjectMask, PixelBox};

use crate::camera::Intrinsics;
use crate::depth::DepthImage;
use crate::error::Error3d;
use crate::linalg::{self, Vec3};
use crate::mesh::Mesh;
use crate::pose::Pose;

/// A directional light with an ambient part. The shade of a vertex is
/// `ambient + diffuse * max(0, n · l)`, `n` its normal and `l` the unit direction towards
/// the light, both in camera coordinates; its colour is the vertex colour times the shade.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Light {
    /// Direction towards the light, in camera coordinates (need not be unit length).
    pub direction: Vec3,
    /// Shade of surfaces the light does not reach.
    pub ambient: f32,
    /// Shade added for surfaces that face the light.
    pub diffuse: f32,
}

impl Default for Light {
    /// A light at the camera (`[0, 0, -1]`: towards the camera), ambient 0.3, diffuse 0.7.
    fn default() -> Self {
        Light {
            direction: [0.0, 0.0, -1.0],
            ambient: 0.3,
            diffuse: 0.7,
        }
    }
}

/// Settings of [`render`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RenderOptions {
    /// The light.
    pub light: Light,
    /// Colour of meshes without vertex colours.
    pub default_color: [u8; 3],
    /// Triangles with a corner closer than this (millimetres along the optical axis) are
    /// not drawn (no clipping).
    pub near: f64,
    /// Where pixel `(i, j)` is sampled, in the camera's image coordinates:
    /// `(i + sample_offset, j + sample_offset)`. 0 samples the pixel centres of Kestrel's
    /// convention (see [`Intrinsics`]); 0.5 reproduces OpenGL renderers that take the
    /// camera matrix as mapping to pixel corners, such as BOP's (its `bbox_obj` and masks).
    pub sample_offset: f64,
    /// Skip triangles that turn their back to the camera. Right for closed meshes whose
    /// faces are counter-clockwise seen from outside (BOP's models), and about 1.5 times
    /// faster; an open mesh shows holes where its inside would be seen.
    pub cull_back_faces: bool,
}

impl Default for RenderOptions {
    /// The default light, light grey for meshes without colours, near plane at 10 mm,
    /// pixels sampled at their centres, all faces drawn.
    fn default() -> Self {
        RenderOptions {
            light: Light::default(),
            default_color: [200, 200, 200],
            near: 10.0,
            sample_offset: 0.0,
            cull_back_faces: false,
        }
    }
}

/// A mesh placed in the scene: `pose` maps model points to camera points (BOP's
/// `cam_R_m2c`, `cam_t_m2c`).
#[derive(Debug, Clone, Copy)]
pub struct RenderObject<'a> {
    /// The mesh.
    pub mesh: &'a Mesh,
    /// Model-to-camera pose.
    pub pose: Pose,
}

/// What [`render`] produces, all of the camera's size.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendering {
    /// The shaded objects over the background (black without one).
    pub rgb: image::RgbImage,
    /// Depth of the nearest surface in millimetres; invalid where no object is.
    pub depth: DepthImage,
    /// Which object each pixel shows: `i + 1` for `objects[i]`, 0 for none.
    pub mask: ObjectMask,
}

/// Renders `objects` with `camera` over `background` (same size as the camera's image)
/// or black. Nearer surfaces hide farther ones, also across objects.
pub fn render(
    camera: &Intrinsics,
    objects: &[RenderObject],
    options: &RenderOptions,
    background: Option<&image::RgbImage>,
) -> Result<Rendering, Error3d> {
    if objects.len() > usize::from(u16::MAX) {
        return Err(Error3d::invalid(
            "render",
            format!("{} objects (at most 65,535)", objects.len()),
        ));
    }
    let (w, h) = (camera.width, camera.height);
    let rgb = match background {
        Some(img) => {
            camera.check_size("background image", img.width(), img.height())?;
            img.clone()
        }
        None => image::RgbImage::new(w, h),
    };
    let light = linalg::normalize(options.light.direction)
        .ok_or_else(|| Error3d::invalid("light", "direction has no length"))?;
    let mut target = raster::Target::new(rgb);
    for (index, object) in objects.iter().enumerate() {
        let shaded = raster::shade_vertices(object, camera, options, light);
        target.draw_mesh(
            object.mesh.faces(),
            &shaded,
            (index + 1) as u16,
            options.near as f32,
            options.cull_back_faces,
        );
    }
    Ok(target.finish())
}
