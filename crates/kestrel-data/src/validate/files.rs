//! Per-sample file problems: the image, its anomaly mask and its segmentation label image.

use std::path::{Path, PathBuf};

use super::Problem;
use super::decode::{decode, read_header};
use super::folders::{FileField, MissingFolders};
use crate::dataset::{Dataset, Sample};

/// How many distinct offending values a label-image problem lists.
const MAX_LISTED_VALUES: usize = 5;

/// Problems of a sample's files: the image (empty name, missing, undecodable), its
/// objects (see [`instance_problems`](super::instances::instance_problems), which needs the
/// image size), its counting points and example boxes (see
/// [`counting_problems`](super::counting::counting_problems)), the anomaly mask (see [`mask_problem`]) and the segmentation label image
/// (see [`label_image_problem`]). Each file is decoded completely, its pixels dropped
/// before the next is read. Files in a missing folder (see [`MissingFolders`]) are not
/// checked: the folder is reported once.
pub(super) fn file_problems(
    ds: &Dataset,
    index: usize,
    s: &Sample,
    folders: &MissingFolders,
) -> Vec<Problem> {
    let (mut problems, size) = if folders.covers(ds, s, FileField::Image) {
        (Vec::new(), None)
    } else {
        image_problems(ds, index, s)
    };
    problems.extend(super::instances::instance_problems(ds, index, s, size));
    problems.extend(super::counting::counting_problems(ds, index, s, size));
    problems.extend(super::gripping::gripping_problems(
        ds, index, s, size, folders,
    ));
    if let Some(name) = &s.anomaly_file_name {
        let path = ds
            .anomaly_path(s)
            .filter(|_| !folders.covers(ds, s, FileField::Anomaly));
        problems.extend(other_file_problem(
            index,
            s,
            "anomaly_file_name",
            name,
            path,
            |p| mask_problem(p, size),
        ));
    }
    if let Some(name) = &s.segmentation_file_name {
        let path = ds
            .segmentation_path(s)
            .filter(|_| !folders.covers(ds, s, FileField::Segmentation));
        problems.extend(other_file_problem(
            index,
            s,
            "segmentation_file_name",
            name,
            path,
            |p| label_image_problem(ds, p, size),
        ));
    }
    problems
}

/// The problem of a sample's mask or label image `name` (at `path`), found by `check`.
fn other_file_problem(
    index: usize,
    s: &Sample,
    field: &str,
    name: &str,
    path: Option<PathBuf>,
    check: impl FnOnce(&Path) -> Option<String>,
) -> Option<Problem> {
    if name.is_empty() {
        return Some(Problem::sample(
            index,
            s,
            None,
            field,
            "empty file name".into(),
        ));
    }
    let path = path?;
    let message = check(&path)?;
    Some(Problem::sample(index, s, Some(path), field, message))
}

/// The image's problem, if any, and its size when its header could be read. The image is
/// decoded completely (after its header passed the pixel limit, see
/// [`read_header`]), so a truncated or corrupt file is reported here rather than when
/// training reads it; its decoded pixels are dropped at once.
fn image_problems(ds: &Dataset, index: usize, s: &Sample) -> (Vec<Problem>, Option<(u32, u32)>) {
    if s.image_file_name.is_empty() {
        let p = Problem::sample(index, s, None, "image_file_name", "empty file name".into());
        return (vec![p], None);
    }
    let path = ds.image_path(s);
    let (message, size) = match read_header(&path, "image") {
        Err(message) => (message, None),
        Ok(header) => {
            let size = header.size();
            match header.check("image") {
                Ok(_) => return (Vec::new(), Some(size)),
                Err(message) => (message, Some(size)),
            }
        }
    };
    let p = Problem::sample(index, s, Some(path), "image_file_name", message);
    (vec![p], size)
}

/// What is wrong with an anomaly mask: missing, undecodable, or of a size other than the
/// image's (`image_size`, when known).
fn mask_problem(path: &Path, image_size: Option<(u32, u32)>) -> Option<String> {
    let mask = match decode(path, "anomaly mask") {
        Ok(mask) => mask,
        Err(message) => return Some(message),
    };
    size_problem("anomaly mask", (mask.width(), mask.height()), image_size)
}

/// What is wrong with a segmentation label image: missing, undecodable, not 8-bit grey,
/// of a size other than the image's, or holding values that are not class ids (the first
/// few distinct ones are listed, with the number of pixels concerned).
fn label_image_problem(
    ds: &Dataset,
    path: &Path,
    image_size: Option<(u32, u32)>,
) -> Option<String> {
    let label = match decode(path, "label image") {
        Ok(label) => label,
        Err(message) => return Some(message),
    };
    let image::DynamicImage::ImageLuma8(label) = label else {
        return Some(format!(
            "label image must be 8-bit grey (one class id per pixel), found {:?}",
            label.color()
        ));
    };
    if let Some(message) = size_problem("label image", label.dimensions(), image_size) {
        return Some(message);
    }
    let mut counts = [0u64; 256];
    for &v in label.as_raw() {
        counts[v as usize] += 1;
    }
    let bad: Vec<(usize, u64)> = counts
        .iter()
        .enumerate()
        .filter(|&(v, &n)| n > 0 && ds.class_index(v as u32).is_none())
        .map(|(v, &n)| (v, n))
        .collect();
    if bad.is_empty() {
        return None;
    }
    let pixels: u64 = bad.iter().map(|b| b.1).sum();
    let mut listed: Vec<String> = bad
        .iter()
        .take(MAX_LISTED_VALUES)
        .map(|b| b.0.to_string())
        .collect();
    if bad.len() > MAX_LISTED_VALUES {
        listed.push(format!("... ({} distinct values)", bad.len()));
    }
    Some(format!(
        "label image has values that are not class ids: {} ({pixels} pixels)",
        listed.join(", ")
    ))
}

/// A message when `size` differs from `image_size` (unknown image sizes are not compared).
pub(super) fn size_problem(
    what: &str,
    size: (u32, u32),
    image_size: Option<(u32, u32)>,
) -> Option<String> {
    let (w, h) = size;
    match image_size {
        Some((iw, ih)) if (iw, ih) != (w, h) => Some(format!(
            "{what} is {w} x {h} pixels but the image is {iw} x {ih}"
        )),
        _ => None,
    }
}
