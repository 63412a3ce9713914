//! ONNX graphs as trainable burn networks: [`GraphNet`] rebuilds a
//! [`GraphSpec`](kestrel_onnx::GraphSpec) (read by [`kestrel_onnx::OnnxGraph::read`]) from
//! burn layers and tensor operations, so a pretrained ONNX model (PaddleOCR's text
//! detector and recogniser, for one) runs on Kestrel's kernels, gives ONNX Runtime's
//! outputs, and can be fine-tuned with autodiff. The operators it knows are those such
//! models use (convolutions, batch norm, activations, pooling, nearest resizing, matrix
//! products, layer-norm arithmetic, softmax and the shape operators); any other is
//! reported by name when the network is built.

mod error;
mod init;
mod layers;
mod net;
mod ops;
mod pool;
mod run;
mod shape_ops;
mod value;

pub use error::GraphError;
pub use init::fresh_weights;
pub use net::GraphNet;
pub use run::GraphOutput;
