//! ONNX model inference for Kestrel, in pure Rust.
//!
//! [`OnnxModel`] loads an `.onnx` file with [tract](https://github.com/sonos/tract)
//! (`tract-onnx`, no native libraries, nothing downloaded), fixes its input shape,
//! optimises it once and runs it on `f32` tensors given as row-major slices.
//!
//! [`OnnxGraph`] reads a file's graph as data instead, for rebuilding it as a trainable
//! network elsewhere.
//!
//! ```no_run
//! use kestrel_onnx::OnnxModel;
//! let model = OnnxModel::load("mobilenet_v2.onnx".as_ref(), Some(&[1, 3, 224, 224]))?;
//! let input = vec![0.0f32; 3 * 224 * 224];
//! let outputs = model.run(&input, &[1, 3, 224, 224])?;
//! let (shape, logits) = &outputs[0];
//! assert_eq!(shape, &[1, 1000]);
//! # let _ = logits;
//! # Ok::<(), kestrel_onnx::OnnxError>(())
//! ```

mod error;
pub mod graph;
mod model;

pub use error::OnnxError;
pub use graph::{GraphSpec, OnnxGraph};
pub use model::{OnnxModel, TensorOutput};
