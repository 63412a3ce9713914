//! Counting importer for a JSON list of images with example boxes and positions.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::labelled::absolute_dir_string;
use super::text_file::read_text;
use crate::counting::COUNTING_CLASS;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;

/// One entry of the list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    /// The image, relative to the list's folder (or absolute).
    image: String,
    /// Example boxes `[x1, y1, x2, y2]`.
    #[serde(default)]
    exemplars: Vec<Vec<f64>>,
    /// Object positions `[x, y]`; absent = no ground truth.
    #[serde(default)]
    points: Option<Vec<Vec<f64>>>,
}

/// Imports a JSON list of counting images as a counting dataset of the one class `class`
/// ([`COUNTING_CLASS`] when `None`, id 0):
///
/// ```json
/// [{"image": "a.jpg", "exemplars": [[x1, y1, x2, y2], ...], "points": [[x, y], ...]}, ...]
/// ```
///
/// `x` is the column and `y` the row, in the continuous pixel coordinates of
/// [`instances`](crate::instances) (the centre of the top-left pixel is `[0.5, 0.5]`);
/// they are taken as written. An example box `[x1, y1, x2, y2]` becomes `exemplar_col1 =
/// x1`, `exemplar_row1 = y1`, `exemplar_col2 = x2`, `exemplar_row2 = y2` (`x2`, `y2`
/// exclusive), a point `[x, y]` becomes `point_col = x`, `point_row = y`. `exemplars` may
/// be left out (no example box, e.g. an image without objects), and so may `points` (no
/// ground truth, e.g. a file of examples only); other keys are errors. Image paths are
/// relative to the list's folder, which becomes `image_dir` (absolute); samples keep the
/// list order, with image ids `0..n`.
///
/// Errors, all reported at once ([`DataError::Problems`]), each naming its entry (index
/// and image) and field: an entry that is not an object with a string `image`, a box
/// without four finite numbers or with `x2 <= x1` or `y2 <= y1`, a point without two
/// finite numbers, an image that does not exist, an image listed twice. A file that is
/// not a JSON list is [`DataError::Format`] (with line and column); an empty list is
/// [`DataError::NoImages`]. Whether boxes and points lie inside their images is checked
/// by [`validate`](crate::validate()).
pub fn import_counting_json(list: &Path, class: Option<&str>) -> Result<Dataset, DataError> {
    let base = list.parent().unwrap_or(Path::new("."));
    let base = if base.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base
    };
    let image_root = absolute_dir_string(base)?;
    let text = read_text(list)?;
    let values: Vec<serde_json::Value> = serde_json::from_str(&text)
        .map_err(|e| DataError::format(list, format!("expected a JSON list of images: {e}")))?;
    if values.is_empty() {
        return Err(DataError::NoImages {
            path: list.to_path_buf(),
        });
    }
    let mut problems = Vec::new();
    let mut samples = Vec::new();
    let mut first_entry: HashMap<String, usize> = HashMap::new();
    for (i, value) in values.into_iter().enumerate() {
        let entry: Entry = match serde_json::from_value(value) {
            Ok(entry) => entry,
            Err(e) => {
                problems.push(format!("entry {i}: {e}"));
                continue;
            }
        };
        let mut add = |message: String| {
            problems.push(format!("entry {i} (image {:?}): {message}", entry.image));
        };
        if !base.join(&entry.image).is_file() {
            add("image: file not found".into());
        } else if let Some(first) = first_entry.insert(entry.image.clone(), i) {
            add(format!("image: also listed by entry {first}"));
        }
        let mut boxes = Vec::new();
        for (j, b) in entry.exemplars.iter().enumerate() {
            match box_from_xyxy(b) {
                Ok(b) => boxes.push(b),
                Err(message) => add(format!("exemplars[{j}]: {message}")),
            }
        }
        let mut s = Sample {
            image_id: i as u64,
            image_file_name: entry.image.clone(),
            ..Default::default()
        };
        s.set_exemplar_boxes(&boxes);
        if let Some(points) = &entry.points {
            let mut rc = Vec::with_capacity(points.len());
            for (j, p) in points.iter().enumerate() {
                match p[..] {
                    [x, y] if x.is_finite() && y.is_finite() => rc.push((y, x)),
                    _ => add(format!(
                        "points[{j}]: {p:?} is not two finite numbers [x, y]"
                    )),
                }
            }
            s.set_count_points(&rc);
        }
        samples.push(s);
    }
    if !problems.is_empty() {
        return Err(DataError::Problems {
            path: list.to_path_buf(),
            problems,
        });
    }
    Ok(Dataset {
        class_names: vec![class.unwrap_or(COUNTING_CLASS).to_string()],
        class_ids: vec![0],
        image_dir: image_root,
        samples,
        ..Default::default()
    })
}

/// An example box `[row1, col1, row2, col2]` from `[x1, y1, x2, y2]`, or what is wrong.
fn box_from_xyxy(b: &[f64]) -> Result<[f64; 4], String> {
    let [x1, y1, x2, y2] = b[..] else {
        return Err(format!("{b:?} is not four numbers [x1, y1, x2, y2]"));
    };
    if b.iter().any(|v| !v.is_finite()) {
        return Err(format!("{b:?} has a value that is not finite"));
    }
    if x2 <= x1 || y2 <= y1 {
        return Err(format!(
            "{b:?} is empty or inverted (needs x1 < x2, y1 < y2)"
        ));
    }
    Ok([y1, x1, y2, x2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_are_converted_and_checked() {
        assert_eq!(
            box_from_xyxy(&[1.0, 2.0, 11.0, 12.0]),
            Ok([2.0, 1.0, 12.0, 11.0])
        );
        assert!(
            box_from_xyxy(&[1.0, 2.0, 3.0])
                .unwrap_err()
                .contains("four numbers")
        );
        assert!(
            box_from_xyxy(&[5.0, 2.0, 3.0, 9.0])
                .unwrap_err()
                .contains("inverted")
        );
    }
}
