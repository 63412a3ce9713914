//! Segmentation's and edge extraction's own parameters.

use serde::{Deserialize, Serialize};

/// The parameters only segmentation and edge extraction have.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SegmentationParams {
    /// Weight the classes by their pixel frequency in the train split (softened
    /// median-frequency balancing), so rare classes such as edges and small defects count.
    pub weight_rare_classes: bool,
    /// Dataset class ids whose pixels are left out of loss and measures.
    pub ignore_class_ids: Vec<u32>,
    /// Dataset class ids drawn without colour in pictures.
    pub class_ids_background: Vec<u32>,
}

impl Default for SegmentationParams {
    fn default() -> Self {
        Self {
            weight_rare_classes: true,
            ignore_class_ids: Vec::new(),
            class_ids_background: Vec::new(),
        }
    }
}
