//! The model file: safetensors with the network's tensors, and the model's parameters as
//! JSON in the metadata (`format = kestrel-model`, `params = {...}`), written atomically.

use crate::error::{Error, Result, io_error};
use crate::params::ModelParams;
use crate::weights::NamedTensor;
use safetensors::tensor::{Dtype, TensorView};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The `format` metadata value that marks a Kestrel model.
pub const FORMAT: &str = "kestrel-model";
/// The version of the file layout.
pub const FORMAT_VERSION: &str = "1";

/// Writes `params` and `tensors` to `path` (temp file + rename). Refuses to replace an
/// existing file unless `overwrite`.
pub fn write_model_file(
    path: &Path,
    params: &ModelParams,
    tensors: &BTreeMap<String, NamedTensor>,
    overwrite: bool,
) -> Result<()> {
    if path.exists() && !overwrite {
        return Err(Error::AlreadyExists { path: path.into() });
    }
    let bytes_per: Vec<(String, Vec<u8>, Vec<usize>)> = tensors
        .iter()
        .map(|(name, t)| {
            let bytes = t.values.iter().flat_map(|v| v.to_le_bytes()).collect();
            (name.clone(), bytes, t.shape.clone())
        })
        .collect();
    let views: Vec<(String, TensorView<'_>)> = bytes_per
        .iter()
        .map(|(name, bytes, shape)| {
            let view = TensorView::new(Dtype::F32, shape.clone(), bytes).expect("sizes match");
            (name.clone(), view)
        })
        .collect();
    let metadata = HashMap::from([
        ("format".to_string(), FORMAT.to_string()),
        ("format_version".to_string(), FORMAT_VERSION.to_string()),
        (
            "params".to_string(),
            serde_json::to_string(params).expect("params serialise"),
        ),
    ]);
    let data = safetensors::serialize(views, Some(metadata)).map_err(|e| Error::ModelFile {
        path: path.into(),
        message: e.to_string(),
    })?;
    write_atomic(path, &data)
}

/// Writes `data` to `path` atomically and durably ([`kestrel_geom::write_atomic`]: temp
/// file next to `path`, fsync, rename over it), creating `path`'s folder first.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
    }
    kestrel_geom::write_atomic(path, data).map_err(io_error(path))
}

/// Reads any safetensors file: its metadata and its tensors as f32 (F32, F16 and BF16
/// tensors are accepted).
pub fn read_safetensors(
    path: &Path,
) -> Result<(HashMap<String, String>, BTreeMap<String, NamedTensor>)> {
    let bad = |message: String| Error::ModelFile {
        path: path.into(),
        message,
    };
    let data = std::fs::read(path).map_err(io_error(path))?;
    let (_, meta) = safetensors::SafeTensors::read_metadata(&data).map_err(|e| {
        bad(match foreign_kind(path, &data) {
            Some(kind) => format!("not a model file: {kind}"),
            None => format!("not a safetensors file ({e})"),
        })
    })?;
    let metadata = meta.metadata().clone().unwrap_or_default();
    let tensors = safetensors::SafeTensors::deserialize(&data)
        .map_err(|e| bad(format!("damaged tensor data ({e})")))?;
    let mut out = BTreeMap::new();
    for (name, view) in tensors.tensors() {
        let bytes = view.data();
        let values: Vec<f32> = match view.dtype() {
            Dtype::F32 => bytes
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Dtype::F16 => bytes
                .chunks_exact(2)
                .map(|b| half_to_f32(u16::from_le_bytes([b[0], b[1]])))
                .collect(),
            Dtype::BF16 => bytes
                .chunks_exact(2)
                .map(|b| f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16))
                .collect(),
            other => {
                return Err(bad(format!(
                    "tensor {name} has dtype {other:?} (F32, F16 or BF16 expected)"
                )));
            }
        };
        out.insert(
            name,
            NamedTensor {
                shape: view.shape().to_vec(),
                values,
            },
        );
    }
    Ok((metadata, out))
}

/// What a file that is not safetensors looks like, when it is recognisably something a
/// user may have given by mistake: a JSON file, an ONNX model, an image.
fn foreign_kind(path: &Path, data: &[u8]) -> Option<&'static str> {
    let is_onnx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("onnx"));
    let start = data.iter().find(|b| !b.is_ascii_whitespace());
    if is_onnx {
        Some(
            "an ONNX file (`kestrel infer --model FILE.onnx` runs ONNX classifiers; \
             `kestrel model import-ocr` imports OCR models)",
        )
    } else if matches!(start, Some(b'{' | b'[')) {
        Some("a JSON file (a dataset or results?); models are written by `kestrel train`")
    } else if data.starts_with(b"\x89PNG") || data.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("an image")
    } else {
        None
    }
}

/// IEEE half precision to f32.
pub(crate) fn half_to_f32(h: u16) -> f32 {
    let sign = if h >> 15 == 1 { -1.0 } else { 1.0 };
    let exponent = i32::from((h >> 10) & 0x1f);
    let fraction = f32::from(h & 0x3ff);
    match exponent {
        0 => sign * fraction * 2f32.powi(-24),
        0x1f if fraction == 0.0 => sign * f32::INFINITY,
        0x1f => f32::NAN,
        e => sign * (1.0 + fraction / 1024.0) * 2f32.powi(e - 15),
    }
}

/// Reads a model file: its parameters and tensors. A file that is not a Kestrel model, or is
/// damaged, gives [`Error::ModelFile`] naming it.
pub fn read_model_file(path: &Path) -> Result<(ModelParams, BTreeMap<String, NamedTensor>)> {
    let bad = |message: String| Error::ModelFile {
        path: path.into(),
        message,
    };
    let (meta, tensors) = read_safetensors(path)?;
    if meta.get("format").map(String::as_str) != Some(FORMAT) {
        return Err(bad(
            "no 'format = kestrel-model' metadata (a foreign safetensors file? import torchvision weights with `kestrel model import`)".into(),
        ));
    }
    if let Some(version) = meta.get("format_version") {
        let newest: u32 = FORMAT_VERSION
            .parse()
            .expect("the format version is a number");
        match version.parse::<u32>() {
            Ok(v) if v <= newest => {}
            Ok(v) => {
                return Err(bad(format!(
                    "written in model format version {v} by a newer Kestrel; this one reads \
                     versions up to {newest}"
                )));
            }
            Err(_) => {
                return Err(bad(format!(
                    "the format_version '{version}' is not a number"
                )));
            }
        }
    }
    let params_json = meta
        .get("params")
        .ok_or_else(|| bad("the 'params' metadata is missing".into()))?;
    let mut params: ModelParams = serde_json::from_str(params_json)
        .map_err(|e| bad(format!("the 'params' metadata is invalid: {e}")))?;
    drop_legacy_params(&mut params);
    params.complete_method_params();
    params
        .validate()
        .map_err(|e| bad(format!("its parameters are invalid: {e}")))?;
    let damaged: Vec<String> = tensors
        .iter()
        .filter_map(|(name, t)| {
            let bad_values = t.values.iter().filter(|v| !v.is_finite()).count();
            (bad_values > 0).then(|| format!("{name} ({bad_values} of {})", t.values.len()))
        })
        .collect();
    if !damaged.is_empty() {
        return Err(bad(format!(
            "weights that are not numbers (NaN or infinite), so results would be meaningless: \
             {} (did training diverge? lower the learning rate and train again)",
            damaged.join(", ")
        )));
    }
    Ok((params, tensors))
}

/// Method parameters that model files written before the methods had their own parameter
/// sections carry for every method, used or not.
const LEGACY_SHARED_PARAMS: [&str; 17] = [
    "anomaly_classification_threshold",
    "anomaly_segmentation_threshold",
    "coreset_fraction",
    "anomaly_smoothing_sigma",
    "min_confidence",
    "weight_rare_classes",
    "ignore_class_ids",
    "class_ids_background",
    "instance_type",
    "ignore_direction",
    "min_level",
    "max_level",
    "capacity",
    "max_overlap",
    "max_overlap_class_agnostic",
    "max_num_detections",
    "freeze_backbone_level",
];

/// Drops the [`LEGACY_SHARED_PARAMS`] the model's method does not have, so older model files
/// still load (any other unknown name stays, and validation refuses it).
fn drop_legacy_params(params: &mut ModelParams) {
    let own = params.model_type.method().extra_params();
    params
        .method_params
        .retain(|name, _| own.contains_key(name) || !LEGACY_SHARED_PARAMS.contains(&name.as_str()));
}

#[cfg(test)]
mod tests {
    use super::{ModelParams, drop_legacy_params, half_to_f32, read_safetensors};
    use kestrel_nn::BackboneKind;

    #[test]
    fn legacy_parameters_of_other_methods_are_dropped() {
        let classifier = ModelParams::classification(BackboneKind::Compact, vec!["a".into()]);
        let mut json = serde_json::to_value(&classifier).unwrap();
        json["instance_type"] = "rectangle1".into();
        json["coreset_fraction"] = 0.01.into();
        let mut read: ModelParams = serde_json::from_value(json.clone()).unwrap();
        read.validate().unwrap_err();
        drop_legacy_params(&mut read);
        assert_eq!(read, classifier);

        let detector = ModelParams::detection(BackboneKind::ResNet18, vec!["a".into()]);
        let mut json = serde_json::to_value(&detector).unwrap();
        json["capacity"] = "low".into();
        json["coreset_fraction"] = 0.01.into();
        let mut read: ModelParams = serde_json::from_value(json).unwrap();
        drop_legacy_params(&mut read);
        read.validate().unwrap();
        assert_eq!(read.get("capacity").unwrap(), "low");
    }

    #[test]
    fn half_precision_values() {
        assert_eq!(half_to_f32(0x3c00), 1.0);
        assert_eq!(half_to_f32(0xc000), -2.0);
        assert_eq!(half_to_f32(0x3555), 0.333_251_95);
        assert_eq!(half_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(half_to_f32(0x7c00), f32::INFINITY);
    }

    #[test]
    fn files_given_as_models_by_mistake_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let message = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            read_safetensors(&path).unwrap_err().to_string()
        };
        let json = message("parts.json", b"  {\"samples\": []}");
        assert!(
            json.contains("parts.json") && json.contains("a JSON file"),
            "{json}"
        );
        let onnx = message("m.onnx", &[8, 7, 18, 4, b'o', b'n', b'n', b'x']);
        assert!(onnx.contains("an ONNX file"), "{onnx}");
        let png = message("m.kmodel", b"\x89PNG\r\n\x1a\n rest");
        assert!(png.contains("an image"), "{png}");
        let other = message("m.kmodel", b"abc");
        assert!(other.contains("not a safetensors file"), "{other}");
    }
}
