//! A folder with one COCO export per split (`train/`, `valid/` or `validation/`, `test/`),
//! as Roboflow and other labelling tools write them.

use crate::dataset::{Dataset, Split};
use crate::error::DataError;
use crate::import::labelled::absolute_dir_string;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Split folder names and the split their images get.
const SPLIT_FOLDERS: [(&str, Split); 4] = [
    ("train", Split::Train),
    ("valid", Split::Validation),
    ("validation", Split::Validation),
    ("test", Split::Test),
];

/// Imports every split folder of `root` that exists (each holding exactly one `*.json` COCO
/// file and its images) with `import` (e.g. [`import_coco_multilabel`] or
/// [`import_coco_detection`]) and merges them: samples keep their folder's split, image
/// ids are renumbered to stay unique, classes are the union (a class id must have the same
/// name in every folder).
///
/// [`import_coco_multilabel`]: crate::import_coco_multilabel
/// [`import_coco_detection`]: crate::import_coco_detection
pub fn import_coco_split_folders(
    root: &Path,
    import: fn(&Path, &Path) -> Result<Dataset, DataError>,
) -> Result<Dataset, DataError> {
    let mut merged = Dataset {
        image_dir: absolute_dir_string(root)?,
        ..Dataset::default()
    };
    let mut classes: BTreeMap<u32, String> = BTreeMap::new();
    let mut found = false;
    for (name, split) in SPLIT_FOLDERS {
        let folder = root.join(name);
        if !folder.is_dir() {
            continue;
        }
        found = true;
        let part = import(&annotation_file(&folder)?, &folder)?;
        for (id, class) in part.class_ids.iter().zip(&part.class_names) {
            match classes.get(id) {
                Some(known) if known != class => {
                    return Err(DataError::InvalidSplit(format!(
                        "{}: class id {id} is '{class}' here but '{known}' in another split folder",
                        folder.display()
                    )));
                }
                _ => {
                    classes.insert(*id, class.clone());
                }
            }
        }
        let offset = merged.samples.len() as u64;
        for (index, mut sample) in part.samples.into_iter().enumerate() {
            sample.image_id = offset + index as u64;
            sample.image_file_name = Path::new(name)
                .join(&sample.image_file_name)
                .to_string_lossy()
                .into_owned();
            sample.split = Some(split);
            merged.samples.push(sample);
        }
    }
    if !found {
        return Err(DataError::NoImages {
            path: root.to_path_buf(),
        });
    }
    (merged.class_ids, merged.class_names) = classes.into_iter().unzip();
    Ok(merged)
}

/// The one `*.json` file in `folder`.
fn annotation_file(folder: &Path) -> Result<PathBuf, DataError> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| DataError::io(folder, e))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        })
        .collect();
    match files.len() {
        1 => Ok(files.remove(0)),
        n => Err(DataError::InvalidSplit(format!(
            "{}: expected one COCO .json file, found {n}",
            folder.display()
        ))),
    }
}
