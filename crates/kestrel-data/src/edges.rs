//! Edge-extraction datasets derived from segmentation datasets: the borders between the
//! classes of each label image become the `edge` class.

use crate::dataset::Dataset;
use crate::error::DataError;
use crate::import::labelled::absolute_dir_string;
use rayon::prelude::*;
use std::io::Cursor;
use std::path::Path;

/// A dataset with the classes `background` (0) and `edge` (1) whose label images, written
/// into `label_dir`, mark every pixel that has a 4-neighbour of another class in the
/// source label image (so each border is two pixels wide, one on each side). Images,
/// splits and sample ids are the source's; samples without a label image are left out.
/// A dataset in which no sample has a label image (`segmentation_file_name`) is an error:
/// there is nothing to derive edges from.
pub fn edges_from_segmentation(source: &Dataset, label_dir: &Path) -> Result<Dataset, DataError> {
    if source
        .samples
        .iter()
        .all(|s| s.segmentation_file_name.is_none())
    {
        return Err(DataError::Format {
            path: source.base_dir.clone(),
            message: format!(
                "none of the {} samples has a segmentation_file_name: edges are derived from \
                 segmentation label images (import a segmentation dataset first)",
                source.samples.len()
            ),
        });
    }
    std::fs::create_dir_all(label_dir).map_err(|e| DataError::io(label_dir, e))?;
    let results: Vec<Result<Option<crate::Sample>, DataError>> = source
        .samples
        .par_iter()
        .map(|sample| {
            let Some(path) = source.segmentation_path(sample) else {
                return Ok(None);
            };
            let labels = image::open(&path)
                .map_err(|e| DataError::Problems {
                    path: path.clone(),
                    problems: vec![format!("cannot read label image: {e}")],
                })?
                .to_luma8();
            let (w, h) = labels.dimensions();
            let mut edges = image::GrayImage::new(w, h);
            for y in 0..h {
                for x in 0..w {
                    let v = labels.get_pixel(x, y)[0];
                    let differs = |nx: u32, ny: u32| labels.get_pixel(nx, ny)[0] != v;
                    let border = (x > 0 && differs(x - 1, y))
                        || (x + 1 < w && differs(x + 1, y))
                        || (y > 0 && differs(x, y - 1))
                        || (y + 1 < h && differs(x, y + 1));
                    edges.put_pixel(x, y, image::Luma([u8::from(border)]));
                }
            }
            let name = format!("{}.png", sample.image_id);
            let out = label_dir.join(&name);
            let mut bytes = Vec::new();
            edges
                .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
                .map_err(|e| DataError::Problems {
                    path: out.clone(),
                    problems: vec![format!("cannot encode: {e}")],
                })?;
            kestrel_geom::write_atomic(&out, &bytes).map_err(|e| DataError::io(&out, e))?;
            let mut derived = sample.clone();
            derived.segmentation_file_name = Some(name);
            Ok(Some(derived))
        })
        .collect();
    let mut samples = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(Some(sample)) => samples.push(sample),
            Ok(None) => {}
            Err(e) => errors.push(e),
        }
    }
    DataError::collect(label_dir, errors)?;
    let base = source.base_dir.join(&source.image_dir);
    Ok(Dataset {
        class_names: vec!["background".into(), "edge".into()],
        class_ids: vec![0, 1],
        image_dir: absolute_dir_string(&base)?,
        segmentation_dir: Some(absolute_dir_string(label_dir)?),
        class_ids_background: vec![0],
        samples,
        ..Dataset::default()
    })
}
