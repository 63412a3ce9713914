//! A small builder for ONNX graphs (nodes, initialisers, inputs and outputs).

use tract_onnx::pb::{
    AttributeProto, NodeProto, TensorProto, TensorShapeProto, TypeProto, ValueInfoProto,
    attribute_proto::AttributeType, tensor_proto::DataType, tensor_shape_proto, type_proto,
};

/// Nodes and weights of a graph under construction, with unique value names.
#[derive(Default)]
pub struct GraphBuilder {
    /// The nodes, in topological order.
    pub nodes: Vec<NodeProto>,
    /// The constant tensors.
    pub initializers: Vec<TensorProto>,
    counter: usize,
}

impl GraphBuilder {
    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}_{}", self.counter)
    }

    /// Adds a float constant and returns its name.
    pub fn constant(&mut self, prefix: &str, dims: &[usize], values: Vec<f32>) -> String {
        let name = self.fresh(prefix);
        self.initializers.push(TensorProto {
            name: name.clone(),
            dims: dims.iter().map(|&d| d as i64).collect(),
            data_type: DataType::Float as i32,
            raw_data: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
            ..Default::default()
        });
        name
    }

    /// Adds a node and returns its (single) output's name.
    pub fn node(&mut self, op: &str, inputs: &[String], attributes: Vec<AttributeProto>) -> String {
        let output = self.fresh(&op.to_ascii_lowercase());
        self.named_node(op, inputs, attributes, output)
    }

    /// Adds a node whose output has the given name.
    pub fn named_node(
        &mut self,
        op: &str,
        inputs: &[String],
        attributes: Vec<AttributeProto>,
        output: String,
    ) -> String {
        self.nodes.push(NodeProto {
            name: output.clone(),
            op_type: op.into(),
            input: inputs.to_vec(),
            output: vec![output.clone()],
            attribute: attributes,
            ..Default::default()
        });
        output
    }
}

/// An integer-list attribute.
pub fn ints(name: &str, values: &[usize]) -> AttributeProto {
    AttributeProto {
        name: name.into(),
        r#type: AttributeType::Ints as i32,
        ints: values.iter().map(|&v| v as i64).collect(),
        ..Default::default()
    }
}

/// An integer attribute.
pub fn int(name: &str, value: i64) -> AttributeProto {
    AttributeProto {
        name: name.into(),
        r#type: AttributeType::Int as i32,
        i: value,
        ..Default::default()
    }
}

/// A float tensor value description; `None` dimensions are symbolic (`batch`).
pub fn tensor_value(name: &str, dims: &[Option<usize>]) -> ValueInfoProto {
    let dim = dims
        .iter()
        .map(|d| tensor_shape_proto::Dimension {
            value: Some(match d {
                Some(n) => tensor_shape_proto::dimension::Value::DimValue(*n as i64),
                None => tensor_shape_proto::dimension::Value::DimParam("batch".into()),
            }),
            ..Default::default()
        })
        .collect();
    ValueInfoProto {
        name: name.into(),
        r#type: Some(TypeProto {
            value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                elem_type: DataType::Float as i32,
                shape: Some(TensorShapeProto { dim }),
            })),
            ..Default::default()
        }),
        ..Default::default()
    }
}
