//! The output folder's state: refusing a folder that holds something else, storing the
//! configuration, finding the images already complete.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::config::SynthConfig;
use super::output::{ImageRecord, complete_record, records_dir, write_file};
use crate::error::Error3d;

/// Names the generator's output format; a folder written by another version is refused.
pub const GENERATOR_VERSION: &str = "kestrel-3d synth 1";

/// `synth/config.json`.
#[derive(Serialize, Deserialize)]
struct Stored {
    generator: String,
    config: serde_json::Value,
}

/// The stored configuration's path.
fn stored_path(out: &Path) -> PathBuf {
    out.join("synth").join("config.json")
}

/// The configuration as compared between runs: everything but `num_images`.
fn comparable(config: &serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    let mut map = config.as_object().cloned().unwrap_or_default();
    map.remove("num_images");
    map
}

/// Makes `out` ready for `config`: a missing or empty folder gets the configuration
/// stored; a folder that holds the same configuration (but for `num_images`) is resumed.
/// Errors: `out` is a file, a folder that is not empty and holds no generator output
/// (never written into), one written with another configuration (naming the fields
/// that differ) or by another generator version.
pub(super) fn prepare(out: &Path, config: &SynthConfig) -> Result<(), Error3d> {
    let current = serde_json::to_value(config).expect("a SynthConfig serialises");
    let stored = stored_path(out);
    if out.exists() {
        if !out.is_dir() {
            return Err(Error3d::invalid(
                out.display().to_string(),
                "the output must be a folder, and this is a file",
            ));
        }
        if stored.exists() {
            let text = kestrel_data::geometry::read_regular_to_string(&stored)
                .map_err(|e| Error3d::io(&stored, e))?;
            let old: Stored = serde_json::from_str(&text)
                .map_err(|e| Error3d::format(&stored, format!("not a synth configuration: {e}")))?;
            if old.generator != GENERATOR_VERSION {
                return Err(Error3d::format(
                    &stored,
                    format!(
                        "written by '{}', not '{GENERATOR_VERSION}': use another folder",
                        old.generator
                    ),
                ));
            }
            let (a, b) = (comparable(&old.config), comparable(&current));
            if a != b {
                let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
                keys.sort();
                keys.dedup();
                let differ: Vec<&str> = keys
                    .into_iter()
                    .filter(|k| a.get(*k) != b.get(*k))
                    .map(String::as_str)
                    .collect();
                return Err(Error3d::invalid(
                    out.display().to_string(),
                    format!(
                        "holds images of another configuration (it differs in {}); \
                         use another folder, or the same configuration to continue",
                        differ.join(", ")
                    ),
                ));
            }
        } else {
            let mut entries = std::fs::read_dir(out).map_err(|e| Error3d::io(out, e))?;
            if entries.next().is_some() {
                return Err(Error3d::invalid(
                    out.display().to_string(),
                    "folder is not empty and holds no synth/config.json: \
                     the generator writes only into a new or empty folder or its own output",
                ));
            }
        }
    }
    let json = serde_json::to_string_pretty(&Stored {
        generator: GENERATOR_VERSION.into(),
        config: current,
    })
    .expect("serialises");
    write_file(&stored, json.as_bytes())
}

/// The record of every complete image below `count` (`None` for those to render). An
/// error when the folder holds a complete image at or beyond `count`: asking for fewer
/// images than were made would drop annotations from the scene files.
pub(super) fn complete_images(
    out: &Path,
    count: u64,
    depth: bool,
) -> Result<Vec<Option<ImageRecord>>, Error3d> {
    let dir = records_dir(out);
    if dir.is_dir() {
        let entries = std::fs::read_dir(&dir).map_err(|e| Error3d::io(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error3d::io(&dir, e))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let index = name
                .strip_suffix(".json")
                .and_then(|s| s.parse::<u64>().ok());
            if let Some(index) = index
                && index >= count
                && complete_record(out, index, depth).is_some()
            {
                return Err(Error3d::config(
                    "num_images",
                    format!(
                        "{count} images asked for, but {} already holds image {index}: \
                         ask for at least {} or use another folder",
                        out.display(),
                        index + 1
                    ),
                ));
            }
        }
    }
    Ok((0..count).map(|i| complete_record(out, i, depth)).collect())
}
