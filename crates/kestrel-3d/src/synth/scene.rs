//! One synthetic image: placement, background, rendering, annotation, randomisation.

use super::annotate::{SynthInstance, bop_box, silhouette, visible};
use super::appearance::Look;
use super::backgrounds::background;
use super::generator::SynthGenerator;
use super::placement::{Placed, Shape, Stage};
use super::sample::image_rng;
use crate::depth::DepthImage;
use crate::error::Error3d;
use crate::mesh::Mesh;
use crate::render::{RenderObject, RenderOptions, Rendering, render};

/// One rendered image with its annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthImage {
    /// The image index (BOP `im_id`).
    pub index: u64,
    /// The picture.
    pub rgb: image::RgbImage,
    /// The rendered depth (objects and occluders; background invalid).
    pub depth: DepthImage,
    /// The annotated objects, in the order of `scene_gt.json`.
    pub instances: Vec<SynthInstance>,
    /// Objects left out of the picture because too little of them was visible (see
    /// [`SynthConfig::min_visib_fract`](super::SynthConfig::min_visib_fract)).
    pub dropped: usize,
}

impl SynthGenerator {
    /// Renders image `index` (0-based) without writing anything. The result depends on
    /// the configuration and `index` only: every draw comes from the image's own
    /// generator ([`image_rng`](super::image_rng)), so rendering any image alone, or on
    /// any thread, gives the same bytes.
    ///
    /// In order: the objects and occluders are placed, the light, colour gains and
    /// picture randomisation drawn, the background cut from a drawn photo; each object
    /// is rendered alone for its silhouette, then the scene over the background. Objects
    /// whose visible fraction is below the minimum (or with no pixel in the image) are
    /// removed and the scene rendered once more without them (removing shapes only
    /// uncovers the others, so the rest stay above the minimum). Last, the colour gains,
    /// contrast, blur and noise are applied.
    pub fn render_image(&self, index: u64) -> Result<SynthImage, Error3d> {
        let config = &self.config;
        let mut rng = image_rng(config.seed, index);
        let options = RenderOptions {
            cull_back_faces: config.cull_back_faces,
            ..RenderOptions::default()
        };
        let placed = Stage {
            objects: &self.objects,
            camera: &self.camera,
            ranges: &config.poses,
            occluders: &config.occluders,
            near: options.near,
        }
        .place_all(&mut rng);
        let look = Look::draw(&mut rng, &config.randomization, placed.len());
        let options = RenderOptions {
            light: look.light,
            ..options
        };
        let bg = background(
            &self.backgrounds,
            self.camera.width,
            self.camera.height,
            config.randomization.background_scale,
            &mut rng,
        )?;

        let objects: Vec<RenderObject> = placed
            .iter()
            .map(|p| RenderObject {
                mesh: self.mesh_of(p),
                pose: p.pose,
            })
            .collect();
        // The silhouette of every CAD object, rendered alone.
        let mut silhouettes = Vec::with_capacity(placed.len());
        for (p, o) in placed.iter().zip(&objects) {
            silhouettes.push(match p.shape {
                Shape::Object(_) => Some(silhouette(&self.camera, *o, &options)?),
                Shape::Primitive(_) => None,
            });
        }
        let mut kept: Vec<usize> = (0..placed.len()).collect();
        let mut scene = self.render_kept(&objects, &kept, &options, &bg)?;
        let too_little = |k: usize, id: usize, scene: &Rendering| {
            silhouettes[k].is_some_and(|s| {
                let seen = scene.mask.count(id as u16 + 1) as f64;
                s.px_count_all == 0 || seen < config.min_visib_fract * s.px_count_all as f64
            })
        };
        let remove: Vec<usize> = kept
            .iter()
            .enumerate()
            .filter(|&(id, &k)| too_little(k, id, &scene))
            .map(|(_, &k)| k)
            .collect();
        if !remove.is_empty() {
            kept.retain(|k| !remove.contains(k));
            scene = self.render_kept(&objects, &kept, &options, &bg)?;
        }

        let mut instances = Vec::new();
        for (id, &k) in kept.iter().enumerate() {
            let (Shape::Object(object), Some(s)) = (&placed[k].shape, silhouettes[k]) else {
                continue;
            };
            let (px_count_visib, bbox_visib, mask_visib) = visible(&scene.mask, id as u16 + 1);
            instances.push(SynthInstance {
                obj_id: self.objects[*object].obj_id,
                pose: placed[k].pose,
                bbox_obj: bop_box(s.bbox),
                bbox_visib: bop_box(bbox_visib),
                px_count_all: s.px_count_all,
                px_count_visib,
                visib_fract: px_count_visib as f64 / s.px_count_all as f64,
                mask_visib,
            });
        }
        let rgb = look.apply(&scene.rgb, scene.mask.ids(), &kept);
        Ok(SynthImage {
            index,
            rgb,
            depth: scene.depth,
            instances,
            dropped: remove.len(),
        })
    }

    /// The mesh of a placed shape.
    fn mesh_of<'a>(&'a self, p: &'a Placed) -> &'a Mesh {
        match &p.shape {
            Shape::Object(i) => &self.objects[*i].mesh,
            Shape::Primitive(mesh) => mesh,
        }
    }

    /// The scene of the shapes `kept` (render id `j + 1` is `objects[kept[j]]`) over
    /// `bg`.
    fn render_kept(
        &self,
        objects: &[RenderObject],
        kept: &[usize],
        options: &RenderOptions,
        bg: &image::RgbImage,
    ) -> Result<Rendering, Error3d> {
        let shown: Vec<RenderObject> = kept.iter().map(|&k| objects[k]).collect();
        render(&self.camera, &shown, options, Some(bg))
    }
}
