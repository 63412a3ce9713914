//! Keys of the dataset file that Kestrel does not know (see [`crate::keys`]).

use super::Problem;
use crate::dataset::Dataset;
use crate::keys::UnknownKey;

/// One problem per distinct unknown key of the file `ds` was loaded from, at the first
/// sample that has it (with the number of samples that do), the key as its field. A key
/// close to a known one (a likely misspelling, whose value is lost) is an error; another
/// (a field of another tool or a newer version, ignored) is a warning.
pub(super) fn unknown_key_problems(ds: &Dataset) -> Vec<Problem> {
    let unknown = &ds.unknown_keys;
    let mut problems: Vec<Problem> = unknown.keys.iter().map(|k| problem(ds, k)).collect();
    if unknown.omitted > 0 {
        problems.push(
            Problem::dataset(
                "unknown keys",
                format!("{} more distinct unknown keys, not listed", unknown.omitted),
            )
            .into_warning(),
        );
    }
    problems
}

/// The problem of one unknown key.
fn problem(ds: &Dataset, k: &UnknownKey) -> Problem {
    let place = if k.sample_index.is_some() {
        "sample"
    } else {
        "dataset"
    };
    let mut message = format!("unknown {place} key {:?}, its value is ignored", k.key);
    if let Some(known) = k.suggestion {
        message.push_str(&format!(" (did you mean {known:?}?)"));
    }
    if k.count > 1 {
        message.push_str(&format!("; {} samples have it", k.count));
    }
    let mut p = Problem::dataset(&k.key, message);
    p.sample_index = k.sample_index;
    p.image_id = k.image_id;
    if let Some(i) = k.sample_index
        && let Some(s) = ds.samples.get(i)
    {
        p.file = Some(ds.image_path(s));
    }
    if k.suggestion.is_none() {
        p = p.into_warning();
    }
    p
}
