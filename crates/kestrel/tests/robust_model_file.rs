//! Robustness of reading a model file: seeded random mutations of a valid file (of its
//! safetensors header, of the whole file, and of the parameters it stores as JSON) and
//! random bytes must give an error or a valid model: never a panic, never more memory than
//! [`peak_alloc::LIMIT`] (see `kestrel-data/tests/common/mutate.rs`).

mod common;
#[path = "../../kestrel-data/tests/common/mutate.rs"]
mod mutate;
#[path = "../../kestrel-data/tests/common/peak_alloc.rs"]
mod peak_alloc;

use kestrel::nn::BackboneKind;
use kestrel::{Model, ModelParams};
use mutate::for_mutations;
use peak_alloc::{PeakAlloc, assert_bounded, measure};
use safetensors::SafeTensors;
use safetensors::tensor::TensorView;
use std::path::Path;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// Mutated cases per part of the file.
const CASES: u64 = 150;

/// A small valid model file's bytes.
fn valid_model(dir: &Path) -> Vec<u8> {
    let ds = common::fashion_mini();
    let model = Model::new(ModelParams::classification(
        BackboneKind::Compact,
        ds.class_names.clone(),
    ))
    .unwrap();
    let path = dir.join("valid.kmodel");
    model.save(&path, false).unwrap();
    std::fs::read(path).unwrap()
}

/// Writes `bytes` to `file` and reads it as a model, checking memory; a model that loads
/// must have valid parameters.
fn load(name: &str, file: &Path, bytes: &[u8]) -> bool {
    std::fs::write(file, bytes).unwrap();
    let (loaded, usage) = measure(|| Model::load(file));
    assert_bounded(name, usage);
    match loaded {
        Ok(model) => {
            model.params.validate().unwrap();
            true
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.contains("m.kmodel"),
                "{name}: no file named: {message}"
            );
            false
        }
    }
}

#[test]
fn mutated_model_files_give_an_error_or_a_valid_model() {
    let tmp = tempfile::tempdir().unwrap();
    let valid = valid_model(tmp.path());
    let file = tmp.path().join("m.kmodel");
    let header_len = 8 + u64::from_le_bytes(valid[..8].try_into().unwrap()) as usize;
    let (header, data) = valid.split_at(header_len);

    // The header (sizes, names, shapes, offsets, metadata) with the tensor data after it.
    let accepted = for_mutations("model header", &[header], CASES, |mutated| {
        load("model header", &file, &[mutated, data].concat())
    });
    assert!(
        accepted > 0,
        "no mutated header was accepted: the cases reach nothing"
    );
    // The whole file (most edits land in tensor data: weights that are still numbers load).
    for_mutations("model file", &[&valid], CASES / 3, |mutated| {
        load("model file", &file, mutated)
    });
}

#[test]
fn mutated_parameters_give_an_error_or_a_valid_model() {
    let tmp = tempfile::tempdir().unwrap();
    let valid = valid_model(tmp.path());
    let file = tmp.path().join("m.kmodel");
    let tensors = SafeTensors::deserialize(&valid).unwrap();
    let (_, header) = SafeTensors::read_metadata(&valid).unwrap();
    let metadata = header.metadata().clone().unwrap();
    let params = metadata["params"].clone();
    let views: Vec<(String, TensorView<'_>)> = tensors.tensors();

    let accepted = for_mutations("model params", &[params.as_bytes()], CASES, |mutated| {
        let mut meta = metadata.clone();
        meta.insert(
            "params".into(),
            String::from_utf8_lossy(mutated).into_owned(),
        );
        let bytes = safetensors::serialize(views.clone(), Some(meta)).unwrap();
        load("model params", &file, &bytes)
    });
    assert!(accepted > 0, "no mutated parameters were accepted");
}
