//! Deep counting (HALCON's `deep_counting`): count the objects in an image that look like
//! a few example boxes, without training.
//!
//! A pretrained backbone's two finest feature levels (strides 4 and 8, the first averaged
//! to stride 8) describe the image after it is scaled so the examples are about
//! `example_size` pixels (about three cells), which handles objects smaller than the
//! backbone's stride; large or strongly scaled images run tile by tile. Each example box is
//! pooled into a 3x3-cell template (RoIAlign); every cell's neighbourhood is compared with
//! the templates by normalised cross-correlation after the image's mean feature is taken
//! out. Scores are divided by the examples' own score, so about 1 means "as alike as the
//! examples are to each other". Objects are the local maxima of the (2x upsampled) score
//! map above `min_score`, thinned by non-maximum suppression of example-sized boxes
//! (`max_overlap`).
//!
//! `prepare` (the method's `train`) stores the templates and the examples' size in the
//! model; evaluation counts each image with its own example boxes where it has them.
//!
//! Why this route: it needs no training data, runs in one backbone pass per image, and its
//! score has a meaning users can set a threshold on; a trained density head (FamNet-style)
//! would need a counting dataset of many classes that Kestrel does not have.

mod apply;
mod entry;
mod evaluate;
mod examples;
mod features;
mod net;
mod params;
mod peaks;
mod pictures;
mod result;
mod similarity;

pub use entry::{CountingMethod, counting_params};
pub use evaluate::{CountedImage, CountingReport};
pub use examples::{ExampleImage, LoadedExamples, PreparedExamples};
pub use features::{FeatureMap, Scaling};
pub use net::{CountingNet, TEMPLATE_CELLS, feature_channels, feature_stride};
pub use params::CountingParams;
pub use peaks::{Peak, ScoreMap};
pub use result::{CountResult, CountedObject};

/// The `model_type` of deep counting.
pub const NAME: &str = "deep_counting";
