//! [`Gripping`]: gripping-point detection as a [`GradientMethod`]: annotations (geometry and
//! good grasp rectangles), targets placed on the augmented image, the loss, and the
//! validation measure.

use super::decode::{GripMaps, find_points};
use super::geometry::{geometry_input, geometry_planes};
use super::net::{GEOMETRY_INPUTS, GrippingNet, OUTPUTS};
use super::params::GrippingParams;
use crate::error::{Error, Result};
use crate::loader::LoadedImage;
use crate::method::GradientMethod;
use burn::module::ParamGroup;
use burn::tensor::activation::{log_sigmoid, sigmoid};
use burn::tensor::{Tensor, TensorData};
use kestrel_3d::XyzImage;
use kestrel_data::{Dataset, Sample};
use kestrel_image::{
    GraspTargets, ImageF32, LabelImage, RotatedRect, grasp_targets,
    read_label_image, scale_rotated_rects,
};
use kestrel_metrics::cornell_match;

/// Loss weight of the gripping-map pixels that are good grasp centres (they are a few
/// percent of the image).
const POSITIVE_WEIGHT: f32 = 4.0;

/// Gripping-point detection for a model's input size and parameters.
#[derive(Debug, Clone)]
pub struct Gripping {
    /// Input width.
    pub width: u32,
    /// Input height.
    pub height: u32,
    /// The method's parameters.
    pub params: GrippingParams,
}

/// A sample's ground truth, read once: its geometry at the model's size, its good grasp
/// rectangles in the image file's pixels and its gripping-map label image (HALCON's
/// form: non-zero = grippable) at the model's size, where it has one.
#[derive(Debug, Clone)]
pub struct GripAnnotation {
    /// The geometry input ([`geometry_input`]), two channels at the model's size.
    pub geometry: ImageF32,
    /// The good grasps, in the image file's pixels.
    pub grasps: Vec<RotatedRect>,
    /// The gripping-map label image at the model's size (nearest neighbour).
    pub region: Option<LabelImage>,
}

/// An annotation placed on its loaded image: the geometry moved with the image and the
/// target maps of the moved rectangles.
#[derive(Debug, Clone)]
pub struct GripTarget {
    /// The geometry input, planar `[2, H, W]`.
    pub geometry: Vec<f32>,
    /// The good grasps at the model's size, moved with the image.
    pub grasps: Vec<RotatedRect>,
    /// The target maps: `quality` is 1 in the good grasps' centre thirds and in the
    /// labelled gripping region; `cos2`, `sin2` and `opening` come from the rectangles.
    pub maps: GraspTargets,
    /// 1 where the rectangles give the angle and width (their centre thirds), else 0.
    pub regression_mask: Vec<f32>,
}

impl Gripping {
    /// The target maps of good grasps and a gripping-map label image, both at the model's
    /// size: `quality` is 1 in the grasps' regions (`grasp_region`) and where the label is
    /// not 0; the second value is 1 where the grasps give angle and width, else 0.
    pub fn target_maps(
        &self,
        grasps: &[RotatedRect],
        region: Option<&LabelImage>,
    ) -> (GraspTargets, Vec<f32>) {
        let mut maps = grasp_targets(grasps, self.width, self.height, &self.params.target_params());
        let regression_mask = maps.quality.clone();
        if let Some(region) = region {
            for (q, &label) in maps.quality.iter_mut().zip(&region.data) {
                if label != 0 {
                    *q = 1.0;
                }
            }
        }
        (maps, regression_mask)
    }


    /// The decoded maps of a batch of images `[B, C, H, W]` with their geometry (planar
    /// `[2, H, W]` per image, concatenated); with `flip_average` the mean of the maps of
    /// the batch as it is and mirrored left-right, top-bottom and both (mirroring turns a
    /// grasp angle θ into -θ, so the mirrored `sin 2θ` changes sign).
    pub fn run(&self, net: &GrippingNet, images: Tensor<4>, geometry: Vec<f32>) -> Vec<GripMaps> {
        let geometry = geometry_tensor(geometry, &images);
        if !self.params.flip_average {
            return self.decode(probabilities(net.forward(images, geometry)));
        }
        let flips: [&[usize]; 4] = [&[], &[3], &[2], &[2, 3]];
        let mut sum: Option<Tensor<4>> = None;
        for axes in flips {
            let flip = |t: Tensor<4>| match axes {
                [axis] => t.flip([*axis]),
                [a, b] => t.flip([*a, *b]),
                _ => t,
            };
            let mut maps = flip(probabilities(net.forward(flip(images.clone()), flip(geometry.clone()))));
            if axes.len() == 1 {
                let sign = Tensor::<1>::from_data(TensorData::new(vec![1f32, 1.0, -1.0, 1.0], [OUTPUTS]), &maps.device());
                maps = maps * sign.reshape([1, OUTPUTS, 1, 1]);
            }
            sum = Some(match sum {
                None => maps,
                Some(s) => s + maps,
            });
        }
        self.decode(sum.expect("four passes").div_scalar(flips.len() as f32))
    }

    /// The decoded maps of a batch of network outputs whose first channel is a
    /// probability ([`probabilities`]).
    fn decode(&self, maps: Tensor<4>) -> Vec<GripMaps> {
        let [b, _, h, w] = maps.dims();
        let values = maps
            .into_data()
            .convert::<f32>()
            .try_into_vec::<f32>()
            .expect("f32 data");
        let plane = h * w;
        (0..b)
            .map(|i| {
                let channel = |c: usize| values[(i * OUTPUTS + c) * plane..(i * OUTPUTS + c + 1) * plane].to_vec();
                GripMaps {
                    width: w as u32,
                    height: h as u32,
                    quality: channel(0),
                    cos2: channel(1),
                    sin2: channel(2),
                    opening: channel(3),
                }
            })
            .collect()
    }
}

impl GradientMethod for Gripping {
    type Net = GrippingNet;
    type Annotation = GripAnnotation;
    type Target = GripTarget;
    type Prediction = GripMaps;

    /// Reads the sample's depth (lifted with its camera) and its good grasp rectangles;
    /// errors name the sample and field.
    fn encode_target(&self, dataset: &Dataset, sample: &Sample) -> Result<GripAnnotation> {
        let size = kestrel_image::image_size(&dataset.image_path(sample))?;
        let xyz = scene_xyz(dataset, sample, size)?;
        let grasps: Vec<RotatedRect> = sample
            .grasps()?
            .iter()
            .filter(|g| g.positive)
            .map(|g| g.rect.cast())
            .collect();
        let region = match dataset.gripping_path(sample) {
            Some(path) => Some(read_label_image(&path)?.resize_nearest(self.width, self.height)),
            None => None,
        };
        if grasps.is_empty() && region.is_none() {
            return Err(Error::Dataset(format!(
                "sample {} ({}): field grasp_positive: no good grasp rectangle and no \
                 gripping_file_name to learn from",
                sample.image_id, sample.image_file_name
            )));
        }
        Ok(GripAnnotation {
            geometry: geometry_input(&xyz, self.width, self.height),
            grasps,
            region,
        })
    }

    /// Scales the rectangles to the model's size and moves them and the geometry with the
    /// augmentation; rectangles whose centre leaves the image are dropped.
    fn place_target(&self, annotation: &GripAnnotation, image: &LoadedImage) -> Result<GripTarget> {
        let scaled = scale_rotated_rects(
            &annotation.grasps,
            image.original_width,
            image.original_height,
            self.width,
            self.height,
        );
        let (grasps, _) = image.plan.apply_rotated(&scaled, self.width, self.height);
        let region = annotation
            .region
            .as_ref()
            .map(|r| image.plan.apply_labels(r, self.width, self.height));
        let (maps, regression_mask) = self.target_maps(&grasps, region.as_ref());
        let geometry = geometry_planes(&image.plan.apply_geometry(&annotation.geometry));
        Ok(GripTarget {
            geometry,
            grasps,
            maps,
            regression_mask,
        })
    }

    /// Binary cross-entropy of the gripping map (grippable pixels weighted
    /// [`POSITIVE_WEIGHT`]) plus the squared errors of `cos 2θ`, `sin 2θ` and the opening
    /// width over the good grasps' centre thirds.
    fn loss(&self, net: &GrippingNet, images: Tensor<4>, targets: &[GripTarget]) -> Tensor<1> {
        let device = images.device();
        let geometry = geometry_tensor(batch_geometry(targets), &images);
        let raw = net.forward(images, geometry);
        let [b, _, h, w] = raw.dims();
        let plane = h * w;
        let mut quality = Vec::with_capacity(b * plane);
        let mut mask = Vec::with_capacity(b * plane);
        let mut regression = Vec::with_capacity(b * 3 * plane);
        for t in targets {
            quality.extend_from_slice(&t.maps.quality);
            mask.extend_from_slice(&t.regression_mask);
            regression.extend_from_slice(&t.maps.cos2);
            regression.extend_from_slice(&t.maps.sin2);
            regression.extend_from_slice(&t.maps.opening);
        }
        let with_angle: f32 = mask.iter().sum();
        let weights: Vec<f32> = quality.iter().map(|&q| 1.0 + (POSITIVE_WEIGHT - 1.0) * q).collect();
        let y = Tensor::<4>::from_data(TensorData::new(quality, [b, 1, h, w]), &device);
        let weights = Tensor::<4>::from_data(TensorData::new(weights, [b, 1, h, w]), &device);
        let logits = raw.clone().narrow(1, 0, 1);
        let bce = (log_sigmoid(logits.clone()) * y.clone()
            + log_sigmoid(logits.neg()) * (y.clone().neg().add_scalar(1.0)))
        .neg()
            * weights.clone();
        let map_loss = bce.sum().div(weights.sum());
        let targets3 = Tensor::<4>::from_data(TensorData::new(regression, [b, 3, h, w]), &device);
        let diff = raw.narrow(1, 1, OUTPUTS - 1) - targets3;
        let mask = Tensor::<4>::from_data(TensorData::new(mask, [b, 1, h, w]), &device);
        let reg_loss = (diff.clone() * diff * mask).sum().div_scalar(with_angle.max(1.0));
        map_loss + reg_loss
    }

    /// Without geometry the network sees a scene without valid depth; gripping models are
    /// applied through [`GradientMethod::predict_placed`].
    fn predict(&self, net: &GrippingNet, images: Tensor<4>) -> Vec<GripMaps> {
        let [b, _, h, w] = images.dims();
        self.run(net, images, vec![0.0; b * GEOMETRY_INPUTS * h * w])
    }

    fn predict_placed(&self, net: &GrippingNet, images: Tensor<4>, targets: &[GripTarget]) -> Vec<GripMaps> {
        self.run(net, images, batch_geometry(targets))
    }

    /// `1 -` the share of images whose best point is good: by the Cornell rectangle metric
    /// where the image has good rectangles, inside the labelled gripping region otherwise
    /// (at the model's size).
    fn error(&self, predictions: &[GripMaps], targets: &[GripTarget]) -> f64 {
        if predictions.is_empty() {
            return 1.0;
        }
        let good = predictions
            .iter()
            .zip(targets)
            .filter(|(p, t)| {
                let Some(best) = find_points(p, &self.params).into_iter().next() else {
                    return false;
                };
                if t.grasps.is_empty() {
                    let (x, y) = (best.rect.col as usize, best.rect.row as usize);
                    t.maps.quality.get(y * self.width as usize + x) == Some(&1.0)
                } else {
                    let top = best.rect.cast::<f64>();
                    t.grasps.iter().any(|g| cornell_match(&top, &g.cast::<f64>()))
                }
            })
            .count();
        1.0 - good as f64 / predictions.len() as f64
    }

    fn backbone_params(&self, net: &GrippingNet) -> ParamGroup {
        ParamGroup::ids_from_module(net.backbone.clone())
    }
}

/// The geometry planes of a batch of targets, concatenated.
fn batch_geometry(targets: &[GripTarget]) -> Vec<f32> {
    targets.iter().flat_map(|t| t.geometry.iter().copied()).collect()
}

/// Geometry values (planar `[2, H, W]` per image, concatenated) as a tensor `[B, 2, H, W]`
/// beside `images` `[B, C, H, W]`, on their device.
fn geometry_tensor(geometry: Vec<f32>, images: &Tensor<4>) -> Tensor<4> {
    let [b, _, h, w] = images.dims();
    Tensor::from_data(TensorData::new(geometry, [b, GEOMETRY_INPUTS, h, w]), &images.device())
}

/// The network's raw maps with the gripping-map logit turned into a probability.
fn probabilities(raw: Tensor<4>) -> Tensor<4> {
    let quality = sigmoid(raw.clone().narrow(1, 0, 1));
    Tensor::cat(vec![quality, raw.narrow(1, 1, OUTPUTS - 1)], 1)
}

/// The XYZ image of a gripping sample whose image file is `image_size` (`(width,
/// height)`); errors name the sample and the field (no depth, no camera, a depth image of
/// another size than the image).
pub fn scene_xyz(dataset: &Dataset, sample: &Sample, image_size: (u32, u32)) -> Result<XyzImage> {
    let name = || format!("sample {} ({})", sample.image_id, sample.image_file_name);
    let xyz = kestrel_3d::sample_xyz(dataset, sample)
        .map_err(|e| Error::Dataset(format!("{}: {e}", name())))?;
    if (xyz.width(), xyz.height()) != image_size {
        return Err(Error::Dataset(format!(
            "{}: field depth_file_name: the depth image {} is {}x{} but the image is {}x{}",
            name(),
            dataset.depth_path(sample).unwrap_or_default().display(),
            xyz.width(),
            xyz.height(),
            image_size.0,
            image_size.1
        )));
    }
    Ok(xyz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kestrel_image::AugmentPlan;

    #[test]
    fn labelled_regions_join_the_map_target_but_not_the_angle_and_width() {
        let method = Gripping {
            width: 40,
            height: 20,
            params: GrippingParams::default(),
        };
        // A region label at the right, a grasp across (20, 10) in an 80x40 image file.
        let mut region = LabelImage {
            width: 40,
            height: 20,
            data: vec![0; 800],
        };
        region.data[10 * 40 + 35] = 255;
        let annotation = GripAnnotation {
            geometry: ImageF32::zeros(40, 20, 2),
            grasps: vec![RotatedRect {
                row: 20.0,
                col: 40.0,
                phi: 0.0,
                length1: 12.0,
                length2: 4.0,
            }],
            region: Some(region),
        };
        let image = LoadedImage {
            original_width: 80,
            original_height: 40,
            plan: AugmentPlan::identity(),
        };
        let t = method.place_target(&annotation, &image).unwrap();
        assert_eq!(t.grasps[0].col, 20.0);
        assert_eq!((t.maps.quality[10 * 40 + 35], t.regression_mask[10 * 40 + 35]), (1.0, 0.0));
        assert_eq!((t.maps.quality[10 * 40 + 20], t.regression_mask[10 * 40 + 20]), (1.0, 1.0));
        assert_eq!(t.maps.quality.iter().sum::<f32>(), t.regression_mask.iter().sum::<f32>() + 1.0);
        assert_eq!(t.geometry.len(), 2 * 800);
    }
}
