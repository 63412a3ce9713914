//! Per-sample gripping problems: grasp rectangles, the depth image and the gripping map.

use std::path::Path;

use super::Problem;
use super::decode::decode;
use super::depth::depth_problem;
use super::files::size_problem;
use super::folders::{FileField, MissingFolders};
use super::instances::BOX_TOLERANCE;
use crate::dataset::{Dataset, Sample};

/// Gripping problems of sample `index` (none unless [`Sample::is_gripping`]), with the
/// image size `(width, height)` when it could be read.
///
/// Grasps: the `grasp_*` fields set only in part or with different lengths, non-finite
/// values, `grasp_length1` or `grasp_length2 <= 0`, centres more than [`BOX_TOLERANCE`]
/// outside the image. Depth: a `depth_file_name` that is empty, missing, undecodable, not
/// single-channel grey or of another size than the image (see
/// [`depth_problem`]); a depth image without `cam_K`
/// (it cannot be lifted to 3D); a `depth_scale` that is not positive and finite. Gripping
/// map: missing, undecodable or of another size than the image. Files in a missing folder
/// are not checked (see [`MissingFolders`]).
pub(super) fn gripping_problems(
    ds: &Dataset,
    index: usize,
    s: &Sample,
    size: Option<(u32, u32)>,
    folders: &MissingFolders,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if !s.is_gripping() {
        return out;
    }
    let mut add = |file: Option<&Path>, field: &str, message: String| {
        let file = file
            .map(Path::to_path_buf)
            .or_else(|| Some(ds.image_path(s)));
        out.push(Problem::sample(index, s, file, field, message));
    };
    match s.grasps() {
        Err(e) => add(None, "grasp_row", e.to_string()),
        Ok(grasps) => {
            for (j, g) in grasps.iter().enumerate() {
                let r = g.rect;
                if !r.is_finite() {
                    add(
                        None,
                        "grasp_row",
                        format!("grasp {j}: non-finite value {r:?}"),
                    );
                } else if !(r.length1 > 0.0 && r.length2 > 0.0) {
                    let message = format!(
                        "grasp {j}: half lengths {} and {} must be positive",
                        r.length1, r.length2
                    );
                    add(None, "grasp_length1", message);
                } else if let Some((w, h)) = size {
                    let t = BOX_TOLERANCE;
                    let (w, h) = (f64::from(w), f64::from(h));
                    if r.row < -t || r.col < -t || r.row > h + t || r.col > w + t {
                        let message = format!(
                            "grasp {j}: centre ({}, {}) outside the {w} x {h} image",
                            r.row, r.col
                        );
                        add(None, "grasp_row", message);
                    }
                }
            }
        }
    }
    if let Some(scale) = s.depth_scale
        && !(scale > 0.0 && scale.is_finite())
    {
        add(
            None,
            "depth_scale",
            format!("{scale} must be positive and finite"),
        );
    }
    if let Some(name) = &s.depth_file_name {
        if name.is_empty() {
            add(None, "depth_file_name", "empty file name".into());
        } else if !folders.covers(ds, s, FileField::Depth)
            && let Some(path) = ds.depth_path(s)
            && let Some(message) = depth_problem(&path, size)
        {
            add(Some(&path), "depth_file_name", message);
        }
        if s.cam_k.is_none() {
            add(
                None,
                "cam_K",
                "missing: a depth image needs the camera to be lifted to 3D".into(),
            );
        }
    }
    if let Some(name) = &s.gripping_file_name {
        if name.is_empty() {
            add(None, "gripping_file_name", "empty file name".into());
        } else if !folders.covers(ds, s, FileField::Gripping)
            && let Some(path) = ds.gripping_path(s)
        {
            let problem = match decode(&path, "gripping map") {
                Ok(map) => size_problem("gripping map", (map.width(), map.height()), size),
                Err(message) => Some(message),
            };
            if let Some(message) = problem {
                add(Some(&path), "gripping_file_name", message);
            }
        }
    }
    out
}
