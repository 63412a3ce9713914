//! Methods: what every method offers the model, trainer, evaluator and CLI
//! ([`Method`], looked up by its [`MethodKind`] in [`crate::registry`]), the report and
//! results they return ([`Report`], [`Results`]), and the contract of methods trained by
//! gradient descent ([`GradientMethod`]).

mod contract;
mod gradient;
mod kind;
mod output;

pub use contract::{InferOptions, Method, NetworkInit};
pub use gradient::{GradientMethod, split_inputs};
pub use kind::MethodKind;
pub use output::{ImageResult, Report, Results, picture_stem};
