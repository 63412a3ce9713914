//! What evaluation and inference return, whatever the method: a [`Report`] and
//! [`Results`] that write, draw and summarise themselves.

use crate::error::Result;
use crate::model::Model;
use serde::Serialize;
use std::any::Any;
use std::path::{Path, PathBuf};

/// A method's evaluation of a model on a dataset split.
pub trait Report: Send {
    /// Writes the JSON (atomically) to `json_path` and the pictures beside it; returns the
    /// pictures written.
    fn write(&self, json_path: &Path, model: &Model) -> Result<Vec<PathBuf>>;

    /// The measures for a person to read, one or more lines.
    fn summary(&self) -> String;

    /// The report as its method's type (for code that knows the method).
    fn as_any(&self) -> &dyn Any;
}

/// What a method says about one image.
pub trait ImageResult: Serialize + Send + Sync + 'static {
    /// One line for a person: the image and what was found.
    fn line(&self) -> String;

    /// Draws the result into `folder` (picture named after the image); returns the files
    /// written, none where the method has no picture.
    fn draw(&self, _model: &Model, _folder: &Path) -> Result<Vec<PathBuf>> {
        Ok(Vec::new())
    }
}

/// A method's results for a list of images, in order.
pub trait Results: Send {
    /// Number of images.
    fn len(&self) -> usize;

    /// True when there are no images.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One line per image for a person.
    fn lines(&self) -> Vec<String>;

    /// All results as pretty-printed JSON (an array, one entry per image).
    fn to_json(&self) -> String;

    /// Draws every image's result into `folder`; returns the files written.
    fn draw(&self, model: &Model, folder: &Path) -> Result<Vec<PathBuf>>;

    /// The results as their method's type (for code that knows the method).
    fn as_any(&self) -> &dyn Any;
}

impl<T: ImageResult> Results for Vec<T> {
    fn len(&self) -> usize {
        Vec::len(self)
    }

    fn lines(&self) -> Vec<String> {
        self.iter().map(ImageResult::line).collect()
    }

    fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("results serialise")
    }

    fn draw(&self, model: &Model, folder: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(folder).map_err(crate::error::io_error(folder))?;
        let mut written = Vec::new();
        for result in self {
            written.extend(result.draw(model, folder)?);
        }
        Ok(written)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The file stem of an image, for naming the pictures drawn for it.
pub fn picture_stem(image: &Path) -> String {
    image
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}
