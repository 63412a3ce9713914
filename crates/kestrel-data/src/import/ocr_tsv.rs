//! OCR recognition importer for a folder of word crops with a `labels.tsv`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::labelled::absolute_dir_string;
use super::text_file::{line_error, read_text};
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::scan::find_images;

/// The label file's name inside the crop folder when none is given.
pub const OCR_LABELS_FILE: &str = "labels.tsv";

/// Imports an OCR recognition dataset (word crops) from `images_dir` and the label file
/// `labels_file` (usually `images_dir/labels.tsv`, [`OCR_LABELS_FILE`]): one crop per line,
/// `file<TAB>word`, the file relative to `images_dir` (`/`-separated, as
/// [`find_images`] names them) and the word any text without a tab, spaces included.
///
/// The file is UTF-8, with or without a byte-order mark. Empty lines are skipped, and so
/// is a first line `file<TAB>word` (a header, any case). White space around the file name
/// and the word is removed.
///
/// Each line becomes a sample with `word` set, in file order with ids `0..n`;
/// `image_dir` is `images_dir` made absolute; there are no classes. Errors, all reported
/// at once ([`DataError::Problems`], each naming its file and, for the label file, the
/// line): a line without a tab or with more than one, an empty file name or word, an
/// image that is not a file, an image listed twice, and an image in `images_dir` (searched
/// recursively) that no line names. No crop at all is [`DataError::NoImages`].
pub fn import_ocr_tsv(images_dir: &Path, labels_file: &Path) -> Result<Dataset, DataError> {
    let image_dir = absolute_dir_string(images_dir)?;
    let text = read_text(labels_file)?;
    let mut errors = Vec::new();
    let mut samples = Vec::new();
    let mut first_line: HashMap<&str, usize> = HashMap::new();
    // Every file a line names, also on lines with another problem.
    let mut named: HashSet<&str> = HashSet::new();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if line.trim().is_empty() || (i == 0 && is_header(line)) {
            continue;
        }
        let mut error = |message: String| errors.push(line_error(labels_file, number, message));
        let Some((file, word)) = line.split_once('\t') else {
            error("expected `file<TAB>word`, found no tab".into());
            continue;
        };
        let (file, word) = (file.trim(), word.trim());
        named.insert(file);
        if word.contains('\t') {
            error("expected `file<TAB>word`, found more than one tab".into());
            continue;
        }
        if file.is_empty() {
            error("empty file name".into());
            continue;
        }
        if word.is_empty() {
            error(format!("empty word for {file}"));
            continue;
        }
        if let Some(first) = first_line.insert(file, number) {
            error(format!(
                "image {file} is listed again (first on line {first})"
            ));
            continue;
        }
        if !images_dir.join(file).is_file() {
            error(format!(
                "image {file} not found in {}",
                images_dir.display()
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
    for image in find_images(images_dir)? {
        if !named.contains(image.as_str()) {
            errors.push(DataError::format(
                images_dir.join(&image),
                format!("no line of {} names this image", labels_file.display()),
            ));
        }
    }
    DataError::collect(labels_file, errors)?;
    if samples.is_empty() {
        return Err(DataError::NoImages {
            path: images_dir.to_path_buf(),
        });
    }
    Ok(Dataset {
        image_dir,
        samples,
        ..Default::default()
    })
}

/// Whether `line` is the header `file<TAB>word`.
fn is_header(line: &str) -> bool {
    line.split_once('\t').is_some_and(|(a, b)| {
        a.trim().eq_ignore_ascii_case("file") && b.trim().eq_ignore_ascii_case("word")
    })
}
