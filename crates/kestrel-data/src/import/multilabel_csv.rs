//! Multi-label CSV importer: `file,labels` (names separated by `;`) or `file,<class>...`
//! (0/1 columns).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::labelled::absolute_dir_string;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;

/// One parsed data row: file name and the indices of its classes.
type Row = (String, BTreeSet<usize>);

/// Imports a multi-label classification dataset from a CSV file whose first column is
/// the image file name relative to `image_dir`.
///
/// The header decides the form:
/// - `file,labels` (exactly two columns, the second named `labels`, any case): the
///   second field lists class names separated by `;` (empty = none of the classes).
///   Classes are the sorted union of all names, with ids `0..n`.
/// - `file,<class 1>,<class 2>,...`: one column per class holding `0` or `1`. Classes
///   are the header's, in its order, with ids `0..n`.
///
/// The first column's header name is free. Fields are trimmed, blank lines and a leading
/// byte-order mark are skipped; quoted fields are not supported (a `"` anywhere is an
/// error). Every sample gets `image_label_ids` (sorted class ids); samples are in file
/// order with ids `0..n`, and `image_dir` is `image_dir` made absolute. Image files are
/// not opened ([`validate`](crate::validate()) does that).
///
/// Errors name the file and line, and all are reported at once
/// ([`DataError::Problems`]): quotes, a wrong number of fields, an empty file name, a
/// file listed twice, a value other than 0/1, empty or duplicate class names in the
/// header. A file without data rows is [`DataError::NoImages`].
pub fn import_multilabel_csv(csv: &Path, image_dir: &Path) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(image_dir)?;
    let text = kestrel_geom::read_regular_to_string(csv).map_err(|e| DataError::io(csv, e))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(DataError::NoImages {
            path: csv.to_path_buf(),
        });
    };
    let at =
        |line: usize, message: String| DataError::format(csv, format!("line {line}: {message}"));
    let mut errors = Vec::new();
    if header.contains('"') {
        return Err(at(header_line, "quoted fields are not supported".into()));
    }
    let columns: Vec<&str> = header.split(',').map(str::trim).collect();
    if columns.len() < 2 {
        return Err(at(
            header_line,
            "header must be `file,labels` or `file,<class 1>,<class 2>,...`".into(),
        ));
    }
    let by_names = columns.len() == 2 && columns[1].eq_ignore_ascii_case("labels");
    // Class names: fixed by the header in the 0/1 form, collected in the names form.
    let mut class_names: Vec<String> = Vec::new();
    if !by_names {
        for (k, name) in columns[1..].iter().enumerate() {
            if name.is_empty() {
                errors.push(at(
                    header_line,
                    format!("column {} has no class name", k + 2),
                ));
            } else if class_names.iter().any(|c| c == name) {
                errors.push(at(header_line, format!("class {name:?} appears twice")));
            }
            class_names.push(name.to_string());
        }
    }

    let mut rows: Vec<Row> = Vec::new();
    let mut names_seen: BTreeSet<String> = BTreeSet::new();
    let mut raw_names: Vec<Vec<String>> = Vec::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    for (line, text) in lines {
        if text.contains('"') {
            errors.push(at(line, "quoted fields are not supported".into()));
            continue;
        }
        let fields: Vec<&str> = text.split(',').map(str::trim).collect();
        if fields.len() != columns.len() {
            errors.push(at(
                line,
                format!(
                    "{} fields, but the header has {}",
                    fields.len(),
                    columns.len()
                ),
            ));
            continue;
        }
        let file = fields[0].to_string();
        if file.is_empty() {
            errors.push(at(line, "empty file name".into()));
            continue;
        }
        if let Some(first) = first_line.insert(file.clone(), line) {
            errors.push(at(
                line,
                format!("{file} is already listed on line {first}"),
            ));
            continue;
        }
        if by_names {
            let names: Vec<String> = fields[1]
                .split(';')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from)
                .collect();
            names_seen.extend(names.iter().cloned());
            raw_names.push(names);
            rows.push((file, BTreeSet::new()));
        } else {
            let mut set = BTreeSet::new();
            for (k, value) in fields[1..].iter().enumerate() {
                match *value {
                    "1" => {
                        set.insert(k);
                    }
                    "0" => {}
                    other => errors.push(at(
                        line,
                        format!(
                            "column {:?}: expected 0 or 1, found {other:?}",
                            columns[k + 1]
                        ),
                    )),
                }
            }
            rows.push((file, set));
        }
    }
    DataError::collect(csv, errors)?;
    if rows.is_empty() {
        return Err(DataError::NoImages {
            path: csv.to_path_buf(),
        });
    }
    if by_names {
        class_names = names_seen.into_iter().collect();
        for ((_, set), names) in rows.iter_mut().zip(raw_names) {
            set.extend(
                names
                    .iter()
                    .filter_map(|n| class_names.binary_search(n).ok()),
            );
        }
    }
    let samples = rows
        .into_iter()
        .enumerate()
        .map(|(i, (file, set))| Sample {
            image_id: i as u64,
            image_file_name: file,
            image_label_ids: Some(set.into_iter().map(|k| k as u32).collect()),
            ..Default::default()
        })
        .collect();
    Ok(Dataset {
        class_ids: (0..class_names.len() as u32).collect(),
        class_names,
        image_dir: image_root,
        samples,
        ..Default::default()
    })
}
