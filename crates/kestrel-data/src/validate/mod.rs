//! Dataset validation: finds every problem of a dataset in one pass.

mod counting;
mod dataset_level;
mod decode;
mod depth;
mod escape;
mod files;
mod folders;
mod gripping;
mod instances;
mod jpeg;
mod keys;
mod labels;
mod words;

use std::collections::HashSet;
use std::fmt;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::dataset::{Dataset, Sample};
use dataset_level::dataset_problems;
use escape::escape_problems;
use files::file_problems;
use folders::MissingFolders;
use keys::unknown_key_problems;
use labels::label_and_id_problems;
use words::word_problems;

pub use instances::{BOX_TOLERANCE, NO_ANNOTATIONS};

/// One problem found in a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Index of the sample in `Dataset::samples`, if the problem concerns one.
    pub sample_index: Option<usize>,
    /// The sample's image id, if the problem concerns a sample.
    pub image_id: Option<u64>,
    /// The file concerned (image, anomaly mask or label image), if any.
    pub file: Option<PathBuf>,
    /// The dataset field at fault (`image_file_name`, `image_label_id`, `image_label_ids`,
    /// `anomaly_file_name`, `segmentation_file_name`, `class_ids`, `bbox_label_id`,
    /// `bbox_row1`, ..., `mask_polygons`, `word`, `words`, ...), or [`NO_ANNOTATIONS`] for an image without
    /// objects (a warning, see [`Problem::is_warning`]).
    pub field: String,
    /// What is wrong.
    pub message: String,
    /// Whether this is a warning rather than an error (see [`Problem::is_warning`]).
    pub warning: bool,
}

impl Problem {
    /// Whether this is a warning rather than an error: an image without annotated objects
    /// ([`NO_ANNOTATIONS`]), legitimate in detection datasets (background images) but
    /// worth a look, a file name that climbs out of its folder with `..`, or an unknown key
    /// of the file that is not close to a known one (a field of another tool or version).
    pub fn is_warning(&self) -> bool {
        self.warning
    }

    /// This problem as a warning.
    pub(crate) fn into_warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// A problem of the dataset as a whole.
    pub(crate) fn dataset(field: &str, message: String) -> Self {
        Problem {
            sample_index: None,
            image_id: None,
            file: None,
            field: field.to_string(),
            message,
            warning: false,
        }
    }

    /// A problem of sample `index`, with or without its image file.
    pub(crate) fn sample(
        index: usize,
        sample: &Sample,
        file: Option<PathBuf>,
        field: &str,
        message: String,
    ) -> Self {
        Problem {
            sample_index: Some(index),
            image_id: Some(sample.image_id),
            file,
            field: field.to_string(),
            message,
            // An image without objects is legitimate (a background image): a warning.
            warning: field == NO_ANNOTATIONS,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.sample_index {
            Some(i) => write!(f, "sample {i}")?,
            None => write!(f, "dataset")?,
        }
        let mut details = Vec::new();
        if let Some(id) = self.image_id {
            details.push(format!("image_id {id}"));
        }
        if let Some(file) = &self.file {
            details.push(format!("file {}", file.display()));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        write!(f, ", field {}: {}", self.field, self.message)
    }
}

/// The result of [`validate`]: all problems found, in a stable order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationReport {
    /// Every problem found (dataset-level first, then per sample in sample order).
    pub problems: Vec<Problem>,
    /// Number of samples checked.
    pub num_samples: usize,
}

impl ValidationReport {
    /// Whether no problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// Whether a problem other than a warning ([`Problem::is_warning`]) was found.
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| !p.is_warning())
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_ok() {
            return write!(f, "{} samples checked, no problems", self.num_samples);
        }
        writeln!(
            f,
            "{} samples checked, {} problem(s):",
            self.num_samples,
            self.problems.len()
        )?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "  {p}")?;
        }
        Ok(())
    }
}

/// Checks a dataset and reports all problems at once.
///
/// Dataset level: no samples, `class_names`/`class_ids` length mismatch, duplicate class
/// ids or names, `ignore_class_ids` / `class_ids_background` naming unknown classes. A
/// folder (`image_dir`, `anomaly_dir`, `segmentation_dir`) that is missing, not a folder
/// or inaccessible is reported once, naming the folder, the field and how many samples
/// have files in it; those files are not checked one by one.
///
/// Unknown keys of the file (`unknown_keys`, found by [`Dataset::load`]): each distinct
/// key once, at the first sample that has it (index and `image_id`), with the number of
/// samples that do and the closest known key. A key close to a known one (`image_lable_id`,
/// `Split`) is an error, as its value is lost; another (a field of another tool or a newer
/// version) is a warning.
///
/// File names: a relative name that climbs out of its folder with `..` (`../x.png`) is a
/// warning naming the sample and field (`image_file_name`, `anomaly_file_name`,
/// `segmentation_file_name`, `depth_file_name`, `gripping_file_name`); the file is still
/// read (absolute names are allowed, and `depth_file_name` has no folder of its own).
///
/// Per sample: a missing label (no label of any kind, or lacking a kind of label, such as
/// `image_label_ids` or `segmentation_file_name`, that other samples have), a label in
/// `image_label_id` / `image_label_ids` that is not in `class_ids` (each one reported), a
/// repeated `image_label_ids` entry, an `anomaly_file_name` without `anomaly_label`,
/// duplicate `image_id`, empty file names, a missing image file, an image that cannot be
/// decoded completely (a truncated or corrupt file: the decoder's message is given), or
/// one whose header claims no pixels or more than
/// [`max_image_pixels`](kestrel_geom::max_image_pixels) (refused before decoding); an
/// anomaly mask that is missing, undecodable or of another size than its
/// image; a segmentation label image that is missing, undecodable, not 8-bit grey, of
/// another size than its image, or holds values that are not class ids (the first few
/// are listed with the number of pixels concerned).
///
/// Objects (detection, instance segmentation), per sample: per-object fields without
/// `bbox_label_id` or with another number of entries, a box kind (`bbox_row1` ...
/// `bbox_col2`, or `bbox_row` ... `bbox_length2`) set only in part, a `bbox_label_id`
/// that is not in `class_ids`, non-finite coordinates, inverted or zero-area boxes
/// (`row2 <= row1` or `col2 <= col1`), rotated boxes with `length1` or `length2 <= 0`,
/// boxes, rotated box centres or polygon points more than [`BOX_TOLERANCE`] pixel outside
/// the image (whose size is read from its header; rotated box corners may lie outside, as
/// the rectangle of an object cut by the image edge does), polygons with fewer than three
/// points or an odd number of values, undecodable RLE masks or ones of another size than
/// the image. An image without objects (empty `bbox_label_id`) is reported with the field
/// [`NO_ANNOTATIONS`], a warning ([`ValidationReport::has_errors`] ignores it).
///
/// OCR, per sample: an empty (or only white space) `word`, or `words` entry that is not
/// don't-care; `words` or `words_dont_care` with another number of entries than
/// `bbox_label_id` or without it; a sample lacking `word` or `words` that other samples
/// have. The word boxes are rotated boxes and checked as such. Characters outside the
/// model's alphabet are checked by [`validate_with`].
///
/// Counting, per sample with a `point_*` or `exemplar_*` field: those fields set only in
/// part or with different lengths, non-finite values, points more than [`BOX_TOLERANCE`]
/// outside the image, example boxes lower or narrower than
/// [`MIN_EXEMPLAR_SIDE`](crate::MIN_EXEMPLAR_SIDE) (4 pixels) or more than
/// [`BOX_TOLERANCE`] outside the image, and a sample without any example box unless its
/// ground truth says it holds no object (an empty `point_row`, or no points and an empty
/// `bbox_label_id`). A sample lacking `point_row` that other samples have is reported as
/// a missing label; a dataset of counting samples with example boxes only (no ground
/// truth at all, e.g. examples for a model) is valid.
///
/// Gripping, per sample with a `depth_*`, `grasp_*` or `gripping_file_name` field: grasp
/// fields set only in part or with different lengths, non-finite or non-positive
/// rectangles, centres more than [`BOX_TOLERANCE`] outside the image; a depth image that
/// is missing, undecodable, not single-channel grey or of another size than the image
/// (a TIFF: float32, float64 or 16-bit values), or has no
/// `cam_K`; a non-positive `depth_scale`; a gripping map that is missing, undecodable or
/// of another size than the image.
///
/// Samples are checked in parallel. Every file (image, mask, label image, depth image,
/// gripping map) is decoded completely, after its header passed the pixel limit, and its
/// pixels are dropped before the next file is read, so memory holds at most one decoded
/// file per thread. JPEG files are decoded strictly: data that ends early or holds foreign
/// bytes is reported, where a lenient reader (as training's) would fill in grey or garbage
/// pixels.
pub fn validate(ds: &Dataset) -> ValidationReport {
    validate_with(ds, &ValidateOptions::default())
}

/// What [`validate_with`] checks beyond [`validate`]. Build one with
/// `ValidateOptions { alphabet: Some(&chars), ..Default::default() }`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ValidateOptions<'a> {
    /// OCR: the characters a word may hold (the model's alphabet, white space included
    /// where words may have it). A `word` or `words` entry (other than a don't-care one)
    /// with another character is reported, listing each such character once. `None`
    /// skips this check.
    pub alphabet: Option<&'a [char]>,
}

/// [`validate`], plus the checks `options` asks for (the OCR alphabet).
pub fn validate_with(ds: &Dataset, options: &ValidateOptions<'_>) -> ValidationReport {
    let alphabet: Option<HashSet<char>> = options.alphabet.map(|a| a.iter().copied().collect());
    let mut problems = dataset_problems(ds);
    let folders = MissingFolders::find(ds);
    problems.extend(folders.problems(ds));
    let per_sample: Vec<Vec<Problem>> = ds
        .samples
        .par_iter()
        .enumerate()
        .map(|(i, s)| {
            let mut found = file_problems(ds, i, s, &folders);
            found.extend(escape_problems(ds, i, s));
            found.extend(word_problems(ds, i, s, alphabet.as_ref()));
            found
        })
        .collect();
    let mut label_and_id = label_and_id_problems(ds);
    let (mut key_problems, top_keys): (Vec<Problem>, Vec<Problem>) = unknown_key_problems(ds)
        .into_iter()
        .partition(|p| p.sample_index.is_some());
    problems.extend(top_keys);
    key_problems.reverse();
    for (i, mut file) in per_sample.into_iter().enumerate() {
        while key_problems
            .last()
            .is_some_and(|p| p.sample_index == Some(i))
        {
            problems.extend(key_problems.pop());
        }
        problems.append(&mut file);
        problems.extend(label_and_id.remove(&i).unwrap_or_default());
    }
    key_problems.reverse();
    problems.append(&mut key_problems);
    ValidationReport {
        problems,
        num_samples: ds.samples.len(),
    }
}
