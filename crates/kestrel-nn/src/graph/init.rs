//! Fresh weights for a graph, so a [`GraphNet`](super::GraphNet) can be trained from
//! scratch rather than only fine-tuned from an ONNX file's weights.

use burn::tensor::{Device, Distribution, Tensor};
use kestrel_onnx::graph::{ConstantValue, GraphSpec};
use std::collections::BTreeMap;

/// Starting values for every trainable weight of `spec`, chosen by the node that reads
/// it: convolution and matrix weights uniform in He's range (`±sqrt(6 / fan_in)`), batch
/// norm scales and running variances 1, `Mul` factors 1, everything else (biases, offsets,
/// running means) 0. Random values come from burn's generator on `device`, so a seeded
/// device gives the same weights each time.
pub fn fresh_weights(spec: &GraphSpec, device: &Device) -> BTreeMap<String, Vec<f32>> {
    let mut start: BTreeMap<&str, Start> = BTreeMap::new();
    for node in &spec.nodes {
        for (i, name) in node.inputs.iter().enumerate() {
            let role = match (node.op.as_str(), i) {
                ("Conv" | "ConvTranspose" | "MatMul", 1) => Start::He,
                ("BatchNormalization", 1 | 4) | ("Mul", _) => Start::One,
                _ => Start::Zero,
            };
            start.entry(name.as_str()).or_insert(role);
        }
    }
    let mut weights = BTreeMap::new();
    for (name, constant) in &spec.constants {
        if constant.value != ConstantValue::Weight {
            continue;
        }
        let len: usize = constant.shape.iter().product();
        let values = match start.get(name.as_str()).copied().unwrap_or(Start::Zero) {
            Start::Zero => vec![0.0; len],
            Start::One => vec![1.0; len],
            Start::He => {
                // Conv weights are [out, in, kh, kw]; MatMul weights [in, out].
                let fan_in = match constant.shape.len() {
                    2 => constant.shape[0],
                    _ => constant.shape.iter().skip(1).product(),
                }
                .max(1);
                let bound = (6.0 / fan_in as f64).sqrt();
                Tensor::<1>::random([len], Distribution::Uniform(-bound, bound), device)
                    .into_data()
                    .convert::<f32>()
                    .try_into_vec::<f32>()
                    .expect("a float tensor holds floats")
            }
        };
        weights.insert(name.clone(), values);
    }
    weights
}

/// How a weight starts.
#[derive(Clone, Copy)]
enum Start {
    /// All zeros.
    Zero,
    /// All ones.
    One,
    /// Uniform in `±sqrt(6 / fan_in)`.
    He,
}

#[cfg(test)]
mod tests {
    use super::*;
    use kestrel_onnx::graph::{ConstantSpec, NodeSpec};

    fn weight(shape: &[usize]) -> ConstantSpec {
        ConstantSpec {
            shape: shape.to_vec(),
            value: ConstantValue::Weight,
        }
    }

    #[test]
    fn each_weight_starts_as_its_node_needs() {
        let node = |op: &str, inputs: &[&str]| NodeSpec {
            op: op.into(),
            inputs: inputs.iter().map(|s| s.to_string()).collect(),
            outputs: vec![format!("{op}_out")],
            attributes: BTreeMap::new(),
        };
        let spec = GraphSpec {
            opset: 13,
            inputs: vec!["x".into()],
            outputs: vec!["BatchNormalization_out".into()],
            nodes: vec![
                node("Conv", &["x", "w", "b"]),
                node("BatchNormalization", &["Conv_out", "g", "beta", "m", "v"]),
            ],
            constants: [
                ("w", weight(&[8, 3, 3, 3])),
                ("b", weight(&[8])),
                ("g", weight(&[8])),
                ("beta", weight(&[8])),
                ("m", weight(&[8])),
                ("v", weight(&[8])),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
        };
        let w = fresh_weights(&spec, &Device::default());
        let bound = (6.0f32 / 27.0).sqrt();
        assert!(w["w"].iter().all(|v| v.abs() <= bound));
        let spread = w["w"].iter().fold(0.0f32, |m, v| m.max(v.abs()));
        assert!(
            spread > bound / 2.0,
            "weights spread over the range: {spread}"
        );
        assert!(
            w["b"]
                .iter()
                .chain(&w["beta"])
                .chain(&w["m"])
                .all(|&v| v == 0.0)
        );
        assert!(w["g"].iter().chain(&w["v"]).all(|&v| v == 1.0));
    }
}
