//! ONNX graphs as data: [`OnnxGraph::read`] turns a file into a [`GraphSpec`] (operators,
//! attributes, small constants) and the values of its trainable weights, so that a
//! tensor library can rebuild the network and train it (Kestrel's `kestrel-nn` does).

mod read;
mod spec;

pub use read::OnnxGraph;
pub use spec::{Attribute, ConstantSpec, ConstantValue, GraphSpec, NodeSpec};
