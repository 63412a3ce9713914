//! Object detection importer for plain text box files, one per image.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::instances::BoxAnnotation;
use crate::scan::find_images;

/// Deepest folder nesting followed when looking for label files.
const MAX_DEPTH: usize = 64;

/// Imports an object detection dataset from `images_dir` (searched recursively) and one
/// text file per image in `labels_dir`: `labels_dir/<relative image path without
/// extension>.txt` (`a/x.jpg` → `a/x.txt`).
///
/// Each line is one box `x1 y1 x2 y2 class`, separated by white space: the corners in
/// pixels, in this crate's continuous coordinates (`(0, 0)` the top-left corner of the
/// image, `x2`/`y2` exclusive, see [`instances`](crate::instances)), and the class, given
/// either by its name in `class_names` or by its id, the 0-based position in
/// `class_names` (a token that is a class name is always read as the name, so names with
/// white space cannot be used and numeric names are names first). Empty lines and lines
/// starting with `#` are ignored; an empty file is an image without objects.
///
/// Classes are `class_names` with ids `0..n`, in the given order; samples are sorted by
/// image path with ids `0..n`; `image_dir` is `images_dir` made absolute. Errors, all
/// reported at once ([`DataError::Problems`]): an image without a label file, a label file
/// without an image, lines without exactly five fields, coordinates that are not finite
/// numbers, unknown classes (each naming its file and line). Empty or repeated
/// `class_names` are [`DataError::Format`]; no image is [`DataError::NoImages`].
pub fn import_txt_boxes(
    images_dir: &Path,
    labels_dir: &Path,
    class_names: &[String],
) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(images_dir)?;
    if class_names.is_empty() {
        return Err(DataError::format(labels_dir, "no class names given"));
    }
    let mut by_name = HashMap::new();
    for (i, name) in class_names.iter().enumerate() {
        if by_name.insert(name.as_str(), i as u32).is_some() {
            return Err(DataError::format(
                labels_dir,
                format!("class name {name:?} is given twice"),
            ));
        }
    }
    let images = find_images(images_dir)?;
    if images.is_empty() {
        return Err(DataError::NoImages {
            path: images_dir.to_path_buf(),
        });
    }
    let mut label_files = BTreeSet::new();
    find_txt(labels_dir, "", 0, &mut label_files)?;
    let mut errors = Vec::new();
    let mut samples = Vec::new();
    for image in images {
        let stem = image
            .rsplit_once('.')
            .map_or(image.as_str(), |(stem, _)| stem);
        let label = format!("{stem}.txt");
        if !label_files.remove(&label) {
            errors.push(DataError::format(
                images_dir.join(&image),
                format!("no label file {label} in {}", labels_dir.display()),
            ));
            continue;
        }
        match read_boxes(&labels_dir.join(&label), &by_name) {
            Ok(boxes) => {
                let mut s = Sample {
                    image_id: samples.len() as u64,
                    image_file_name: image,
                    ..Default::default()
                };
                s.set_boxes(&boxes);
                samples.push(s);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    for label in label_files {
        errors.push(DataError::format(
            labels_dir.join(&label),
            format!("no image for this label file in {}", images_dir.display()),
        ));
    }
    DataError::collect(labels_dir, errors)?;
    Ok(Dataset {
        class_names: class_names.to_vec(),
        class_ids: (0..class_names.len() as u32).collect(),
        image_dir: image_root,
        samples,
        ..Default::default()
    })
}

/// The boxes of one label file, or one error per bad line.
fn read_boxes(
    path: &Path,
    by_name: &HashMap<&str, u32>,
) -> Result<Vec<BoxAnnotation>, Vec<DataError>> {
    let text =
        kestrel_geom::read_regular_to_string(path).map_err(|e| vec![DataError::io(path, e)])?;
    let mut boxes = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line, by_name) {
            Ok(b) => boxes.push(b),
            Err(message) => errors.push(DataError::format(
                path,
                format!("line {}: {message}", i + 1),
            )),
        }
    }
    if errors.is_empty() {
        Ok(boxes)
    } else {
        Err(errors)
    }
}

/// One `x1 y1 x2 y2 class` line.
fn parse_line(line: &str, by_name: &HashMap<&str, u32>) -> Result<BoxAnnotation, String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [x1, y1, x2, y2, class] = fields[..] else {
        return Err(format!(
            "expected 5 fields `x1 y1 x2 y2 class`, found {}",
            fields.len()
        ));
    };
    let number = |s: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("{s:?} is not a finite number"))
    };
    let label_id = match by_name.get(class) {
        Some(&id) => id,
        None => class
            .parse::<u32>()
            .ok()
            .filter(|&id| (id as usize) < by_name.len())
            .ok_or_else(|| {
                format!(
                    "class {class:?} is neither a class name nor a class id below {}",
                    by_name.len()
                )
            })?,
    };
    Ok(BoxAnnotation {
        label_id,
        col1: number(x1)?,
        row1: number(y1)?,
        col2: number(x2)?,
        row2: number(y2)?,
    })
}

/// Adds the `.txt` files below `root/prefix` (as `/`-separated relative paths) to
/// `found`, skipping hidden entries.
pub(super) fn find_txt(
    root: &Path,
    prefix: &str,
    depth: usize,
    found: &mut BTreeSet<String>,
) -> Result<(), DataError> {
    let dir = root.join(prefix);
    if depth > MAX_DEPTH {
        return Err(DataError::format(
            dir,
            format!("folders nested deeper than {MAX_DEPTH} levels (symbolic-link loop?)"),
        ));
    }
    let entries = std::fs::read_dir(&dir).map_err(|e| DataError::io(&dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| DataError::io(&dir, e))?;
        let path = entry.path();
        let Ok(name) = entry.file_name().into_string() else {
            return Err(DataError::format(path, "file name is not valid UTF-8"));
        };
        if name.starts_with('.') {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        if path.is_dir() {
            find_txt(root, &rel, depth + 1, found)?;
        } else if name.ends_with(".txt") {
            found.insert(rel);
        }
    }
    Ok(())
}
