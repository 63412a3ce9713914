//! The COCO instances JSON format (`images`, `annotations`, `categories`), as read by the
//! COCO importers.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::DataError;

/// The COCO RLE types live in `kestrel-geom`; re-exported here for the COCO format.
pub use kestrel_geom::{CocoRle, CocoRleCounts};

/// A COCO instances file. Keys other than those below (`info`, `licenses`, ...) are
/// ignored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CocoFile {
    /// The images.
    pub images: Vec<CocoImage>,
    /// The object annotations (absent = none).
    #[serde(default)]
    pub annotations: Vec<CocoAnnotation>,
    /// The categories (absent = none).
    #[serde(default)]
    pub categories: Vec<CocoCategory>,
}

/// One image of a COCO file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CocoImage {
    /// Image id, referenced by annotations.
    pub id: u64,
    /// File name, relative to the image folder.
    pub file_name: String,
    /// Width in pixels, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    /// Height in pixels, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// One object annotation of a COCO file.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CocoAnnotation {
    /// Annotation id (0 when absent).
    #[serde(default)]
    pub id: u64,
    /// The image the object is in.
    pub image_id: u64,
    /// The object's category.
    pub category_id: u32,
    /// Bounding box `[x, y, width, height]` in pixels, top-left origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<[f64; 4]>,
    /// The object's outline, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segmentation: Option<CocoSegmentation>,
    /// Area of the object in pixels, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<f64>,
    /// 1 for a crowd region (usually with an RLE segmentation), else 0.
    #[serde(default)]
    pub iscrowd: u8,
}

/// A COCO object outline: polygons or a run-length encoded mask.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum CocoSegmentation {
    /// Polygons, each `[x1, y1, x2, y2, ...]` in pixels.
    Polygons(Vec<Vec<f64>>),
    /// A run-length encoded mask.
    Rle(CocoRle),
}

/// One category of a COCO file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CocoCategory {
    /// Category id, referenced by annotations.
    pub id: u32,
    /// Category name.
    pub name: String,
    /// Parent category name, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supercategory: Option<String>,
}

impl CocoFile {
    /// Reads and parses a COCO JSON file.
    ///
    /// Errors name the file; parse errors also give line and column
    /// ([`DataError::Format`]).
    pub fn load(path: &Path) -> Result<CocoFile, DataError> {
        let text =
            kestrel_geom::read_regular_to_string(path).map_err(|e| DataError::io(path, e))?;
        serde_json::from_str(&text)
            .map_err(|e| DataError::format(path, format!("invalid COCO JSON: {e}")))
    }

    /// Checks that ids are unique and references resolve: duplicate image or category
    /// ids, annotations naming an unknown image or category. All problems are reported at
    /// once ([`DataError::Problems`] for `path`, the file the data came from).
    pub fn check(&self, path: &Path) -> Result<(), DataError> {
        let mut problems = Vec::new();
        let mut images = HashSet::new();
        for image in &self.images {
            if !images.insert(image.id) {
                problems.push(format!("image id {} is used twice", image.id));
            }
        }
        let mut categories = HashSet::new();
        for c in &self.categories {
            if !categories.insert(c.id) {
                problems.push(format!("category id {} is used twice", c.id));
            }
        }
        for (i, a) in self.annotations.iter().enumerate() {
            if !images.contains(&a.image_id) {
                problems.push(format!(
                    "annotation {i} (id {}): image_id {} is not an image",
                    a.id, a.image_id
                ));
            }
            if !categories.contains(&a.category_id) {
                problems.push(format!(
                    "annotation {i} (id {}): category_id {} is not a category",
                    a.id, a.category_id
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(DataError::Problems {
                path: path.to_path_buf(),
                problems,
            })
        }
    }

    /// The annotations of each image, by image id, in file order.
    pub fn annotations_by_image(&self) -> HashMap<u64, Vec<&CocoAnnotation>> {
        let mut out: HashMap<u64, Vec<&CocoAnnotation>> = HashMap::new();
        for a in &self.annotations {
            out.entry(a.image_id).or_default().push(a);
        }
        out
    }
}
