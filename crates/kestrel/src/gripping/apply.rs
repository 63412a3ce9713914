//! Applying a gripping model to scenes: image and depth through the network, gripping
//! points in the image's pixels, and their 3D poses.

use super::decode::{GripMaps, MapPoint, find_points};
use super::geometry::{geometry_input, geometry_planes};
use super::method::{Gripping, scene_xyz};
use super::net::GrippingNet;
use super::params::GrippingParams;
use super::pose3d::grip_pose;
use super::result::{GrippingPoint, GrippingResult};
use super::NAME;
use crate::device::devices_of;
use crate::error::{Error, Result};
use crate::loader::Loader;
use crate::model::Model;
use burn::tensor::{Tensor, TensorData};
use kestrel_3d::NormalImage;
use kestrel_data::{Dataset, Sample};
use std::sync::Arc;

/// A scene's result with the network's maps (for evaluation).
pub(crate) type SceneOutput = (GrippingResult, GripMaps);

impl Model {
    /// The gripping method and network of a gripping-point detection model.
    pub fn gripping(&self) -> Option<(Gripping, &GrippingNet)> {
        if self.params.model_type != NAME {
            return None;
        }
        let net = self.network.get::<GrippingNet>()?;
        let method = Gripping {
            width: self.params.image_width,
            height: self.params.image_height,
            params: self.params.section::<GrippingParams>().ok()?,
        };
        Some((method, net))
    }

    /// Finds the gripping points of scenes of a gripping dataset (image, depth image with
    /// `depth_scale` and `depth_kind`, and `cam_K`), best first, with their 3D poses, in
    /// batches of `batch_size`.
    pub fn find_gripping_points(
        &self,
        dataset: &Dataset,
        samples: &[&Sample],
        batch_size: usize,
    ) -> Result<Vec<GrippingResult>> {
        Ok(self
            .grip_scenes(dataset, samples, batch_size, true)?
            .into_iter()
            .map(|(result, _)| result)
            .collect())
    }

    /// The results and maps of `samples`; 3D poses only when `poses`.
    pub(crate) fn grip_scenes(
        &self,
        dataset: &Dataset,
        samples: &[&Sample],
        batch_size: usize,
        poses: bool,
    ) -> Result<Vec<SceneOutput>> {
        let (method, net) = self
            .gripping()
            .ok_or_else(|| self.wrong_method("find gripping points"))?;
        let loader = Loader::plain(self.params.preprocess());
        let paths: Vec<_> = samples.iter().map(|s| dataset.image_path(s)).collect();
        let device = devices_of(net);
        let mut out = Vec::with_capacity(samples.len());
        let order: Vec<usize> = (0..samples.len()).collect();
        for batch in loader.batches(Arc::new(paths.clone()), order, batch_size, 0) {
            let batch = batch?;
            let mut scenes = Vec::with_capacity(batch.indices.len());
            let mut geometry = Vec::new();
            for (&i, loaded) in batch.indices.iter().zip(&batch.images) {
                let size = (loaded.original_width, loaded.original_height);
                let xyz = scene_xyz(dataset, samples[i], size)?;
                geometry.extend(geometry_planes(&geometry_input(&xyz, method.width, method.height)));
                scenes.push((i, xyz, size));
            }
            let images = Tensor::<4>::from_data(TensorData::new(batch.values, batch.shape), &device);
            let maps = method.run(net, images, geometry);
            for ((i, xyz, size), m) in scenes.into_iter().zip(maps) {
                let sample = samples[i];
                let found = find_points(&m, &method.params);
                let mut points = image_points(&found, (method.width, method.height), size, &method.params);
                if poses {
                    let camera = kestrel_3d::bop::sample_camera(sample, size.0, size.1)
                        .map_err(|e| Error::Dataset(format!("sample {}: {e}", sample.image_id)))?;
                    let normals = NormalImage::from_xyz(&xyz, method.params.normal_window / 2);
                    for p in &mut points {
                        p.pose = grip_pose(&xyz, &normals, &camera, (p.row, p.col), p.phi, p.opening_width);
                    }
                }
                let result = GrippingResult {
                    image: paths[i].clone(),
                    depth: dataset.depth_path(sample).unwrap_or_default(),
                    points,
                    map: m.quality.clone(),
                    map_width: m.width,
                    map_height: m.height,
                };
                out.push((result, m));
            }
        }
        Ok(out)
    }
}

/// Points found at the model's input size (`model`) as gripping points in the pixels of
/// an image of `image` size: centres scaled, the opening direction and width following
/// the scaling, the jaw size `jaw_size_ratio` times the opening width.
pub fn image_points(
    found: &[MapPoint],
    model: (u32, u32),
    image: (u32, u32),
    params: &GrippingParams,
) -> Vec<GrippingPoint> {
    let sx = f64::from(image.0) / f64::from(model.0.max(1));
    let sy = f64::from(image.1) / f64::from(model.1.max(1));
    found
        .iter()
        .map(|p| {
            let phi = f64::from(p.rect.phi);
            // The opening direction (cos φ, -sin φ) in (x, y), scaled.
            let (dx, dy) = (phi.cos() * sx, -phi.sin() * sy);
            let opening = 2.0 * f64::from(p.rect.length1) * dx.hypot(dy);
            GrippingPoint {
                row: f64::from(p.rect.row) * sy,
                col: f64::from(p.rect.col) * sx,
                score: p.score,
                phi: kestrel_data::grasp_angle((-dy).atan2(dx)),
                opening_width: opening,
                jaw_size: f64::from(params.jaw_size_ratio) * opening,
                region_area: p.area,
                pose: None,
            }
        })
        .collect()
}
