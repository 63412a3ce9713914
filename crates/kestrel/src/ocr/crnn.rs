//! Kestrel's own word recogniser, for training from scratch: a small CRNN written as a
//! [`GraphSpec`], so it runs, trains and is stored exactly as an imported recogniser is.
//!
//! Seven 3x3 convolutions (batch norm, ReLU) take the crop to a quarter of its width and
//! an eighth of its height, the rows are averaged (any crop height works), two 1x3
//! convolutions along the word give each position its neighbours' context, and a 1x1
//! convolution scores the classes (CTC blank first) at each of the `width / 4` positions.

use kestrel_onnx::graph::{Attribute, ConstantSpec, ConstantValue, GraphSpec, NodeSpec};
use std::collections::BTreeMap;

/// The recogniser's input value: `[batch, 3, height, width]` in `[-1, 1]`.
pub(crate) const INPUT: &str = "image";

/// The recogniser's output value: `[batch, width / 4, classes]` logits.
pub(crate) const OUTPUT: &str = "logits";

/// The convolution stages over the image: output channels and stride (rows, columns).
const IMAGE_STAGES: [(usize, [i64; 2]); 7] = [
    (16, [1, 1]),
    (32, [2, 2]),
    (32, [1, 1]),
    (64, [2, 2]),
    (64, [1, 1]),
    (128, [2, 1]),
    (128, [1, 1]),
];

/// Channels of the two sequence convolutions.
const SEQUENCE_CHANNELS: usize = 128;

/// The alphabet of a new recogniser: digits, ASCII letters, then every other character
/// of `words` in code-point order.
pub(crate) fn alphabet_for(words: &[&str]) -> Vec<String> {
    let mut chars: Vec<char> = ('0'..='9').chain('A'..='Z').chain('a'..='z').collect();
    let mut others: Vec<char> = words
        .iter()
        .flat_map(|w| w.chars())
        .filter(|c| !c.is_ascii_alphanumeric())
        .collect();
    others.sort_unstable();
    others.dedup();
    chars.extend(others);
    chars.into_iter().map(String::from).collect()
}

/// A CRNN recogniser for `num_classes` classes (the alphabet plus CTC's blank), with
/// [`OUTPUT`] as its logits; its weights are all trainable (see
/// [`kestrel_nn::graph::fresh_weights`] for their starting values).
pub(crate) fn crnn_spec(num_classes: usize) -> GraphSpec {
    let mut graph = Builder::default();
    let mut x = INPUT.to_string();
    let mut channels = 3;
    for (out, stride) in IMAGE_STAGES {
        x = graph.conv_bn_relu(&x, channels, out, [3, 3], stride);
        channels = out;
    }
    x = graph.node(
        "ReduceMean",
        &[&x],
        [
            ("axes".into(), Attribute::Ints(vec![2])),
            ("keepdims".into(), Attribute::Int(1)),
        ],
    );
    for _ in 0..2 {
        x = graph.conv_bn_relu(&x, channels, SEQUENCE_CHANNELS, [1, 3], [1, 1]);
        channels = SEQUENCE_CHANNELS;
    }
    x = graph.conv(&x, channels, num_classes, [1, 1], [1, 1], true);
    x = graph.node(
        "ReduceMean",
        &[&x],
        [
            ("axes".into(), Attribute::Ints(vec![2])),
            ("keepdims".into(), Attribute::Int(0)),
        ],
    );
    let last = graph.node(
        "Transpose",
        &[&x],
        [("perm".into(), Attribute::Ints(vec![0, 2, 1]))],
    );
    graph.rename_output(&last, OUTPUT);
    GraphSpec {
        opset: 13,
        inputs: vec![INPUT.into()],
        outputs: vec![OUTPUT.into()],
        nodes: graph.nodes,
        constants: graph.constants,
    }
}

/// Collects nodes and weights with generated names.
#[derive(Default)]
struct Builder {
    nodes: Vec<NodeSpec>,
    constants: BTreeMap<String, ConstantSpec>,
}

impl Builder {
    /// Adds `op` on `inputs` and returns its output's name.
    fn node<const N: usize>(
        &mut self,
        op: &str,
        inputs: &[&str],
        attributes: [(String, Attribute); N],
    ) -> String {
        let output = format!("{}_{}", op.to_lowercase(), self.nodes.len());
        self.nodes.push(NodeSpec {
            op: op.into(),
            inputs: inputs.iter().map(|s| s.to_string()).collect(),
            outputs: vec![output.clone()],
            attributes: attributes.into_iter().collect(),
        });
        output
    }

    /// A new trainable weight of `shape`, named after the node that will read it.
    fn weight(&mut self, role: &str, shape: &[usize]) -> String {
        let name = format!("{role}_{}", self.nodes.len());
        self.constants.insert(
            name.clone(),
            ConstantSpec {
                shape: shape.to_vec(),
                value: ConstantValue::Weight,
            },
        );
        name
    }

    /// A convolution with "same" padding (odd kernels).
    fn conv(
        &mut self,
        x: &str,
        from: usize,
        to: usize,
        kernel: [usize; 2],
        stride: [i64; 2],
        bias: bool,
    ) -> String {
        let w = self.weight("conv_weight", &[to, from, kernel[0], kernel[1]]);
        let mut inputs = vec![x.to_string(), w];
        if bias {
            inputs.push(self.weight("conv_bias", &[to]));
        }
        let (ph, pw) = ((kernel[0] / 2) as i64, (kernel[1] / 2) as i64);
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        self.node(
            "Conv",
            &inputs,
            [
                (
                    "kernel_shape".into(),
                    Attribute::Ints(kernel.iter().map(|&k| k as i64).collect()),
                ),
                ("strides".into(), Attribute::Ints(stride.to_vec())),
                ("pads".into(), Attribute::Ints(vec![ph, pw, ph, pw])),
            ],
        )
    }

    /// Convolution (no bias), batch norm, ReLU.
    fn conv_bn_relu(
        &mut self,
        x: &str,
        from: usize,
        to: usize,
        kernel: [usize; 2],
        stride: [i64; 2],
    ) -> String {
        let y = self.conv(x, from, to, kernel, stride, false);
        let names: Vec<String> = ["bn_scale", "bn_bias", "bn_mean", "bn_var"]
            .iter()
            .map(|role| self.weight(role, &[to]))
            .collect();
        let y = self.node(
            "BatchNormalization",
            &[&y, &names[0], &names[1], &names[2], &names[3]],
            [("epsilon".into(), Attribute::Float(1e-5))],
        );
        self.node("Relu", &[&y], [])
    }

    /// Renames the value `from` (the last node's output) to `to`.
    fn rename_output(&mut self, from: &str, to: &str) {
        let last = self.nodes.last_mut().expect("the graph has nodes");
        debug_assert_eq!(last.outputs[0], from);
        last.outputs[0] = to.into();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, Tensor};
    use kestrel_nn::GraphNet;
    use kestrel_nn::graph::fresh_weights;

    #[test]
    fn alphabet_has_letters_digits_and_the_words_other_characters() {
        let alphabet = alphabet_for(&["Hi-Fi", "a b", "é"]);
        assert_eq!(alphabet.len(), 62 + 3);
        assert_eq!(&alphabet[62..], [" ", "-", "é"]);
    }

    #[test]
    fn reads_any_crop_size_into_a_quarter_of_its_width() {
        let spec = crnn_spec(11);
        let device = Device::default();
        let weights = fresh_weights(&spec, &device);
        let net = GraphNet::new(spec, Some(&weights), &device).expect("the spec builds");
        for (h, w) in [(32usize, 128usize), (48, 100)] {
            let x = Tensor::<4>::zeros([2, 3, h, w], &device);
            let out = net.forward_named(vec![x], &[OUTPUT]).expect("it runs");
            assert_eq!(out[0].dims(), &[2, w.div_ceil(4), 11]);
        }
    }
}
