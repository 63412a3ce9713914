//! OCR detection importer for ICDAR 2015-style annotation files, one `gt_<image>.txt` per
//! image.

use std::collections::BTreeSet;
use std::path::Path;

use super::labelled::absolute_dir_string;
use super::text_file::{line_error, read_text};
use super::txt_boxes::find_txt;
use crate::dataset::{Dataset, Sample};
use crate::error::DataError;
use crate::quad::word_rect_from_quad;
use crate::scan::find_images;
use crate::words::{DONT_CARE_TEXT, WORD_CLASS, WordAnnotation};

/// Imports an OCR detection dataset from the images in `images_dir` (searched
/// recursively) and one ICDAR 2015-style annotation file per image in `labels_dir` (which
/// may be `images_dir`): `labels_dir/<folder>/gt_<image name without extension>.txt`
/// (`a/img_1.jpg` → `a/gt_img_1.txt`).
///
/// Each line is one word, `x1,y1,x2,y2,x3,y3,x4,y4,text`: the four corners of its
/// quadrilateral in pixels (top-left, top-right, bottom-right, bottom-left as read; taken
/// as this crate's continuous coordinates, see [`instances`](crate::instances)) and the
/// text, everything after the eighth comma (so it may hold commas), without the white
/// space around it. The file is UTF-8 with or without a byte-order mark; empty lines are
/// skipped; an empty file is an image without words.
///
/// Each word becomes a rotated box, the minimum-area rectangle of its quadrilateral turned
/// along the reading direction ([`word_rect_from_quad`]), with its text in `words`; the
/// text [`DONT_CARE_TEXT`] (`###`) marks a don't-care word (`words_dont_care`, see
/// [`words`](crate::words)). Every box has the class [`WORD_CLASS`] (id 0). Samples are
/// sorted by image path with ids `0..n`; `image_dir` is `images_dir` made absolute.
///
/// Errors, all reported at once ([`DataError::Problems`], each naming its file and line
/// where there is one): an image without an annotation file and an annotation file
/// without an image, lines with fewer than nine fields, coordinates that are not finite
/// numbers, an empty text, a quadrilateral without area. No image is
/// [`DataError::NoImages`].
pub fn import_icdar2015(images_dir: &Path, labels_dir: &Path) -> Result<Dataset, DataError> {
    let image_root = absolute_dir_string(images_dir)?;
    let images = find_images(images_dir)?;
    if images.is_empty() {
        return Err(DataError::NoImages {
            path: images_dir.to_path_buf(),
        });
    }
    let mut label_files: BTreeSet<String> = BTreeSet::new();
    let mut found = BTreeSet::new();
    find_txt(labels_dir, "", 0, &mut found)?;
    label_files.extend(found.into_iter().filter(|f| is_annotation(f)));
    let mut errors = Vec::new();
    let mut samples = Vec::new();
    for image in images {
        let label = annotation_name(&image);
        if !label_files.remove(&label) {
            errors.push(DataError::format(
                images_dir.join(&image),
                format!("no annotation file {label} in {}", labels_dir.display()),
            ));
            continue;
        }
        match read_words(&labels_dir.join(&label)) {
            Ok(words) => {
                let mut s = Sample {
                    image_id: samples.len() as u64,
                    image_file_name: image,
                    ..Default::default()
                };
                s.set_word_boxes(&words);
                samples.push(s);
            }
            Err(mut e) => errors.append(&mut e),
        }
    }
    for label in label_files {
        errors.push(DataError::format(
            labels_dir.join(&label),
            format!(
                "no image for this annotation file in {}",
                images_dir.display()
            ),
        ));
    }
    DataError::collect(labels_dir, errors)?;
    Ok(Dataset {
        class_names: vec![WORD_CLASS.to_string()],
        class_ids: vec![0],
        image_dir: image_root,
        samples,
        ..Default::default()
    })
}

/// Whether the relative path `file` names an annotation file (`gt_*.txt`).
fn is_annotation(file: &str) -> bool {
    let name = file.rsplit('/').next().unwrap_or(file);
    name.starts_with("gt_") && name.ends_with(".txt")
}

/// The annotation file of the relative image path `image`: `dir/x.jpg` → `dir/gt_x.txt`.
fn annotation_name(image: &str) -> String {
    let (dir, name) = match image.rsplit_once('/') {
        Some((dir, name)) => (format!("{dir}/"), name),
        None => (String::new(), image),
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{dir}gt_{stem}.txt")
}

/// The words of one annotation file, or one error per bad line.
fn read_words(path: &Path) -> Result<Vec<WordAnnotation>, Vec<DataError>> {
    let text = read_text(path).map_err(|e| vec![e])?;
    let mut words = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok(w) => words.push(w),
            Err(message) => errors.push(line_error(path, i + 1, message)),
        }
    }
    if errors.is_empty() {
        Ok(words)
    } else {
        Err(errors)
    }
}

/// One `x1,y1,x2,y2,x3,y3,x4,y4,text` line.
fn parse_line(line: &str) -> Result<WordAnnotation, String> {
    let fields: Vec<&str> = line.splitn(9, ',').collect();
    let [coords @ .., text] = &fields[..] else {
        return Err("empty line".into());
    };
    if coords.len() != 8 {
        return Err(format!(
            "expected `x1,y1,x2,y2,x3,y3,x4,y4,text`, found {} fields",
            fields.len()
        ));
    }
    let mut v = [0.0; 8];
    for (value, field) in v.iter_mut().zip(coords) {
        let field = field.trim();
        *value = field
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{field:?} is not a finite number"))?;
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(format!(
            "empty text (an illegible word is written {DONT_CARE_TEXT})"
        ));
    }
    let quad = [(v[0], v[1]), (v[2], v[3]), (v[4], v[5]), (v[6], v[7])];
    let rect = word_rect_from_quad(&quad)
        .ok_or_else(|| "the quadrilateral has no area (its corners are on one line)".to_string())?;
    Ok(WordAnnotation {
        label_id: 0,
        rect,
        text: text.to_string(),
        dont_care: text == DONT_CARE_TEXT,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_names() {
        let w = parse_line("0,0,10,0,10,4,0,4,Hello, world").unwrap();
        assert_eq!(w.text, "Hello, world");
        assert!(!w.dont_care);
        assert_eq!((w.rect.col, w.rect.row, w.rect.length1), (5.0, 2.0, 5.0));
        assert!(parse_line("0,0,10,0,10,4,0,4,###").unwrap().dont_care);
        let e = parse_line("0,0,10,0,10,4,0,Hello").unwrap_err();
        assert!(e.contains("found 8 fields"), "{e}");
        let e = parse_line("0,0,10,0,x,4,0,4,a").unwrap_err();
        assert!(e.contains("\"x\" is not a finite number"), "{e}");
        let e = parse_line("0,0,10,0,10,4,0,4, ").unwrap_err();
        assert!(e.contains("empty text"), "{e}");
        let e = parse_line("0,0,1,1,2,2,3,3,a").unwrap_err();
        assert!(e.contains("no area"), "{e}");
        assert_eq!(annotation_name("img_1.jpg"), "gt_img_1.txt");
        assert_eq!(annotation_name("a/b.c.png"), "a/gt_b.c.txt");
        assert!(is_annotation("a/gt_b.txt") && !is_annotation("gt_b/readme.txt"));
    }
}
