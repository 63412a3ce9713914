//! The fixed Magnetic-Tile anomaly split file (`splits/magnetic_tile.json`).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::dataset::{AnomalyLabel, Sample, Split};
use crate::error::DataError;

/// The lists of a split file; paths are relative to the Magnetic-Tile folder. Other keys
/// (`root`, `seed`, `rule`, ...) are ignored.
#[derive(Deserialize)]
struct SplitFile {
    /// Training images (defect-free in the reference split).
    train: Vec<String>,
    /// Defect-free test images.
    test_good: Vec<String>,
    /// Defective test images.
    test_defect: Vec<String>,
}

/// Sets each listed sample's split: `train` to [`Split::Train`], `test_good` and
/// `test_defect` to [`Split::Test`]; unlisted samples keep `split: None`.
///
/// Every problem is reported at once: a listed path that is not one of the samples, a path
/// listed twice, an ok image in `test_defect` or a nok image in `test_good`.
pub(crate) fn apply_split_file(path: &Path, samples: &mut [Sample]) -> Result<(), DataError> {
    let text = kestrel_geom::read_regular_to_string(path).map_err(|e| DataError::io(path, e))?;
    let file: SplitFile = serde_json::from_str(&text)
        .map_err(|e| DataError::format(path, format!("invalid split file: {e}")))?;
    let index: HashMap<&str, usize> = samples
        .iter()
        .enumerate()
        .map(|(i, s)| (s.image_file_name.as_str(), i))
        .collect();
    let lists = [
        ("train", &file.train, Split::Train, None),
        (
            "test_good",
            &file.test_good,
            Split::Test,
            Some(AnomalyLabel::Ok),
        ),
        (
            "test_defect",
            &file.test_defect,
            Split::Test,
            Some(AnomalyLabel::Nok),
        ),
    ];
    let mut listed_in: HashMap<usize, &str> = HashMap::new();
    let mut problems = Vec::new();
    let mut assigned = Vec::new();
    for (list, entries, split, wanted) in lists {
        for entry in entries {
            let Some(&i) = index.get(entry.trim_start_matches("./")) else {
                problems.push(format!("{list}: {entry} is not an image of the dataset"));
                continue;
            };
            if let Some(first) = listed_in.insert(i, list) {
                problems.push(format!("{list}: {entry} is also listed in {first}"));
                continue;
            }
            let label = samples[i].anomaly_label;
            if wanted.is_some() && label != wanted {
                let label = label.map_or("unlabelled".to_string(), |l| l.to_string());
                problems.push(format!("{list}: {entry} is {label}"));
                continue;
            }
            assigned.push((i, split));
        }
    }
    if !problems.is_empty() {
        return Err(DataError::Problems {
            path: path.to_path_buf(),
            problems,
        });
    }
    for (i, split) in assigned {
        samples[i].split = Some(split);
    }
    Ok(())
}
