//! Writing a BOP scene folder: each image's files, its record, and the scene's JSON
//! files assembled from all records.
//!
//! ```text
//! out/
//!   rgb/000000.png                 the picture
//!   mask_visib/000000_000000.png   per instance, 255 where it is seen
//!   depth/000000.png               with write_depth: 16-bit millimetres
//!   scene_gt.json, scene_gt_info.json, scene_camera.json
//!   synth/config.json              the configuration (to resume, and to refuse another)
//!   synth/images/000000.json       the image's annotations, written last: the image is
//!                                  complete when this file exists
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::scene::SynthImage;
use crate::camera::Intrinsics;
use crate::error::Error3d;

/// One entry of `scene_gt.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct GtEntry {
    #[serde(rename = "cam_R_m2c")]
    cam_r_m2c: [f64; 9],
    cam_t_m2c: [f64; 3],
    obj_id: u32,
}

/// One entry of `scene_gt_info.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct InfoEntry {
    bbox_obj: [i64; 4],
    bbox_visib: [i64; 4],
    px_count_all: u64,
    px_count_valid: u64,
    px_count_visib: u64,
    visib_fract: f64,
}

/// What `synth/images/NNNNNN.json` holds: the image's entries of the scene files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct ImageRecord {
    gt: Vec<GtEntry>,
    info: Vec<InfoEntry>,
}

impl ImageRecord {
    /// How many instances the image has.
    pub(super) fn len(&self) -> usize {
        self.gt.len()
    }
}

/// The folder of the image records.
pub(super) fn records_dir(out: &Path) -> PathBuf {
    out.join("synth").join("images")
}

/// The record file of image `index`.
pub(super) fn record_path(out: &Path, index: u64) -> PathBuf {
    records_dir(out).join(format!("{index:06}.json"))
}

/// The picture of image `index`.
pub(super) fn rgb_path(out: &Path, index: u64) -> PathBuf {
    out.join("rgb").join(format!("{index:06}.png"))
}

/// The visible mask of instance `k` of image `index`.
pub(super) fn mask_path(out: &Path, index: u64, k: usize) -> PathBuf {
    out.join("mask_visib")
        .join(format!("{index:06}_{k:06}.png"))
}

/// The depth image of image `index`.
pub(super) fn depth_path(out: &Path, index: u64) -> PathBuf {
    out.join("depth").join(format!("{index:06}.png"))
}

/// Writes `bytes` to `path` atomically; an error names the file.
pub(super) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), Error3d> {
    kestrel_data::geometry::write_atomic(path, bytes).map_err(|e| Error3d::io(path, e))
}

/// A PNG of `img` (fast compression: the pictures are noisy, so better compression buys
/// little for much time).
fn png<P, C>(img: &image::ImageBuffer<P, C>, path: &Path) -> Result<Vec<u8>, Error3d>
where
    P: image::PixelWithColorType,
    [P::Subpixel]: image::EncodableLayout,
    C: std::ops::Deref<Target = [P::Subpixel]>,
{
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut bytes = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut bytes, CompressionType::Fast, FilterType::Adaptive);
    encoder
        .write_image(
            image::EncodableLayout::as_bytes(&**img),
            img.width(),
            img.height(),
            P::COLOR_TYPE,
        )
        .map_err(|e| Error3d::Image {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
    Ok(bytes)
}

/// Writes the files of one image (picture, masks, depth when asked) and then its record,
/// each atomically.
pub(super) fn write_image(out: &Path, image: &SynthImage, depth: bool) -> Result<(), Error3d> {
    let i = image.index;
    let path = rgb_path(out, i);
    write_file(&path, &png(&image.rgb, &path)?)?;
    for (k, inst) in image.instances.iter().enumerate() {
        let path = mask_path(out, i, k);
        write_file(&path, &png(&inst.mask_visib, &path)?)?;
    }
    if depth {
        let path = depth_path(out, i);
        let mut mm = Vec::with_capacity(image.depth.data().len());
        for &z in image.depth.data() {
            if z.is_nan() {
                mm.push(0u16);
            } else if z.round() > f32::from(u16::MAX) {
                return Err(Error3d::invalid(
                    path.display().to_string(),
                    format!("depth {z} mm does not fit 16 bits"),
                ));
            } else {
                mm.push(z.round() as u16);
            }
        }
        let img = image::ImageBuffer::<image::Luma<u16>, _>::from_raw(
            image.depth.width(),
            image.depth.height(),
            mm,
        )
        .expect("depth size");
        write_file(&path, &png(&img, &path)?)?;
    }
    let record = ImageRecord {
        gt: image
            .instances
            .iter()
            .map(|inst| GtEntry {
                cam_r_m2c: inst.pose.rotation().to_row_major(),
                cam_t_m2c: inst.pose.translation(),
                obj_id: inst.obj_id,
            })
            .collect(),
        info: image
            .instances
            .iter()
            .map(|inst| InfoEntry {
                bbox_obj: inst.bbox_obj,
                bbox_visib: inst.bbox_visib,
                px_count_all: inst.px_count_all,
                px_count_valid: inst.px_count_all,
                px_count_visib: inst.px_count_visib,
                visib_fract: inst.visib_fract,
            })
            .collect(),
    };
    let json = serde_json::to_vec(&record).expect("records serialise");
    write_file(&record_path(out, i), &json)
}

/// The record of image `index` when the image is complete: the record parses and the
/// picture, every mask and (with `depth`) the depth file exist. `None` otherwise.
pub(super) fn complete_record(out: &Path, index: u64, depth: bool) -> Option<ImageRecord> {
    let text = std::fs::read(record_path(out, index)).ok()?;
    let record: ImageRecord = serde_json::from_slice(&text).ok()?;
    let files_there = rgb_path(out, index).is_file()
        && (0..record.len()).all(|k| mask_path(out, index, k).is_file())
        && (!depth || depth_path(out, index).is_file());
    (files_there && record.info.len() == record.gt.len()).then_some(record)
}

/// A JSON object keyed by image index, one line per image, in index order.
fn keyed_json<'a>(entries: impl Iterator<Item = (u64, String)> + 'a) -> String {
    let lines: Vec<String> = entries
        .map(|(i, value)| format!("  \"{i}\": {value}"))
        .collect();
    if lines.is_empty() {
        return "{}\n".into();
    }
    format!("{{\n{}\n}}\n", lines.join(",\n"))
}

/// Writes `scene_gt.json`, `scene_gt_info.json` and `scene_camera.json` (BOP `cam_K` and
/// `depth_scale` 1) for `records[i]` = image `i`, each atomically.
pub(super) fn write_scene_files(
    out: &Path,
    records: &[ImageRecord],
    camera: &Intrinsics,
) -> Result<(), Error3d> {
    let gt = keyed_json(
        records
            .iter()
            .enumerate()
            .map(|(i, r)| (i as u64, json(&r.gt))),
    );
    let info = keyed_json(
        records
            .iter()
            .enumerate()
            .map(|(i, r)| (i as u64, json(&r.info))),
    );
    #[derive(Serialize)]
    struct Camera {
        #[serde(rename = "cam_K")]
        cam_k: [f64; 9],
        depth_scale: f64,
    }
    let cam = json(&Camera {
        cam_k: camera.k(),
        depth_scale: 1.0,
    });
    let cameras = keyed_json((0..records.len() as u64).map(|i| (i, cam.clone())));
    write_file(&out.join("scene_gt.json"), gt.as_bytes())?;
    write_file(&out.join("scene_gt_info.json"), info.as_bytes())?;
    write_file(&out.join("scene_camera.json"), cameras.as_bytes())
}

/// Compact JSON of an annotation value.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("annotations serialise")
}
