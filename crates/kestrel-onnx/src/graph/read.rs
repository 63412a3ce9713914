//! Reading an ONNX file into a [`GraphSpec`] and its weights.

use super::spec::{Attribute, ConstantSpec, ConstantValue, GraphSpec, NodeSpec};
use crate::error::OnnxError;
use prost::Message;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use tract_onnx::pb::{AttributeProto, ModelProto, TensorProto, attribute_proto::AttributeType};

/// An ONNX graph read from a file: its structure and the values of its trainable
/// weights.
#[derive(Debug, Clone, PartialEq)]
pub struct OnnxGraph {
    /// The structure.
    pub spec: GraphSpec,
    /// The value of each [`ConstantValue::Weight`] constant, row-major, by name.
    pub weights: BTreeMap<String, Vec<f32>>,
}

/// ONNX tensor element types this reader takes.
const FLOAT: i32 = 1;
const INT32: i32 = 6;
const INT64: i32 = 7;
const DOUBLE: i32 = 11;

/// Operators (and input positions) whose float constants are trainable weights.
fn takes_weight(op: &str, input: usize) -> bool {
    match op {
        "Conv" | "ConvTranspose" => input >= 1,
        "BatchNormalization" => input >= 1,
        "MatMul" | "Mul" | "Add" => true,
        "Gemm" => input >= 1,
        _ => false,
    }
}

impl OnnxGraph {
    /// Reads `path`. Errors name the file and, for a bad constant or attribute, the node.
    pub fn read(path: &Path) -> Result<Self, OnnxError> {
        let load_err = |message: String| OnnxError::Load {
            path: path.to_path_buf(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| load_err(e.to_string()))?;
        let model =
            ModelProto::decode(bytes.as_slice()).map_err(|e| load_err(format!("not ONNX: {e}")))?;
        let graph = model
            .graph
            .ok_or_else(|| load_err("the file has no graph".into()))?;
        let mut raw: BTreeMap<String, RawConstant> = BTreeMap::new();
        for init in &graph.initializer {
            let c = decode_tensor(init).map_err(|m| load_err(format!("{}: {m}", init.name)))?;
            raw.insert(init.name.clone(), c);
        }
        let mut nodes = Vec::new();
        for node in &graph.node {
            let label = format!(
                "{} -> {}",
                node.op_type,
                node.output.first().map(String::as_str).unwrap_or("?")
            );
            if node.op_type == "Constant" {
                let c = constant_node(&node.attribute)
                    .map_err(|m| load_err(format!("{label}: {m}")))?;
                let name = node
                    .output
                    .first()
                    .ok_or_else(|| load_err(format!("{label}: no output")))?;
                raw.insert(name.clone(), c);
                continue;
            }
            if !node.domain.is_empty() && node.domain != "ai.onnx" {
                return Err(load_err(format!(
                    "{label}: operator domain {:?} is not supported",
                    node.domain
                )));
            }
            let mut attributes = BTreeMap::new();
            for a in &node.attribute {
                let value = attribute(a).map_err(|m| load_err(format!("{label}: {m}")))?;
                attributes.insert(a.name.clone(), value);
            }
            nodes.push(NodeSpec {
                op: node.op_type.clone(),
                inputs: node.input.clone(),
                outputs: node.output.clone(),
                attributes,
            });
        }
        let trainable = trainable_constants(&nodes, &raw);
        let mut constants = BTreeMap::new();
        let mut weights = BTreeMap::new();
        for (name, c) in raw {
            let value = match c.values {
                Values::Ints(v) => ConstantValue::Ints(v),
                Values::Floats(v) if trainable.contains(&name) => {
                    weights.insert(name.clone(), v);
                    ConstantValue::Weight
                }
                Values::Floats(v) => ConstantValue::Floats(v),
            };
            constants.insert(
                name,
                ConstantSpec {
                    shape: c.shape,
                    value,
                },
            );
        }
        let inputs = graph
            .input
            .iter()
            .map(|i| i.name.clone())
            .filter(|n| !constants.contains_key(n))
            .collect();
        let outputs = graph.output.iter().map(|o| o.name.clone()).collect();
        let opset = model
            .opset_import
            .iter()
            .find(|o| o.domain.is_empty() || o.domain == "ai.onnx")
            .map(|o| o.version)
            .ok_or_else(|| load_err("no standard operator set is imported".into()))?;
        Ok(OnnxGraph {
            spec: GraphSpec {
                opset,
                inputs,
                outputs,
                nodes,
                constants,
            },
            weights,
        })
    }
}

/// The float constants that become trainable weights: not scalars, consumed only where
/// [`takes_weight`] says, and not the offset of a hard-swish or hard-sigmoid (an `Add`
/// whose result is clipped).
fn trainable_constants(
    nodes: &[NodeSpec],
    raw: &BTreeMap<String, RawConstant>,
) -> BTreeSet<String> {
    let clipped: BTreeSet<&str> = nodes
        .iter()
        .filter(|n| n.op == "Clip")
        .filter_map(|n| n.inputs.first().map(String::as_str))
        .collect();
    let mut candidates: BTreeSet<String> = raw
        .iter()
        .filter(|(_, c)| matches!(c.values, Values::Floats(_)) && !c.shape.is_empty())
        .map(|(name, _)| name.clone())
        .collect();
    let mut used = BTreeSet::new();
    for node in nodes {
        let offset = node.op == "Add" && node.outputs.iter().any(|o| clipped.contains(o.as_str()));
        for (position, input) in node.inputs.iter().enumerate() {
            if candidates.contains(input) {
                used.insert(input.clone());
                if offset || !takes_weight(&node.op, position) {
                    candidates.remove(input);
                }
            }
        }
    }
    candidates.retain(|c| used.contains(c));
    candidates
}

/// A decoded constant.
struct RawConstant {
    shape: Vec<usize>,
    values: Values,
}

/// A constant's values.
enum Values {
    Ints(Vec<i64>),
    Floats(Vec<f32>),
}

/// The value of a `Constant` node (`value`, `value_float(s)` or `value_int(s)`).
fn constant_node(attributes: &[AttributeProto]) -> Result<RawConstant, String> {
    let a = attributes
        .first()
        .ok_or_else(|| "a Constant without a value".to_string())?;
    match a.name.as_str() {
        "value" => decode_tensor(a.t.as_ref().ok_or("value without a tensor")?),
        "value_float" => Ok(RawConstant {
            shape: vec![],
            values: Values::Floats(vec![a.f]),
        }),
        "value_floats" => Ok(RawConstant {
            shape: vec![a.floats.len()],
            values: Values::Floats(a.floats.clone()),
        }),
        "value_int" => Ok(RawConstant {
            shape: vec![],
            values: Values::Ints(vec![a.i]),
        }),
        "value_ints" => Ok(RawConstant {
            shape: vec![a.ints.len()],
            values: Values::Ints(a.ints.clone()),
        }),
        other => Err(format!("Constant attribute {other:?} is not supported")),
    }
}

/// Decodes a tensor of floats, doubles, 32- or 64-bit integers.
fn decode_tensor(t: &TensorProto) -> Result<RawConstant, String> {
    let shape = t
        .dims
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| format!("negative dimension {d}")))
        .collect::<Result<Vec<_>, _>>()?;
    let len: usize = shape.iter().product();
    let raw = &t.raw_data;
    let values = match t.data_type {
        FLOAT if !raw.is_empty() => Values::Floats(chunks(raw, |b: [u8; 4]| f32::from_le_bytes(b))),
        FLOAT => Values::Floats(t.float_data.clone()),
        DOUBLE if !raw.is_empty() => {
            Values::Floats(chunks(raw, |b: [u8; 8]| f64::from_le_bytes(b) as f32))
        }
        DOUBLE => Values::Floats(t.double_data.iter().map(|&v| v as f32).collect()),
        INT64 if !raw.is_empty() => Values::Ints(chunks(raw, i64::from_le_bytes)),
        INT64 => Values::Ints(t.int64_data.clone()),
        INT32 if !raw.is_empty() => {
            Values::Ints(chunks(raw, |b: [u8; 4]| i64::from(i32::from_le_bytes(b))))
        }
        INT32 => Values::Ints(t.int32_data.iter().map(|&v| i64::from(v)).collect()),
        other => return Err(format!("tensor element type {other} is not supported")),
    };
    let got = match &values {
        Values::Ints(v) => v.len(),
        Values::Floats(v) => v.len(),
    };
    if got != len {
        return Err(format!("{got} values for shape {shape:?}"));
    }
    Ok(RawConstant { shape, values })
}

/// Little-endian values of `N` bytes each.
fn chunks<const N: usize, T>(raw: &[u8], f: impl Fn([u8; N]) -> T) -> Vec<T> {
    raw.chunks_exact(N)
        .map(|c| f(c.try_into().expect("chunks_exact gives N bytes")))
        .collect()
}

/// An attribute of a kind [`Attribute`] holds.
fn attribute(a: &AttributeProto) -> Result<Attribute, String> {
    let kind = AttributeType::try_from(a.r#type).unwrap_or(AttributeType::Undefined);
    Ok(match kind {
        AttributeType::Int => Attribute::Int(a.i),
        AttributeType::Float => Attribute::Float(a.f),
        AttributeType::Ints => Attribute::Ints(a.ints.clone()),
        AttributeType::Floats => Attribute::Floats(a.floats.clone()),
        AttributeType::String => Attribute::Text(
            String::from_utf8(a.s.clone())
                .map_err(|_| format!("attribute {} is not UTF-8", a.name))?,
        ),
        _ => {
            return Err(format!(
                "attribute {} of type {kind:?} is not supported",
                a.name
            ));
        }
    })
}
