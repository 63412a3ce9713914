//! Running a [`GraphNet`]: its inputs through every step, to the values asked for.

use super::error::GraphError;
use super::net::{GraphNet, StepKind};
use super::ops;
use super::value::{Dense, MAX_RANK, Value};
use crate::fast;
use burn::tensor::{Device, Tensor};
use kestrel_onnx::graph::ConstantValue;

/// A float tensor a [`GraphNet`] computed, with its logical dimensions.
#[derive(Debug, Clone)]
pub struct GraphOutput {
    tensor: Tensor<MAX_RANK>,
    dims: Vec<usize>,
}

impl GraphOutput {
    /// The logical dimensions.
    pub fn dims(&self) -> &[usize] {
        &self.dims
    }

    /// The tensor with its logical rank `D`; `None` when the rank differs.
    pub fn into_rank<const D: usize>(self) -> Option<Tensor<D>> {
        let dims: [usize; D] = self.dims.try_into().ok()?;
        Some(self.tensor.reshape(dims))
    }
}

impl GraphNet {
    /// Runs the graph on `inputs` (one 4D tensor per graph input, in order) and returns
    /// the values named `outputs` (any value of the graph, not only its outputs: e.g. the
    /// logits before a final softmax, for training).
    pub fn forward_named(
        &self,
        inputs: Vec<Tensor<4>>,
        outputs: &[&str],
    ) -> Result<Vec<GraphOutput>, GraphError> {
        let plan = &*self.plan;
        if inputs.len() != plan.inputs.len() {
            return Err(GraphError::Call(format!(
                "the graph takes {} inputs, {} given",
                plan.inputs.len(),
                inputs.len()
            )));
        }
        let wanted = outputs
            .iter()
            .map(|name| {
                plan.ids
                    .get(*name)
                    .copied()
                    .ok_or_else(|| GraphError::Call(format!("the graph has no value {name}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let device = inputs[0].device();
        let mut values: Vec<Option<Value>> = vec![None; plan.ids.len()];
        for (&id, x) in plan.inputs.iter().zip(inputs) {
            values[id] = Some(Value::Dense(Dense::from4(x)));
        }
        self.place_constants(&mut values, &device);
        for (s, step) in plan.steps.iter().enumerate() {
            let take = |values: &mut Vec<Option<Value>>, id: usize| -> Option<Value> {
                if plan.last_use[id] == s && !wanted.contains(&id) {
                    values[id].take()
                } else {
                    values[id].clone()
                }
            };
            let inputs: Vec<Option<Value>> = step
                .inputs
                .iter()
                .map(|i| i.and_then(|id| take(&mut values, id)))
                .collect();
            let result =
                match step.kind {
                    StepKind::Op => ops::eval(&step.node, inputs, plan.spec.opset)?,
                    kind => {
                        let x = inputs.into_iter().next().flatten().ok_or_else(|| {
                            GraphError::Invalid {
                                node: step.node.label(),
                                message: "missing input".into(),
                            }
                        })?;
                        let x = ops::dense(&step.node, x)?;
                        let x4 = x.to4().filter(|_| x.rank == 4).ok_or_else(|| {
                            GraphError::Unsupported {
                                node: step.node.label(),
                                what: format!("a rank-{} input", x.rank),
                            }
                        })?;
                        let y = match kind {
                            StepKind::Conv(i) => fast::conv2d(&self.convs[i], x4),
                            StepKind::Deconv(i) => self.deconvs[i].forward(x4),
                            StepKind::Norm(i) => fast::batch_norm_activation(
                                &self.norms[i],
                                fast::Activation::Identity,
                                x4,
                            ),
                            StepKind::Op => unreachable!("handled above"),
                        };
                        Value::Dense(Dense::from4(y))
                    }
                };
            if let Some(&id) = step.outputs.first() {
                values[id] = Some(result);
            }
        }
        wanted
            .iter()
            .zip(outputs)
            .map(|(&id, name)| match values[id].take() {
                Some(Value::Dense(d)) => Ok(GraphOutput {
                    dims: d.dims(),
                    tensor: d.tensor,
                }),
                _ => Err(GraphError::Call(format!(
                    "{name} is not a float tensor the graph computes"
                ))),
            })
            .collect()
    }

    /// Puts the constants and weights into `values`.
    fn place_constants(&self, values: &mut [Option<Value>], device: &Device) {
        let plan = &*self.plan;
        for (id, shape, value) in &plan.constants {
            values[*id] = Some(match value {
                ConstantValue::Ints(v) => Value::Ints {
                    shape: shape.clone(),
                    values: v.clone(),
                },
                ConstantValue::Floats(v) if v.len() == 1 => Value::Scalar(v[0], shape.len()),
                ConstantValue::Floats(v) => {
                    Value::Dense(Dense::from_values(v.clone(), shape, device))
                }
                ConstantValue::Weight => continue,
            });
        }
        for ((id, shape), param) in plan.weight_slots.iter().zip(&self.weights) {
            let t = param.val();
            let n = t.dims()[0];
            values[*id] = Some(Value::Dense(Dense::reshaped(
                t.reshape([1, 1, 1, 1, 1, n]),
                shape,
            )));
        }
    }
}
