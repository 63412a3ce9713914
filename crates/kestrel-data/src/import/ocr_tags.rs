//! OCR recognition importer for IIIT5K-style tag files: `<image path> <word>` per line.

use std::collections::HashMap;
use std::path::Path;

use super::labelled::absolute_dir_string;
use super::text_file::{line_error, read_text};
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;

/// Imports an OCR recognition dataset (word crops) from a tag file such as IIIT5K's
/// `train.tags`: one crop per line, `<image path> <word>`, separated by white space, the
/// path relative to the tag file's folder (or absolute) and the word without white space.
/// The file is UTF-8, with or without a byte-order mark; empty lines are skipped.
///
/// Each line becomes a sample with `word` set, in file order with ids `0..n`;
/// `image_dir` is the tag file's folder made absolute; there are no classes. Errors, all
/// reported at once ([`DataError::Problems`], each naming the file and line): lines
/// without exactly two fields, an image that is not a file, an image listed twice. No
/// crop at all is [`DataError::NoImages`].
pub fn import_ocr_tags(tag_file: &Path) -> Result<Dataset, DataError> {
    let dir = match tag_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let image_dir = absolute_dir_string(dir)?;
    let text = read_text(tag_file)?;
    let mut errors = Vec::new();
    let mut samples = Vec::new();
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [file, word] = fields[..] else {
            if !fields.is_empty() {
                errors.push(line_error(
                    tag_file,
                    number,
                    format!(
                        "expected `<image path> <word>` (a word without spaces), found {} \
                         fields",
                        fields.len()
                    ),
                ));
            }
            continue;
        };
        if let Some(first) = first_line.insert(file, number) {
            errors.push(line_error(
                tag_file,
                number,
                format!("image {file} is listed again (first on line {first})"),
            ));
            continue;
        }
        if !dir.join(file).is_file() {
            errors.push(line_error(
                tag_file,
                number,
                format!("image {file} not found in {}", dir.display()),
            ));
            continue;
        }
        samples.push(Sample {
            image_id: samples.len() as u64,
            image_file_name: file.to_string(),
            word: Some(word.to_string()),
            ..Default::default()
        });
    }
    DataError::collect(tag_file, errors)?;
    if samples.is_empty() {
        return Err(DataError::NoImages {
            path: tag_file.to_path_buf(),
        });
    }
    Ok(Dataset {
        image_dir,
        samples,
        ..Default::default()
    })
}
