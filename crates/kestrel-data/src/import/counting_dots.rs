//! Counting importer for dot maps: one image per object position.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;

use super::labelled::absolute_dir_string;
use crate::counting::{COUNTING_CLASS, EXEMPLAR_SEED, NUM_EXEMPLARS, exemplars_from_points};
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::scan::find_images;

/// The end of a dot map's file name: `<image stem>_gt.png`.
pub const DOT_MAP_SUFFIX: &str = "_gt.png";

/// Imports the images below `images_dir` with their dot maps in `dots_dir` as a counting
/// dataset of the one class `class` ([`COUNTING_CLASS`] when `None`, id 0).
///
/// The dot map of image `a/b.jpg` is `dots_dir/a/b_gt.png` ([`DOT_MAP_SUFFIX`]), an image
/// of the same size in which every pixel with a non-zero colour channel (alpha ignored,
/// any bit depth) marks one object. Its centre becomes the object's position
/// (`point_row = r + 0.5`, `point_col = c + 0.5`). The example boxes are made by the dot
/// rule, [`exemplars_from_points`] with [`EXEMPLAR_SEED`] and [`NUM_EXEMPLARS`]: squares
/// of 0.7 × the median nearest-neighbour distance, centred on three dots. An image
/// without dots has a count of 0 and no example box.
///
/// Samples are in the order of the image paths, with image ids `0..n`; `image_dir` is
/// `images_dir` made absolute. Errors, all reported at once ([`DataError::Problems`]): an
/// image without its dot map, a dot map (`*_gt.png`) without its image, an image or dot
/// map that cannot be read, a dot map of another size than its image, and a dot map with
/// a single dot (the rule needs a neighbour distance: give example boxes with the JSON
/// format instead). No image at all is [`DataError::NoImages`].
pub fn import_counting_dots(
    images_dir: &Path,
    dots_dir: &Path,
    class: Option<&str>,
) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(images_dir)?;
    let images = find_images(images_dir)?;
    if images.is_empty() {
        return Err(DataError::NoImages {
            path: images_dir.to_path_buf(),
        });
    }
    let expected: BTreeSet<String> = images.iter().map(|i| dot_map_name(i)).collect();
    let mut errors: Vec<DataError> = find_images(dots_dir)?
        .into_iter()
        .filter(|d| d.ends_with(DOT_MAP_SUFFIX) && !expected.contains(d))
        .map(|d| DataError::format(dots_dir.join(&d), "dot map without an image"))
        .collect();
    let read: Vec<Result<Sample, DataError>> = images
        .par_iter()
        .enumerate()
        .map(|(i, name)| {
            let image = images_dir.join(name);
            let dots = dots_dir.join(dot_map_name(name));
            let Dots {
                points,
                width,
                height,
            } = read_dots(&image, &dots)?;
            if points.len() == 1 {
                return Err(DataError::format(
                    &dots,
                    "a single dot: the example-box rule needs the distance between \
                     neighbouring dots (give example boxes with --format json)",
                ));
            }
            let mut s = Sample {
                image_id: i as u64,
                image_file_name: name.clone(),
                ..Default::default()
            };
            s.set_count_points(&points);
            s.set_exemplar_boxes(&exemplars_from_points(
                &points,
                width,
                height,
                EXEMPLAR_SEED,
                NUM_EXEMPLARS,
            ));
            Ok(s)
        })
        .collect();
    let mut samples = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(s) => samples.push(s),
            Err(e) => errors.push(e),
        }
    }
    DataError::collect(dots_dir, errors)?;
    Ok(Dataset {
        class_names: vec![class.unwrap_or(COUNTING_CLASS).to_string()],
        class_ids: vec![0],
        image_dir: image_root,
        samples,
        ..Default::default()
    })
}

/// The dot map's path (relative, `/`-separated) for the image `name`.
fn dot_map_name(name: &str) -> String {
    let stem = match name.rfind('.') {
        Some(dot) if !name[dot..].contains('/') => &name[..dot],
        _ => name,
    };
    format!("{stem}{DOT_MAP_SUFFIX}")
}

/// A dot map read: the dot positions and the image size.
struct Dots {
    /// The dots `(row, col)`, at pixel centres.
    points: Vec<(f64, f64)>,
    /// The image's width in pixels.
    width: u32,
    /// The image's height in pixels.
    height: u32,
}

/// The dots of the dot map `dots`, which must have the size of `image`.
fn read_dots(image: &Path, dots: &Path) -> Result<Dots, DataError> {
    let size = image::image_dimensions(image)
        .map_err(|e| DataError::format(image, format!("cannot read image header: {e}")))?;
    if !dots.is_file() {
        return Err(DataError::format(
            image,
            format!("no dot map {}", dots.display()),
        ));
    }
    let map = image::open(dots)
        .map_err(|e| DataError::format(dots, format!("cannot decode dot map: {e}")))?
        .into_rgba16();
    if map.dimensions() != size {
        return Err(DataError::format(
            dots,
            format!(
                "dot map is {} x {} pixels but its image is {} x {}",
                map.width(),
                map.height(),
                size.0,
                size.1
            ),
        ));
    }
    let points = map
        .enumerate_pixels()
        .filter(|(_, _, p)| p.0[..3].iter().any(|&v| v != 0))
        .map(|(x, y, _)| (f64::from(y) + 0.5, f64::from(x) + 0.5))
        .collect();
    Ok(Dots {
        points,
        width: size.0,
        height: size.1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_map_names() {
        assert_eq!(dot_map_name("Beer.png"), "Beer_gt.png");
        assert_eq!(dot_map_name("a.b/c.jpg"), "a.b/c_gt.png");
    }
}
