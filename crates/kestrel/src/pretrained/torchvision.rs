//! torchvision checkpoints (`features.0.0.weight`, `layer1.0.conv1.weight`, …) mapped onto
//! Kestrel's backbone paths, with a report of every missing, unexpected or wrongly shaped
//! tensor.

use super::read_checkpoint;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::network::Network;
use crate::weights::{NamedTensor, load_tensors};
use kestrel_nn::{BackboneKind, ClassifierNet};
use std::collections::BTreeMap;
use std::path::Path;

/// The path in Kestrel's [`ClassifierNet`](kestrel_nn::ClassifierNet) for a torchvision tensor name of `kind`, or `None` for names Kestrel does
/// not use (e.g. `num_batches_tracked`) or does not know.
pub fn torchvision_to_kestrel(kind: BackboneKind, name: &str) -> Option<String> {
    let (module, leaf) = name.rsplit_once('.')?;
    if leaf == "num_batches_tracked" {
        return None;
    }
    let bn_leaf = match leaf {
        "weight" => "gamma",
        "bias" => "beta",
        other => other,
    };
    let parts: Vec<&str> = module.split('.').collect();
    let path = match kind {
        BackboneKind::MobileNetV2 => mobilenet_v2_path(&parts)?,
        BackboneKind::ResNet18 | BackboneKind::ResNet50 => {
            resnet_path(&parts, kind == BackboneKind::ResNet50)?
        }
        BackboneKind::Compact => return None,
    };
    let leaf = match path.1 {
        Layer::Conv | Layer::Linear => leaf,
        Layer::BatchNorm => bn_leaf,
    };
    Some(format!("{}.{leaf}", path.0))
}

/// The kind of layer a torchvision module is.
enum Layer {
    Conv,
    BatchNorm,
    Linear,
}

fn conv_bn(prefix: String, index: &str) -> Option<(String, Layer)> {
    match index {
        "0" => Some((format!("{prefix}.conv"), Layer::Conv)),
        "1" => Some((format!("{prefix}.bn"), Layer::BatchNorm)),
        _ => None,
    }
}

fn mobilenet_v2_path(parts: &[&str]) -> Option<(String, Layer)> {
    let backbone = "backbone.MobileNetV2";
    match parts {
        ["classifier", "1"] => Some(("fc".into(), Layer::Linear)),
        ["features", "0", i] => conv_bn(format!("{backbone}.stem"), i),
        ["features", "18", i] => conv_bn(format!("{backbone}.head"), i),
        ["features", block, "conv", rest @ ..] => {
            let b: usize = block.parse().ok()?;
            let blk = format!("{backbone}.blocks.{}", b.checked_sub(1)?);
            // Block 1 has no expansion: conv.0 = depthwise (conv, bn), conv.1 = project conv,
            // conv.2 = project bn. Others: conv.0 = expand, conv.1 = depthwise, conv.2/3 = project.
            let expands = b != 1;
            match (expands, rest) {
                (true, ["0", i]) => conv_bn(format!("{blk}.expand"), i),
                (true, ["1", i]) | (false, ["0", i]) => conv_bn(format!("{blk}.depthwise"), i),
                (true, ["2"]) | (false, ["1"]) => {
                    Some((format!("{blk}.project.conv"), Layer::Conv))
                }
                (true, ["3"]) | (false, ["2"]) => {
                    Some((format!("{blk}.project.bn"), Layer::BatchNorm))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn resnet_path(parts: &[&str], bottleneck: bool) -> Option<(String, Layer)> {
    let backbone = "backbone.ResNet";
    let variant = if bottleneck { "Bottleneck" } else { "Basic" };
    match parts {
        ["fc"] => Some(("fc".into(), Layer::Linear)),
        ["conv1"] => Some((format!("{backbone}.conv1.conv"), Layer::Conv)),
        ["bn1"] => Some((format!("{backbone}.conv1.bn"), Layer::BatchNorm)),
        [
            layer @ ("layer1" | "layer2" | "layer3" | "layer4"),
            block,
            rest @ ..,
        ] => {
            let blk = format!("{backbone}.{layer}.{block}.{variant}");
            match rest {
                ["downsample", i] => conv_bn(format!("{blk}.downsample"), i),
                [name] => {
                    let (kind, n) = name.split_at(name.len() - 1);
                    match kind {
                        "conv" => Some((format!("{blk}.conv{n}.conv"), Layer::Conv)),
                        "bn" => Some((format!("{blk}.conv{n}.bn"), Layer::BatchNorm)),
                        _ => None,
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Loads a torchvision checkpoint (safetensors, or PyTorch `.pth`/`.pt`) into `model`, whose backbone must be the
/// checkpoint's architecture and whose class count must equal the checkpoint's. Every
/// tensor is accounted for: missing, unexpected and wrongly shaped ones are reported
/// together in the error.
pub fn import_torchvision(model: Model, path: &Path) -> Result<Model> {
    let kind = model.params.backbone_kind()?;
    let source = read_checkpoint(path)?;
    let mut mapped: BTreeMap<String, NamedTensor> = BTreeMap::new();
    let mut unknown = Vec::new();
    for (name, tensor) in source {
        if name.ends_with("num_batches_tracked") {
            continue;
        }
        match torchvision_to_kestrel(kind, &name) {
            Some(path) if path.ends_with("fc.weight") => {
                mapped.insert(path, transpose(&tensor));
            }
            Some(path) => {
                mapped.insert(path, tensor);
            }
            None => unknown.push(name),
        }
    }
    let prefix = model.network.prefix();
    let net = model.network.expect::<ClassifierNet>()?.clone();
    let (net, mut report) = load_tensors(net, &mapped);
    report.unexpected.extend(unknown);
    if !report.is_ok() {
        return Err(Error::ModelFile {
            path: path.into(),
            message: format!("does not fit a {kind} classifier: {report}"),
        });
    }
    Ok(Model {
        network: Network::new(prefix, net),
        ..model
    })
}

/// PyTorch's linear weight is `[out, in]`, burn's `[in, out]`.
fn transpose(t: &NamedTensor) -> NamedTensor {
    let (rows, cols) = (t.shape[0], t.shape[1]);
    let mut values = vec![0.0; t.values.len()];
    for r in 0..rows {
        for c in 0..cols {
            values[c * rows + r] = t.values[r * cols + c];
        }
    }
    NamedTensor {
        shape: vec![cols, rows],
        values,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_mobilenet_v2_names() {
        let k = BackboneKind::MobileNetV2;
        let m = |n| torchvision_to_kestrel(k, n);
        assert_eq!(
            m("features.0.0.weight").unwrap(),
            "backbone.MobileNetV2.stem.conv.weight"
        );
        assert_eq!(
            m("features.0.1.weight").unwrap(),
            "backbone.MobileNetV2.stem.bn.gamma"
        );
        assert_eq!(
            m("features.1.conv.0.0.weight").unwrap(),
            "backbone.MobileNetV2.blocks.0.depthwise.conv.weight"
        );
        assert_eq!(
            m("features.1.conv.2.running_var").unwrap(),
            "backbone.MobileNetV2.blocks.0.project.bn.running_var"
        );
        assert_eq!(
            m("features.2.conv.0.1.bias").unwrap(),
            "backbone.MobileNetV2.blocks.1.expand.bn.beta"
        );
        assert_eq!(
            m("features.17.conv.3.running_mean").unwrap(),
            "backbone.MobileNetV2.blocks.16.project.bn.running_mean"
        );
        assert_eq!(m("classifier.1.bias").unwrap(), "fc.bias");
        assert_eq!(m("features.0.1.num_batches_tracked"), None);
    }

    #[test]
    fn maps_resnet_names() {
        let m = |n| torchvision_to_kestrel(BackboneKind::ResNet18, n);
        assert_eq!(
            m("conv1.weight").unwrap(),
            "backbone.ResNet.conv1.conv.weight"
        );
        assert_eq!(
            m("layer2.0.downsample.1.weight").unwrap(),
            "backbone.ResNet.layer2.0.Basic.downsample.bn.gamma"
        );
        assert_eq!(
            m("layer4.1.bn2.running_var").unwrap(),
            "backbone.ResNet.layer4.1.Basic.conv2.bn.running_var"
        );
        let m50 = |n| torchvision_to_kestrel(BackboneKind::ResNet50, n);
        assert_eq!(
            m50("layer1.0.conv3.weight").unwrap(),
            "backbone.ResNet.layer1.0.Bottleneck.conv3.conv.weight"
        );
        assert_eq!(m("fc.weight").unwrap(), "fc.weight");
    }

    #[test]
    fn transposes_linear_weights() {
        let t = NamedTensor {
            shape: vec![2, 3],
            values: vec![1., 2., 3., 4., 5., 6.],
        };
        assert_eq!(transpose(&t).values, vec![1., 4., 2., 5., 3., 6.]);
    }
}
