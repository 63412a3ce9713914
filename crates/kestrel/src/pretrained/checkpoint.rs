//! Reading a checkpoint's tensors, whatever its container: safetensors, or PyTorch's
//! `.pth`/`.pt` (zip from `torch.save`, or the legacy pickle format).

use crate::error::{Error, Result};
use crate::model_file::{half_to_f32, read_safetensors};
use crate::weights::NamedTensor;
use pytorch_reader::{DType, PytorchReader};
use std::collections::BTreeMap;
use std::path::Path;

/// The float tensors of a checkpoint, as f32 by name. A `.safetensors` file is read as
/// such; anything else is read as a PyTorch checkpoint, taking the tensors under a
/// `state_dict` or `model` key when the top level holds none.
pub fn read_checkpoint(path: &Path) -> Result<BTreeMap<String, NamedTensor>> {
    let is_safetensors = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("safetensors"));
    if is_safetensors {
        return Ok(read_safetensors(path)?.1);
    }
    let bad = |message: String| Error::ModelFile {
        path: path.into(),
        message,
    };
    let mut reader = PytorchReader::new(path)
        .map_err(|e| bad(format!("not a readable PyTorch checkpoint: {e}")))?;
    for key in ["state_dict", "model"] {
        if !reader.is_empty() {
            break;
        }
        if let Ok(nested) = PytorchReader::with_top_level_key(path, key) {
            reader = nested;
        }
    }
    let mut out = BTreeMap::new();
    for (name, tensor) in reader.into_tensors() {
        let bytes = tensor.read().map_err(|e| bad(e.to_string()))?;
        let values: Vec<f32> = match tensor.dtype() {
            DType::F32 => bytes
                .chunks_exact(4)
                .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            DType::F64 => bytes
                .chunks_exact(8)
                .map(|b| f64::from_ne_bytes(b.try_into().expect("8 bytes")) as f32)
                .collect(),
            DType::F16 => bytes
                .chunks_exact(2)
                .map(|b| half_to_f32(u16::from_ne_bytes([b[0], b[1]])))
                .collect(),
            DType::BF16 => bytes
                .chunks_exact(2)
                .map(|b| f32::from_bits(u32::from(u16::from_ne_bytes([b[0], b[1]])) << 16))
                .collect(),
            // Integer buffers (e.g. batch norm's num_batches_tracked) are not weights.
            _ => continue,
        };
        out.insert(
            name,
            NamedTensor {
                shape: tensor.shape().to_vec(),
                values,
            },
        );
    }
    if out.is_empty() {
        return Err(bad("holds no float tensors".into()));
    }
    Ok(out)
}
