//! Semantic segmentation: pixel confusion over many images, IoU-based scores, and edge
//! maps compared with a distance tolerance.

mod accumulator;
mod edges;
mod evaluation;

pub use accumulator::{SegmentationAccumulator, image_mean_iou};
pub use edges::{EdgeF1, edge_f1};
pub use evaluation::{SegmentationClassMetrics, SegmentationEvaluation};
