//! What counting finds in one image.

use crate::counting::peaks::{Peak, ScoreMap};
use crate::counting::pictures::{FOUND, marks_picture, score_picture};
use crate::error::Result;
use crate::method::{ImageResult, picture_stem};
use crate::model::Model;
use kestrel_image::{read_image, save_png};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One found object: its centre, a box of the examples' size around it, its score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountedObject {
    /// Row (y) of the centre, image pixels.
    pub row: f64,
    /// Column (x) of the centre.
    pub column: f64,
    /// Top edge of the example-sized box.
    pub bbox_row1: f64,
    /// Left edge of the box.
    pub bbox_col1: f64,
    /// Bottom edge of the box (exclusive).
    pub bbox_row2: f64,
    /// Right edge of the box (exclusive).
    pub bbox_col2: f64,
    /// How much it looks like the examples (about 1 = as much as they look like each
    /// other).
    pub score: f32,
}

impl CountedObject {
    /// The object at `peak` with a `width x height` box.
    pub fn at(peak: &Peak, width: f64, height: f64) -> Self {
        Self {
            row: peak.row,
            column: peak.column,
            bbox_row1: peak.row - height / 2.0,
            bbox_col1: peak.column - width / 2.0,
            bbox_row2: peak.row + height / 2.0,
            bbox_col2: peak.column + width / 2.0,
            score: peak.score,
        }
    }

    /// The box as `[row1, col1, row2, col2]`.
    pub fn bbox(&self) -> [f64; 4] {
        [self.bbox_row1, self.bbox_col1, self.bbox_row2, self.bbox_col2]
    }
}

/// Deep counting's result for one image.
#[derive(Debug, Clone, Serialize)]
pub struct CountResult {
    /// The image file.
    pub image: PathBuf,
    /// How many objects were found.
    pub count: usize,
    /// The objects, best score first.
    pub objects: Vec<CountedObject>,
    /// The score map, at half the feature map's cell size (drawn as a picture, not written
    /// to JSON).
    #[serde(skip)]
    pub score_map: ScoreMap,
}

impl ImageResult for CountResult {
    fn line(&self) -> String {
        format!("{}: {} objects", self.image.display(), self.count)
    }

    /// `<stem>_count.png` (found objects outlined) and `<stem>_scores.png` (score map).
    fn draw(&self, _model: &Model, folder: &Path) -> Result<Vec<PathBuf>> {
        let image = read_image(&self.image)?;
        let stem = picture_stem(&self.image);
        let marks: Vec<_> = self.objects.iter().map(|o| (o.bbox(), FOUND)).collect();
        let found = folder.join(format!("{stem}_count.png"));
        save_png(&found, &marks_picture(&image, &marks))?;
        let scores = folder.join(format!("{stem}_scores.png"));
        save_png(&scores, &score_picture(&image, &self.score_map))?;
        Ok(vec![found, scores])
    }
}
