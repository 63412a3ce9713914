//! [`GraphSpec`]: an ONNX graph as plain data, without its weights, so that it can be
//! stored beside a model's parameters and rebuilt as a trainable network.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An ONNX graph's structure: its inputs and outputs, its nodes in execution order and
/// its constants. Trainable constants ([`ConstantValue::Weight`]) carry only their shape;
/// their values travel separately ([`super::OnnxGraph::weights`], or a model file's
/// tensors).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphSpec {
    /// The version of the standard ONNX operator set the graph uses (operators changed
    /// meaning between versions, e.g. `Softmax` at 13).
    pub opset: i64,
    /// Names of the graph's inputs, in order (constants excluded).
    pub inputs: Vec<String>,
    /// Names of the graph's outputs, in order.
    pub outputs: Vec<String>,
    /// The operations, in an order where each one's inputs are computed before it.
    pub nodes: Vec<NodeSpec>,
    /// The graph's constants (ONNX `Constant` nodes and initialisers), by name.
    pub constants: BTreeMap<String, ConstantSpec>,
}

/// One ONNX operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeSpec {
    /// The ONNX operator (`Conv`, `Add`, …).
    pub op: String,
    /// The names of its inputs; an empty name is an omitted optional input.
    pub inputs: Vec<String>,
    /// The names of its outputs.
    pub outputs: Vec<String>,
    /// Its attributes by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, Attribute>,
}

/// An ONNX attribute value (the kinds the supported operators use).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    /// One integer.
    Int(i64),
    /// One float.
    Float(f32),
    /// A list of integers.
    Ints(Vec<i64>),
    /// A list of floats.
    Floats(Vec<f32>),
    /// A string (UTF-8).
    Text(String),
}

/// A constant: its shape and its value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConstantSpec {
    /// Its dimensions (empty for a scalar).
    pub shape: Vec<usize>,
    /// Its value, or where the value is kept.
    pub value: ConstantValue,
}

/// Where a constant's value is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConstantValue {
    /// Integers (shapes, axes, indices), kept here.
    Ints(Vec<i64>),
    /// Floats that are not trained (activation bounds, resize scales, epsilons), kept
    /// here.
    Floats(Vec<f32>),
    /// A trainable weight: convolution and matrix weights and biases, batch norm
    /// parameters and statistics, and the per-channel scales and offsets of `Mul` and
    /// `Add`; its values are kept with the network's tensors.
    Weight,
}

impl Attribute {
    /// The value as one integer, if it is one.
    pub fn int(&self) -> Option<i64> {
        match self {
            Attribute::Int(v) => Some(*v),
            _ => None,
        }
    }

    /// The value as one float (an integer converts), if it is one.
    pub fn float(&self) -> Option<f32> {
        match self {
            Attribute::Float(v) => Some(*v),
            Attribute::Int(v) => Some(*v as f32),
            _ => None,
        }
    }

    /// The value as a list of integers, if it is one.
    pub fn ints(&self) -> Option<&[i64]> {
        match self {
            Attribute::Ints(v) => Some(v),
            _ => None,
        }
    }

    /// The value as a string, if it is one.
    pub fn text(&self) -> Option<&str> {
        match self {
            Attribute::Text(v) => Some(v),
            _ => None,
        }
    }
}

impl NodeSpec {
    /// The attribute `name`, if the node has it.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.get(name)
    }

    /// A printable name for errors: the operator and its first output.
    pub fn label(&self) -> String {
        format!(
            "{} -> {}",
            self.op,
            self.outputs.first().map(String::as_str).unwrap_or("?")
        )
    }
}
