//! Importers that build a [`Dataset`](crate::Dataset) from common on-disk layouts.

mod coco_detection;
pub mod coco_format;
mod coco_multilabel;
mod coco_split_folders;
mod cornell;
mod cornell_rects;
mod counting_boxes;
mod counting_coco;
mod counting_dots;
mod counting_json;
mod counting_voc;
mod filename;
mod folder;
mod grey_png;
mod icdar;
mod idx;
mod idx_dir;
mod idx_format;
pub(crate) mod labelled;
mod magnetic_tile;
mod magnetic_tile_layout;
mod magnetic_tile_segmentation;
mod magnetic_tile_split;
mod multilabel_csv;
mod mvtec_ad;
mod ocr_tags;
mod ocr_tsv;
mod request;
mod segmentation_folders;
mod text_file;
mod txt_boxes;
mod voc;

pub use coco_detection::import_coco_detection;
pub use coco_format::CocoFile;
pub use coco_multilabel::import_coco_multilabel;
pub use coco_split_folders::import_coco_split_folders;
pub use cornell::{
    CORNELL_CAM_K, CORNELL_SPLIT_SEED, CORNELL_TEST_FRACTION, CornellImport, CornellOptions,
    cornell_test_scenes, import_cornell,
};
pub use cornell_rects::NanRectangles;
pub use counting_coco::import_counting_coco;
pub use counting_dots::{DOT_MAP_SUFFIX, import_counting_dots};
pub use counting_json::import_counting_json;
pub use counting_voc::import_counting_voc;
pub use filename::{import_filename, label_from_file_name};
pub use folder::import_folder;
pub use icdar::import_icdar2015;
pub use idx::import_idx;
pub use idx_dir::import_idx_dir;
pub use magnetic_tile::import_magnetic_tile_anomaly;
pub use magnetic_tile_segmentation::import_magnetic_tile_segmentation;
pub use multilabel_csv::import_multilabel_csv;
pub use mvtec_ad::import_mvtec_ad;
pub use ocr_tags::import_ocr_tags;
pub use ocr_tsv::{OCR_LABELS_FILE, import_ocr_tsv};
pub use request::{DatasetKind, ImportFormat, ImportRequest, KIND_FORMATS, import};
pub use segmentation_folders::import_segmentation_folders;
pub use txt_boxes::import_txt_boxes;
pub use voc::import_voc;
