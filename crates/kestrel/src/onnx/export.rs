//! Export of a Kestrel classifier to ONNX (opset 13): each convolution with its batch norm
//! folded in, ReLU/ReLU6 as `Relu`/`Clip`, residual `Add`s, global average pooling and a
//! `Gemm` head. Input `input` `[batch, C, H, W]` (normalised as the metadata says), output
//! `logits` `[batch, classes]`. The model's parameters go into the metadata as JSON
//! (`kestrel_params`), with the preprocessing spelled out for other tools.

use super::PARAMS_KEY;
use super::graph::{GraphBuilder, int, ints, tensor_value};
use crate::error::{Error, Result};
use crate::model::Model;
use crate::model_file::write_atomic;
use burn::nn::PaddingConfig2d;
use burn::nn::pool::MaxPool2d;
use burn::tensor::Tensor;
use kestrel_nn::backbone::{Backbone, InvertedResidual, ResNetBlock};
use kestrel_nn::conv_bn::{Activation, ConvBn};
use prost::Message;
use std::path::Path;
use tract_onnx::pb::{GraphProto, ModelProto, OperatorSetIdProto, StringStringEntryProto};

fn values<const D: usize>(t: Tensor<D>) -> Vec<f32> {
    t.into_data()
        .convert::<f32>()
        .try_into_vec::<f32>()
        .expect("f32 data")
}

fn pads(padding: &PaddingConfig2d) -> Vec<usize> {
    match padding {
        PaddingConfig2d::Explicit(top, left, bottom, right) => vec![*top, *left, *bottom, *right],
        _ => vec![0; 4],
    }
}

impl GraphBuilder {
    /// A convolution with its batch norm folded in, then the activation.
    fn conv_bn(&mut self, x: String, layer: &ConvBn) -> String {
        let conv = &layer.conv;
        let bn = &layer.bn;
        let weight = conv.weight.val();
        let dims = weight.dims();
        let mut w = values(weight);
        let gamma = values(bn.gamma.val());
        let beta = values(bn.beta.val());
        let mean = values(bn.running_mean.value());
        let var = values(bn.running_var.value());
        let conv_bias = conv.bias.as_ref().map(|b| values(b.val()));
        let per_out = w.len() / dims[0];
        let mut bias = vec![0.0; dims[0]];
        for o in 0..dims[0] {
            let scale = gamma[o] / (var[o] + bn.epsilon as f32).sqrt();
            w[o * per_out..(o + 1) * per_out]
                .iter_mut()
                .for_each(|v| *v *= scale);
            let b0 = conv_bias.as_ref().map_or(0.0, |b| b[o]);
            bias[o] = beta[o] + (b0 - mean[o]) * scale;
        }
        let w = self.constant("conv_w", &dims, w);
        let b = self.constant("conv_b", &[dims[0]], bias);
        let y = self.node(
            "Conv",
            &[x, w, b],
            vec![
                ints("kernel_shape", &conv.kernel_size),
                ints("strides", &conv.stride),
                ints("dilations", &conv.dilation),
                ints("pads", &pads(&conv.padding)),
                int("group", conv.groups as i64),
            ],
        );
        match layer.activation {
            Activation::Identity => y,
            Activation::Relu => self.node("Relu", &[y], vec![]),
            Activation::Relu6 => {
                let lo = self.constant("clip_min", &[], vec![0.0]);
                let hi = self.constant("clip_max", &[], vec![6.0]);
                self.node("Clip", &[y, lo, hi], vec![])
            }
        }
    }

    fn max_pool(&mut self, x: String, pool: &MaxPool2d) -> String {
        self.node(
            "MaxPool",
            &[x],
            vec![
                ints("kernel_shape", &pool.kernel_size),
                ints("strides", &pool.stride),
                ints("pads", &pads(&pool.padding)),
            ],
        )
    }

    fn inverted_residual(&mut self, x: String, block: &InvertedResidual) -> String {
        let mut y = x.clone();
        if let Some(expand) = &block.expand {
            y = self.conv_bn(y, expand);
        }
        let y = self.conv_bn(y, &block.depthwise);
        let y = self.conv_bn(y, &block.project);
        if block.residual {
            self.node("Add", &[y, x], vec![])
        } else {
            y
        }
    }

    fn resnet_block(&mut self, x: String, block: &ResNetBlock) -> String {
        let (y, downsample) = match block {
            ResNetBlock::Basic(b) => {
                let y = self.conv_bn(x.clone(), &b.conv1);
                (self.conv_bn(y, &b.conv2), &b.downsample)
            }
            ResNetBlock::Bottleneck(b) => {
                let y = self.conv_bn(x.clone(), &b.conv1);
                let y = self.conv_bn(y, &b.conv2);
                (self.conv_bn(y, &b.conv3), &b.downsample)
            }
        };
        let shortcut = match downsample {
            Some(d) => self.conv_bn(x, d),
            None => x,
        };
        let sum = self.node("Add", &[y, shortcut], vec![]);
        self.node("Relu", &[sum], vec![])
    }

    fn backbone(&mut self, x: String, backbone: &Backbone) -> String {
        match backbone {
            Backbone::Compact(c) => {
                let x = self.conv_bn(x, &c.stage1);
                let x = self.max_pool(x, &c.pool);
                let x = self.conv_bn(x, &c.stage2);
                let x = self.max_pool(x, &c.pool);
                self.conv_bn(x, &c.stage3)
            }
            Backbone::ResNet(r) => {
                let x = self.conv_bn(x, &r.conv1);
                let mut x = self.max_pool(x, &r.maxpool);
                for block in r
                    .layer1
                    .iter()
                    .chain(&r.layer2)
                    .chain(&r.layer3)
                    .chain(&r.layer4)
                {
                    x = self.resnet_block(x, block);
                }
                x
            }
            Backbone::MobileNetV2(m) => {
                let mut x = self.conv_bn(x, &m.stem);
                for block in &m.blocks {
                    x = self.inverted_residual(x, block);
                }
                self.conv_bn(x, &m.head)
            }
        }
    }
}

/// Writes `model` as an ONNX file (atomically); refuses to replace a file unless `overwrite`.
pub fn export_onnx(model: &Model, path: &Path, overwrite: bool) -> Result<()> {
    if path.exists() && !overwrite {
        return Err(Error::AlreadyExists { path: path.into() });
    }
    let Some((_, net)) = model.classifier() else {
        return Err(Error::Dataset(format!(
            "ONNX export supports classification models, not {}",
            model.params.model_type
        )));
    };
    let p = &model.params;
    let mut g = GraphBuilder::default();
    let features = g.backbone("input".into(), &net.backbone);
    let pooled = g.node("GlobalAveragePool", &[features], vec![]);
    let flat = g.node("Flatten", &[pooled], vec![int("axis", 1)]);
    let fc_w = net.fc.weight.val();
    let fc_dims = fc_w.dims();
    let w = g.constant("fc_w", &fc_dims, values(fc_w));
    let bias = match &net.fc.bias {
        Some(b) => values(b.val()),
        None => vec![0.0; fc_dims[1]],
    };
    let b = g.constant("fc_b", &[fc_dims[1]], bias);
    g.named_node("Gemm", &[flat, w, b], vec![], "logits".into());
    let channels = p.image_num_channels as usize;
    let graph = GraphProto {
        name: format!("kestrel_{}_{}", p.model_type, p.backbone),
        node: g.nodes,
        initializer: g.initializers,
        input: vec![tensor_value(
            "input",
            &[
                None,
                Some(channels),
                Some(p.image_height as usize),
                Some(p.image_width as usize),
            ],
        )],
        output: vec![tensor_value("logits", &[None, Some(p.class_names.len())])],
        ..Default::default()
    };
    let preprocessing = match (&p.image_mean, &p.image_std) {
        (Some(mean), Some(std)) => format!(
            "resize to {}x{}, {} channel(s), values /255, then (x - mean) / std with mean {mean:?}, std {std:?}; NCHW",
            p.image_width, p.image_height, channels
        ),
        _ => format!(
            "resize to {}x{}, {} channel(s), values mapped linearly from [0, 255] to [{}, {}]; NCHW",
            p.image_width, p.image_height, channels, p.image_range_min, p.image_range_max
        ),
    };
    let meta = [
        (
            PARAMS_KEY,
            serde_json::to_string(p).expect("params serialise"),
        ),
        ("preprocessing", preprocessing),
        (
            "class_names",
            serde_json::to_string(&p.class_names).expect("names serialise"),
        ),
        (
            "output",
            "logits: unnormalised class scores; softmax gives confidences".into(),
        ),
    ];
    let onnx = ModelProto {
        ir_version: 8,
        opset_import: vec![OperatorSetIdProto {
            domain: String::new(),
            version: 13,
        }],
        producer_name: "kestrel".into(),
        producer_version: env!("CARGO_PKG_VERSION").into(),
        graph: Some(graph),
        metadata_props: meta
            .into_iter()
            .map(|(key, value)| StringStringEntryProto {
                key: key.into(),
                value,
            })
            .collect(),
        ..Default::default()
    };
    write_atomic(path, &onnx.encode_to_vec())
}
