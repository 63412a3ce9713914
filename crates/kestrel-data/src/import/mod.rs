//! Importers that build a [`Dataset`](crate::Dataset) from common on-disk layouts.

mod filename;
mod folder;
mod grey_png;
mod idx;
mod idx_dir;
mod idx_format;
mod labelled;

pub use filename::{import_filename, label_from_file_name};
pub use folder::import_folder;
pub use idx::import_idx;
pub use idx_dir::import_idx_dir;
