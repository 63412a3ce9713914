//! Importers that build a [`Dataset`](crate::Dataset) from common on-disk layouts.

mod coco_detection;
pub mod coco_format;
mod coco_multilabel;
mod coco_rle;
mod filename;
mod folder;
mod grey_png;
mod idx;
mod idx_dir;
mod idx_format;
mod labelled;
mod magnetic_tile;
mod magnetic_tile_layout;
mod magnetic_tile_segmentation;
mod magnetic_tile_split;
mod multilabel_csv;
mod mvtec_ad;
mod segmentation_folders;
mod txt_boxes;
mod voc;
mod xml;

pub use coco_detection::import_coco_detection;
pub use coco_format::CocoFile;
pub use coco_multilabel::import_coco_multilabel;
pub use filename::{import_filename, label_from_file_name};
pub use folder::import_folder;
pub use idx::import_idx;
pub use idx_dir::import_idx_dir;
pub use magnetic_tile::import_magnetic_tile_anomaly;
pub use magnetic_tile_segmentation::import_magnetic_tile_segmentation;
pub use multilabel_csv::import_multilabel_csv;
pub use mvtec_ad::import_mvtec_ad;
pub use segmentation_folders::import_segmentation_folders;
pub use txt_boxes::import_txt_boxes;
pub use voc::import_voc;
