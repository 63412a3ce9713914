//! Reading BOP's JSON files into typed maps keyed by image id.

use std::collections::BTreeMap;
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::Error3d;

/// Parses a JSON file into `T`; errors name the file, with line and column.
pub(crate) fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T, Error3d> {
    let text =
        kestrel_data::geometry::read_regular_to_string(path).map_err(|e| Error3d::io(path, e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error3d::format(path, format!("invalid or unexpected JSON: {e}")))
}

/// A JSON object whose keys are numbers (image or object ids), with the keys parsed.
pub(crate) fn read_id_map<T: DeserializeOwned, K: std::str::FromStr + Ord>(
    path: &Path,
) -> Result<BTreeMap<K, T>, Error3d> {
    let raw: BTreeMap<String, T> = read_json(path)?;
    raw.into_iter()
        .map(|(key, value)| {
            let id = key.parse::<K>().map_err(|_| Error3d::Field {
                path: path.to_path_buf(),
                field: key.clone(),
                message: "key is not a non-negative integer id".into(),
            })?;
            Ok((id, value))
        })
        .collect()
}
