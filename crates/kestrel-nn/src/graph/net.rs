//! [`GraphNet`]: an ONNX graph rebuilt as a burn module, its weights trainable.

use super::error::GraphError;
use super::layers::{self, WeightData};
use super::ops::SUPPORTED;
use burn::module::{Module, Param};
use burn::nn::BatchNorm;
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::tensor::{Device, Tensor, TensorData};
use kestrel_onnx::graph::{ConstantValue, GraphSpec, NodeSpec};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// An ONNX graph as a burn network: convolutions, transposed convolutions and batch norms
/// become burn layers (so they run on Kestrel's kernels and train), every other trainable
/// weight (matrix weights, per-channel scales and offsets) a parameter, and the remaining
/// operators run as burn tensor operations in the graph's order. Its tensors are named
/// `convs.<i>.weight`, `deconvs.<i>.weight`, `norms.<i>.gamma`, `weights.<i>` in graph
/// order, so the same spec always gives the same names.
#[derive(Module, Debug)]
pub struct GraphNet {
    /// The convolutions, in graph order.
    pub convs: Vec<Conv2d>,
    /// The transposed convolutions, in graph order.
    pub deconvs: Vec<ConvTranspose2d>,
    /// The batch norms, in graph order.
    pub norms: Vec<BatchNorm>,
    /// The other trainable weights, flattened, in the order of their names.
    pub weights: Vec<Param<Tensor<1>>>,
    /// What to run.
    #[module(skip)]
    pub(crate) plan: Arc<Plan>,
}

/// The compiled graph: numbered values, steps, and where each value comes from.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The spec the network was built from.
    pub spec: GraphSpec,
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Value ids by name.
    pub ids: HashMap<String, usize>,
    /// The graph's inputs.
    pub inputs: Vec<usize>,
    /// Constants kept in the spec, by value id.
    pub constants: Vec<(usize, Vec<usize>, ConstantValue)>,
    /// For each entry of [`GraphNet::weights`]: its value id and dimensions.
    pub weight_slots: Vec<(usize, Vec<usize>)>,
    /// The last step that reads each value (values are dropped after it).
    pub last_use: Vec<usize>,
}

/// What runs a step.
#[derive(Debug, Clone, Copy)]
pub(crate) enum StepKind {
    /// `GraphNet::convs[i]`.
    Conv(usize),
    /// `GraphNet::deconvs[i]`.
    Deconv(usize),
    /// `GraphNet::norms[i]`.
    Norm(usize),
    /// A tensor operation.
    Op,
}

/// One node, with its inputs and outputs as value ids.
#[derive(Debug)]
pub(crate) struct Step {
    /// The node.
    pub node: NodeSpec,
    /// How it runs.
    pub kind: StepKind,
    /// Input value ids (`None` for an omitted optional input).
    pub inputs: Vec<Option<usize>>,
    /// Output value ids.
    pub outputs: Vec<usize>,
}

impl GraphNet {
    /// Builds the network of `spec` on `device`. `weights` gives every
    /// [`ConstantValue::Weight`] its values (as [`kestrel_onnx::OnnxGraph::read`] returns
    /// them); without it the weights are zeros (variances ones), to be filled from a
    /// model file. Fails on operators this interpreter lacks and on missing or misshaped
    /// weights, naming them.
    pub fn new(
        spec: GraphSpec,
        weights: Option<&BTreeMap<String, Vec<f32>>>,
        device: &Device,
    ) -> Result<Self, GraphError> {
        let weight_data = |name: &str, role: Role| -> Result<WeightData, GraphError> {
            let c = spec.constants.get(name).ok_or_else(|| GraphError::Weight {
                name: name.into(),
                message: "not a constant of the graph".into(),
            })?;
            if c.value != ConstantValue::Weight {
                return Err(GraphError::Weight {
                    name: name.into(),
                    message: "a constant where a trainable weight was expected".into(),
                });
            }
            let len: usize = c.shape.iter().product();
            let values = match weights {
                Some(w) => w.get(name).cloned().ok_or_else(|| GraphError::Weight {
                    name: name.into(),
                    message: "no value given".into(),
                })?,
                None => vec![if role == Role::Variance { 1.0 } else { 0.0 }; len],
            };
            if values.len() != len {
                return Err(GraphError::Weight {
                    name: name.into(),
                    message: format!("{} values for shape {:?}", values.len(), c.shape),
                });
            }
            Ok(WeightData {
                values,
                shape: c.shape.clone(),
            })
        };
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut id_of = |name: &str| -> usize {
            let next = ids.len();
            *ids.entry(name.to_string()).or_insert(next)
        };
        let inputs: Vec<usize> = spec.inputs.iter().map(|n| id_of(n)).collect();
        let mut held: HashMap<&str, &str> = HashMap::new();
        let (mut convs, mut deconvs, mut norms) = (Vec::new(), Vec::new(), Vec::new());
        let mut steps = Vec::new();
        for node in &spec.nodes {
            if !SUPPORTED.contains(&node.op.as_str()) {
                return Err(layers::unsupported(node, &format!("operator {}", node.op)));
            }
            let input = |i: usize| {
                node.inputs
                    .get(i)
                    .map(String::as_str)
                    .filter(|n| !n.is_empty())
            };
            let is_weight = |i: usize| {
                input(i).is_some_and(|n| {
                    spec.constants
                        .get(n)
                        .is_some_and(|c| c.value == ConstantValue::Weight)
                })
            };
            let mut hold = |name: &str| -> Result<(), GraphError> {
                match held.insert(name_static(&spec, name), node.op.as_str()) {
                    None => Ok(()),
                    Some(_) => Err(layers::unsupported(
                        node,
                        &format!("weight {name} shared by several layers"),
                    )),
                }
            };
            let kind = match node.op.as_str() {
                "Conv" | "ConvTranspose"
                    if is_weight(1) && (input(2).is_none() || is_weight(2)) =>
                {
                    let w = input(1).expect("checked above");
                    hold(w)?;
                    let weight = weight_data(w, Role::Other)?;
                    let bias = match input(2) {
                        Some(b) => {
                            hold(b)?;
                            Some(weight_data(b, Role::Other)?)
                        }
                        None => None,
                    };
                    if node.op == "Conv" {
                        convs.push(layers::conv(node, &weight, bias.as_ref(), device)?);
                        StepKind::Conv(convs.len() - 1)
                    } else {
                        deconvs.push(layers::conv_transpose(
                            node,
                            &weight,
                            bias.as_ref(),
                            device,
                        )?);
                        StepKind::Deconv(deconvs.len() - 1)
                    }
                }
                "BatchNormalization" if (1..5).all(is_weight) => {
                    let mut data = Vec::new();
                    for i in 1..5 {
                        let name = input(i).expect("checked above");
                        hold(name)?;
                        let role = if i == 4 { Role::Variance } else { Role::Other };
                        data.push(weight_data(name, role)?);
                    }
                    let refs: [&WeightData; 4] = [&data[0], &data[1], &data[2], &data[3]];
                    norms.push(layers::batch_norm(node, refs, device)?);
                    StepKind::Norm(norms.len() - 1)
                }
                "Conv" | "ConvTranspose" | "BatchNormalization" => {
                    return Err(layers::unsupported(node, "weights computed in the graph"));
                }
                _ => StepKind::Op,
            };
            let step_inputs = match kind {
                StepKind::Op => node
                    .inputs
                    .iter()
                    .map(|n| (!n.is_empty()).then(|| id_of(n)))
                    .collect(),
                _ => vec![input(0).map(&mut id_of)],
            };
            let outputs = node.outputs.iter().map(|n| id_of(n)).collect();
            steps.push(Step {
                node: node.clone(),
                kind,
                inputs: step_inputs,
                outputs,
            });
        }
        // Every other weight read by a tensor operation is a parameter of its own.
        let mut weight_slots = Vec::new();
        let mut params = Vec::new();
        let mut constants = Vec::new();
        for (name, c) in &spec.constants {
            let Some(&id) = ids.get(name) else { continue };
            if c.value == ConstantValue::Weight {
                if held.contains_key(name.as_str()) {
                    continue;
                }
                let data = weight_data(name, Role::Other)?;
                let len = data.values.len();
                params.push(Param::from_tensor(Tensor::<1>::from_data(
                    TensorData::new(data.values, [len]),
                    device,
                )));
                weight_slots.push((id, c.shape.clone()));
            } else {
                constants.push((id, c.shape.clone(), c.value.clone()));
            }
        }
        let mut last_use = vec![0; ids.len()];
        for (s, step) in steps.iter().enumerate() {
            for id in step.inputs.iter().flatten() {
                last_use[*id] = s;
            }
        }
        for output in &spec.outputs {
            let id = *ids.get(output).ok_or_else(|| {
                GraphError::Call(format!("graph output {output} is never computed"))
            })?;
            last_use[id] = usize::MAX;
        }
        let plan = Plan {
            spec: spec.clone(),
            steps,
            ids,
            inputs,
            constants,
            weight_slots,
            last_use,
        };
        Ok(GraphNet {
            convs,
            deconvs,
            norms,
            weights: params,
            plan: Arc::new(plan),
        })
    }

    /// The spec the network was built from.
    pub fn spec(&self) -> &GraphSpec {
        &self.plan.spec
    }
}

/// What a weight is for, to choose the neutral value of a weight without data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A batch norm's running variance (neutral value 1).
    Variance,
    /// Anything else (neutral value 0).
    Other,
}

/// `name` as borrowed from the spec's constant table (so the holder map can keep it).
fn name_static<'a>(spec: &'a GraphSpec, name: &str) -> &'a str {
    spec.constants
        .get_key_value(name)
        .map(|(k, _)| k.as_str())
        .expect("callers pass names of constants")
}
