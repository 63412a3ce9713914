//! Kestrel datasets: the HALCON-style dataset file, importers from common layouts
//! (folder per class, label in file name, IDX/MNIST, multi-label CSV and COCO, MVTec AD and
//! Magnetic-Tile anomaly detection, segmentation label folders, object detection from COCO,
//! Pascal VOC and plain text boxes, OCR word crops from tag files or `labels.tsv` and words
//! on images from ICDAR 2015 files, counting from dot maps, VOC or COCO boxes of one class
//! or a JSON list, gripping scenes (image, depth, grasp rectangles) from the Cornell
//! grasping layout), validation, and stratified splits.
//!
//! ```no_run
//! use kestrel_data::{import_folder, split, validate, SplitSpec};
//! # fn main() -> Result<(), kestrel_data::DataError> {
//! let mut ds = import_folder(std::path::Path::new("images"))?;
//! let report = validate(&ds);
//! assert!(report.is_ok(), "{report}");
//! println!("{}", split(&mut ds, &SplitSpec::default(), false)?);
//! ds.save(std::path::Path::new("dataset.json"), false)?;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

pub mod counting;
pub mod dataset;
mod edges;
pub mod error;
pub mod gripping;
pub mod import;
pub mod instances;
pub mod keys;
mod quad;
mod rotated;
pub mod scan;
pub mod shared;
mod shuffle;
pub mod split;
pub mod validate;
pub mod words;

pub use counting::{
    COUNTING_CLASS, EXEMPLAR_SEED, EXEMPLAR_SIDE_FACTOR, MIN_EXEMPLAR_SIDE, NUM_EXEMPLARS,
    exemplars_from_points,
};
pub use dataset::{AnomalyLabel, Dataset, Sample, Split};
pub use edges::edges_from_segmentation;
pub use error::DataError;
pub use gripping::{DepthKind, Grasp, grasp_angle};
pub use import::{
    CORNELL_CAM_K, CORNELL_SPLIT_SEED, CORNELL_TEST_FRACTION, CocoFile, CornellImport,
    CornellOptions, DOT_MAP_SUFFIX, DatasetKind, ImportFormat, ImportRequest, KIND_FORMATS,
    NanRectangles, OCR_LABELS_FILE, cornell_test_scenes, import, import_coco_detection,
    import_coco_multilabel, import_coco_split_folders, import_cornell, import_counting_coco,
    import_counting_dots, import_counting_json, import_counting_voc, import_filename,
    import_folder, import_icdar2015, import_idx, import_idx_dir, import_magnetic_tile_anomaly,
    import_magnetic_tile_segmentation, import_multilabel_csv, import_mvtec_ad, import_ocr_tags,
    import_ocr_tsv, import_segmentation_folders, import_txt_boxes, import_voc,
    label_from_file_name,
};
pub use instances::{BoxAnnotation, InstanceMask, RotatedBox, RotatedBoxAnnotation};
/// Convex hulls and minimum-area rectangles (now in `kestrel-geom`).
pub use kestrel_geom as geometry;
pub use keys::{UnknownKey, UnknownKeys};
pub use quad::word_rect_from_quad;
pub use rotated::rotated_from_polygons;
pub use shared::shared_data_dir;
pub use split::{SplitReport, SplitSpec, split};
pub use validate::{
    NO_ANNOTATIONS, Problem, ValidateOptions, ValidationReport, validate, validate_with,
};
pub use words::{DONT_CARE_TEXT, WORD_CLASS, WordAnnotation};
