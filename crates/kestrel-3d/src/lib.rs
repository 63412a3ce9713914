//! Kestrel's 3D foundations, without tensors: pinhole cameras, depth and X/Y/Z images,
//! surface normals, point clouds and planes, rigid poses (with HALCON's pose convention),
//! PLY meshes, a software renderer, BOP pose datasets, synthetic training images of CAD
//! models ([`synth`]), the XYZ image of a gripping sample
//! ([`sample_xyz`]) and the pose errors used to
//! evaluate 6-DoF pose estimation (ADD, ADD-S, MSSD, MSPD, recalls).
//!
//! Units: millimetres for points, depths and translations; radians for angles unless a
//! name says degrees. Pixel centres are at integer image coordinates (see [`Intrinsics`]).
//!
//! ```no_run
//! use kestrel_3d::{DepthImage, Intrinsics, NormalImage, XyzImage, fit_plane, RansacParams};
//! # fn main() -> Result<(), kestrel_3d::Error3d> {
//! let camera = Intrinsics::new(585.0, 585.0, 320.0, 240.0, 640, 480)?;
//! // A 16-bit PNG of millimetres along the optical axis (use `XyzImage::from_range` for
//! // distances from the camera centre, such as the Cornell grasping images).
//! let depth = DepthImage::read(std::path::Path::new("depth.png"), 1.0)?;
//! let xyz = XyzImage::from_depth(&depth, &camera)?;
//! let normals = NormalImage::from_xyz(&xyz, 2);
//! let table = fit_plane(&xyz.valid_points(), &RansacParams::default())?;
//! println!("table normal {:?}", table.plane.normal);
//! normals.to_rgb().save("normals.png").expect("write normals.png");
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod bop;
pub mod camera;
pub mod cloud;
pub mod depth;
pub mod error;
pub mod gripping;
pub mod linalg;
pub mod mesh;
pub mod normals;
pub mod plane;
pub mod pose;
pub mod pose_error;
pub mod render;
pub mod synth;
pub mod xyz;

pub use bop::{import_bop, read_bop_scene, read_models_info};
pub use camera::Intrinsics;
pub use cloud::PointCloud;
pub use depth::DepthImage;
pub use error::Error3d;
pub use gripping::sample_xyz;
pub use linalg::{Mat3, Vec3};
pub use mesh::{BoundingBox, Mesh};
pub use normals::NormalImage;
pub use plane::{Plane, PlaneFit, RansacParams, fit_plane, least_squares_plane};
pub use pose::{Pose, check_rotation};
pub use render::{Light, ObjectMask, PixelBox, RenderObject, RenderOptions, Rendering, render};
pub use xyz::XyzImage;
