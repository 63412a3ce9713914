//! The dataset model (HALCON field names) and its JSON file format.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::DataError;
use crate::gripping::DepthKind;
use crate::instances::InstanceMask;
use crate::keys::{UnknownKeys, unknown_keys};

/// The part of a dataset a sample belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    /// Used to fit the model.
    Train,
    /// Used to choose hyper-parameters and stop training.
    Validation,
    /// Held out for the final evaluation.
    Test,
}

impl std::str::FromStr for Split {
    type Err = String;

    /// `train`, `validation` (or `val`) or `test`.
    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "train" => Ok(Split::Train),
            "validation" | "val" => Ok(Split::Validation),
            "test" => Ok(Split::Test),
            other => Err(format!("'{other}': expected train, validation or test")),
        }
    }
}

impl fmt::Display for Split {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Split::Train => "train",
            Split::Validation => "validation",
            Split::Test => "test",
        })
    }
}

/// Whether an image of an anomaly-detection dataset shows a defect (HALCON
/// `anomaly_label`, written `"ok"` / `"nok"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AnomalyLabel {
    /// Defect-free.
    Ok,
    /// Shows at least one defect (not ok).
    Nok,
}

impl fmt::Display for AnomalyLabel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AnomalyLabel::Ok => "ok",
            AnomalyLabel::Nok => "nok",
        })
    }
}

/// One image of a dataset with its labels.
///
/// Which label fields are set depends on the task: `image_label_id` for classification,
/// `image_label_ids` for multi-label classification, `anomaly_label` (and optionally
/// `anomaly_file_name`) for anomaly detection, `segmentation_file_name` for semantic
/// segmentation, `bbox_label_id` with `bbox_row1`/`bbox_col1`/`bbox_row2`/`bbox_col2`
/// (axis-aligned boxes) or `bbox_row`/`bbox_col`/`bbox_phi`/`bbox_length1`/`bbox_length2`
/// (rotated boxes) and optionally `mask_polygons` for object detection and instance
/// segmentation, `word` for OCR recognition (word crops) and rotated boxes with `words`
/// (and optionally `words_dont_care`) for OCR detection, `point_row`/`point_col` (dots) or
/// axis-aligned boxes as ground truth and `exemplar_row1` ... `exemplar_col2` (example
/// boxes) for counting (see [`counting`](crate::counting)), `grasp_*` rectangles and
/// optionally `depth_file_name` and `gripping_file_name` for gripping-point detection (see
/// [`gripping`](crate::gripping)). Unset fields are left out of the
/// JSON file. Build one with
/// `Sample { image_id, image_file_name, ..Default::default() }`.
///
/// The per-object fields are parallel vectors, one entry per object in the same order:
/// `bbox_label_id` gives the number of objects (an empty list = an image without objects)
/// and every other per-object field that is set must have as many entries
/// ([`validate`](crate::validate()) reports mismatches). Read and write them through the
/// typed views [`Sample::boxes`], [`Sample::set_boxes`], [`Sample::rotated_boxes`] and
/// [`Sample::set_rotated_boxes`]; the coordinate conventions are described in
/// [`instances`](crate::instances).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    /// Identifier of the image, unique within the dataset.
    pub image_id: u64,
    /// File name relative to the dataset's `image_dir` (or an absolute path).
    pub image_file_name: String,
    /// Class id of the image (one of the dataset's `class_ids`), if labelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_label_id: Option<u32>,
    /// The split the sample belongs to, if assigned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub split: Option<Split>,
    /// Multi-label classification: the ids of every class present in the image, sorted;
    /// an empty list means none of the classes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_label_ids: Option<Vec<u32>>,
    /// Anomaly detection: whether the image is defect-free.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anomaly_label: Option<AnomalyLabel>,
    /// Anomaly detection: defect mask (non-zero pixel = defect, same size as the image),
    /// relative to the dataset's `anomaly_dir` (or an absolute path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anomaly_file_name: Option<String>,
    /// Semantic segmentation: label image (8-bit grey, one class id per pixel, same size as
    /// the image), relative to the dataset's `segmentation_dir` (or an absolute path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segmentation_file_name: Option<String>,
    /// Detection: the class id of each object (one of the dataset's `class_ids`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_label_id: Option<Vec<u32>>,
    /// Axis-aligned boxes: top edge (y) of each box, in pixels from the top edge of the
    /// image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_row1: Option<Vec<f64>>,
    /// Axis-aligned boxes: left edge (x) of each box, in pixels from the left edge of the
    /// image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_col1: Option<Vec<f64>>,
    /// Axis-aligned boxes: bottom edge (y) of each box (exclusive: `row2 - row1` is the
    /// height).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_row2: Option<Vec<f64>>,
    /// Axis-aligned boxes: right edge (x) of each box (exclusive: `col2 - col1` is the
    /// width).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_col2: Option<Vec<f64>>,
    /// Rotated boxes (HALCON `rectangle2`): row (y) of each box's centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_row: Option<Vec<f64>>,
    /// Rotated boxes: column (x) of each box's centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_col: Option<Vec<f64>>,
    /// Rotated boxes: angle of each box's `length1` axis in radians, counter-clockwise (as
    /// seen on screen) from the column axis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_phi: Option<Vec<f64>>,
    /// Rotated boxes: half the side length along the `bbox_phi` direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_length1: Option<Vec<f64>>,
    /// Rotated boxes: half the side length perpendicular to the `bbox_phi` direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox_length2: Option<Vec<f64>>,
    /// Instance segmentation: each object's mask, COCO style: a list of polygons
    /// `[[x0, y0, x1, y1, ...], ...]` in image pixels, or a COCO run-length encoding
    /// `{"counts": ..., "size": [height, width]}` (see [`InstanceMask`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask_polygons: Option<Vec<InstanceMask>>,
    /// OCR recognition: the text shown by a word crop (HALCON `word`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
    /// OCR detection: the text of each rotated box, parallel to `bbox_label_id` (see
    /// [`words`](crate::words)). A box whose text could not be read is marked in
    /// `words_dont_care`; its text is kept as the source wrote it (ICDAR `###`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<String>>,
    /// OCR detection: per box, whether it is a don't-care region (illegible text, ICDAR
    /// `###`): neither a miss when not found nor a false positive when found, and its
    /// text is not read. Parallel to `bbox_label_id`; absent means no box is don't-care.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words_dont_care: Option<Vec<bool>>,
    /// Counting: the row (y) of each true object's position (a dot annotation), in the
    /// continuous pixel coordinates of [`instances`](crate::instances) (the centre of
    /// pixel `(r, c)` is `(r + 0.5, c + 0.5)`). Parallel to `point_col`; see
    /// [`counting`](crate::counting).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_row: Option<Vec<f64>>,
    /// Counting: the column (x) of each true object's position, parallel to `point_row`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point_col: Option<Vec<f64>>,
    /// Counting: top edge (y) of each example box (what one object looks like). The four
    /// `exemplar_*` fields are parallel, one entry per example box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemplar_row1: Option<Vec<f64>>,
    /// Counting: left edge (x) of each example box.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemplar_col1: Option<Vec<f64>>,
    /// Counting: bottom edge (y) of each example box (exclusive, like `bbox_row2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemplar_row2: Option<Vec<f64>>,
    /// Counting: right edge (x) of each example box (exclusive, like `bbox_col2`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemplar_col2: Option<Vec<f64>>,
    /// Pose estimation (BOP): per object, the row-major 3x3 rotation of its model-to-camera
    /// pose (`cam_R_m2c`), parallel to `bbox_label_id` (which holds the object ids).
    #[serde(
        rename = "pose_cam_R_m2c",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub pose_cam_r_m2c: Option<Vec<[f64; 9]>>,
    /// Pose estimation: per object, the translation of its model-to-camera pose in
    /// millimetres (`cam_t_m2c`), parallel to `bbox_label_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pose_cam_t_m2c: Option<Vec<[f64; 3]>>,
    /// Pose estimation: per object, the fraction of its silhouette that is visible (not
    /// occluded), 0 to 1, parallel to `bbox_label_id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pose_visib_fract: Option<Vec<f64>>,
    /// Pose estimation: the camera matrix of the image, row-major 3x3
    /// `[fx, 0, cx, 0, fy, cy, 0, 0, 1]` (BOP `cam_K`, pixel centres at integer
    /// coordinates).
    #[serde(rename = "cam_K", default, skip_serializing_if = "Option::is_none")]
    pub cam_k: Option<[f64; 9]>,
    /// Gripping: the depth image registered to the image (same size, one value per pixel),
    /// relative to the dataset's `image_dir` (or an absolute path); a 16-bit grey PNG of
    /// integers, or a float TIFF. See [`gripping`](crate::gripping).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth_file_name: Option<String>,
    /// Gripping: millimetres per unit of the depth file's values (BOP's `depth_scale`; 1
    /// for a PNG of millimetres, 1000 for a TIFF of metres). Absent: 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth_scale: Option<f64>,
    /// Gripping: what the depth file's values measure: `"z"` (along the optical axis) or
    /// `"range"` (from the camera centre along each pixel's ray, as in Cornell). Absent:
    /// `"z"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depth_kind: Option<DepthKind>,
    /// Gripping: row (y) of each grasp rectangle's centre (HALCON `rectangle2`, the
    /// coordinates of [`instances`](crate::instances)). The six `grasp_*` fields are
    /// parallel, one entry per rectangle; see [`Sample::grasps`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grasp_row: Option<Vec<f64>>,
    /// Gripping: column (x) of each grasp rectangle's centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grasp_col: Option<Vec<f64>>,
    /// Gripping: angle of each rectangle's opening direction (from jaw to jaw), radians,
    /// counter-clockwise on screen from the column axis, in `(-π/2, π/2]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grasp_phi: Option<Vec<f64>>,
    /// Gripping: half of each rectangle's side along `grasp_phi`: half the gripper's
    /// opening width, in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grasp_length1: Option<Vec<f64>>,
    /// Gripping: half of each rectangle's other side: half the jaw size, in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grasp_length2: Option<Vec<f64>>,
    /// Gripping: whether each rectangle is a good grasp (Cornell `cpos`) or a bad one
    /// (`cneg`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grasp_positive: Option<Vec<bool>>,
    /// Gripping: a gripping-map label image (HALCON's form: 8-bit grey, same size as the
    /// image, non-zero = a gripper can take hold here), relative to the dataset's
    /// `image_dir` (or an absolute path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gripping_file_name: Option<String>,
}

/// A dataset: classes, an image folder and samples (classification, multi-label
/// classification, anomaly detection, semantic segmentation, object detection with
/// axis-aligned or rotated boxes, instance segmentation, or OCR: word crops with their
/// text, or images with a rotated box and a text per word, or counting: images with example
/// boxes and true positions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Class names, parallel to `class_ids`.
    pub class_names: Vec<String>,
    /// Class ids, parallel to `class_names`.
    pub class_ids: Vec<u32>,
    /// Image folder as written in the file; a relative one is relative to `base_dir`.
    pub image_dir: String,
    /// The images and their labels.
    pub samples: Vec<Sample>,
    /// Folder of the anomaly masks as written in the file; a relative one is relative to
    /// `base_dir`. When absent, `anomaly_file_name`s are relative to `image_dir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anomaly_dir: Option<String>,
    /// Folder of the segmentation label images as written in the file; a relative one is
    /// relative to `base_dir`. When absent, `segmentation_file_name`s are relative to
    /// `image_dir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segmentation_dir: Option<String>,
    /// Classes whose pixels are ignored by training and evaluation (segmentation); each
    /// must be one of `class_ids`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore_class_ids: Vec<u32>,
    /// Classes that are background (segmentation); each must be one of `class_ids`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub class_ids_background: Vec<u32>,
    /// Pose estimation: folder of the objects' CAD models (BOP `models/`: `obj_NNNNNN.ply`
    /// and `models_info.json`) as written in the file; a relative one is relative to
    /// `base_dir`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models_dir: Option<String>,
    /// Folder of the JSON file the dataset was loaded from (set by [`Dataset::load`]).
    #[serde(skip)]
    pub base_dir: PathBuf,
    /// Keys of the file that are not fields of the dataset or its samples (set by
    /// [`Dataset::load`]; their values were ignored). [`validate`](crate::validate())
    /// reports them.
    #[serde(skip)]
    pub unknown_keys: UnknownKeys,
}

impl Dataset {
    /// Reads a dataset JSON file; `base_dir` is set to the file's folder.
    ///
    /// Errors name the file; parse errors also give line and column. Keys the dataset does
    /// not know are not errors here (files of other versions and tools still load): they
    /// are kept in `unknown_keys` and reported by [`validate`](crate::validate()).
    pub fn load(path: &Path) -> Result<Dataset, DataError> {
        let text =
            kestrel_geom::read_regular_to_string(path).map_err(|e| DataError::io(path, e))?;
        Dataset::from_json(&text, path)
    }

    /// Parses the text of a dataset JSON file, as [`Dataset::load`] does; `path` is the
    /// file the text was read from (named in errors, its folder becomes `base_dir`).
    pub fn from_json(text: &str, path: &Path) -> Result<Dataset, DataError> {
        let mut ds: Dataset = serde_json::from_str(text).map_err(|source| DataError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        ds.unknown_keys = unknown_keys(text);
        ds.base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(ds)
    }

    /// Writes the dataset as pretty JSON, atomically (temporary file in the same folder,
    /// then rename; missing folders are created, see [`kestrel_geom::write_atomic`]).
    ///
    /// If `path` exists and `overwrite` is false, returns [`DataError::AlreadyExists`].
    /// `image_dir` is written unchanged: a relative `image_dir` is resolved against the
    /// folder the file is saved in when it is loaded again.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<(), DataError> {
        if !overwrite && path.exists() {
            return Err(DataError::AlreadyExists {
                path: path.to_path_buf(),
            });
        }
        let mut text = serde_json::to_string_pretty(self).map_err(|source| DataError::Json {
            path: path.to_path_buf(),
            source,
        })?;
        text.push('\n');
        kestrel_geom::write_atomic(path, text.as_bytes()).map_err(|e| DataError::io(path, e))
    }

    /// Path of a sample's image: `base_dir/image_dir/image_file_name`.
    ///
    /// Absolute `image_dir` or `image_file_name` values are kept as they are.
    pub fn image_path(&self, sample: &Sample) -> PathBuf {
        self.resolve(None, &sample.image_file_name)
    }

    /// Path of a sample's anomaly mask, `None` when it has none:
    /// `base_dir/anomaly_dir/anomaly_file_name`, with `image_dir` when `anomaly_dir` is
    /// absent. Absolute folders or file names are kept as they are.
    pub fn anomaly_path(&self, sample: &Sample) -> Option<PathBuf> {
        let file = sample.anomaly_file_name.as_deref()?;
        Some(self.resolve(self.anomaly_dir.as_deref(), file))
    }

    /// Path of a sample's segmentation label image, `None` when it has none:
    /// `base_dir/segmentation_dir/segmentation_file_name`, with `image_dir` when
    /// `segmentation_dir` is absent. Absolute folders or file names are kept as they are.
    pub fn segmentation_path(&self, sample: &Sample) -> Option<PathBuf> {
        let file = sample.segmentation_file_name.as_deref()?;
        Some(self.resolve(self.segmentation_dir.as_deref(), file))
    }

    /// Path of a sample's depth image, `None` when it has none:
    /// `base_dir/image_dir/depth_file_name` (an absolute file name is kept as it is).
    pub fn depth_path(&self, sample: &Sample) -> Option<PathBuf> {
        Some(self.resolve(None, sample.depth_file_name.as_deref()?))
    }

    /// Path of a sample's gripping-map label image, `None` when it has none:
    /// `base_dir/image_dir/gripping_file_name` (an absolute file name is kept as it is).
    pub fn gripping_path(&self, sample: &Sample) -> Option<PathBuf> {
        Some(self.resolve(None, sample.gripping_file_name.as_deref()?))
    }

    /// `base_dir/dir/file` with `dir` defaulting to `image_dir`.
    fn resolve(&self, dir: Option<&str>, file: &str) -> PathBuf {
        let file = Path::new(file);
        if file.is_absolute() {
            return file.to_path_buf();
        }
        self.base_dir
            .join(dir.unwrap_or(&self.image_dir))
            .join(file)
    }

    /// Index of `label_id` in `class_ids` (and so in `class_names`), if present.
    pub fn class_index(&self, label_id: u32) -> Option<usize> {
        self.class_ids.iter().position(|&id| id == label_id)
    }

    /// The samples assigned to `split`, in dataset order.
    pub fn samples_in(&self, split: Split) -> Vec<&Sample> {
        self.samples
            .iter()
            .filter(|s| s.split == Some(split))
            .collect()
    }
}
