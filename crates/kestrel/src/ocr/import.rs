//! Deep-OCR models from ONNX files (PaddleOCR's PP-OCRv4 recogniser, for one).

use super::{OcrParams, OcrNet};
use crate::error::{Error, Result, io_error};
use crate::model::Model;
use crate::network::Network;
use crate::params::ModelParams;
use kestrel_nn::GraphNet;
use kestrel_onnx::OnnxGraph;
use std::path::Path;

/// Reads an alphabet file: one character per line, in the recogniser's class order
/// (class `i + 1` is line `i`); `with_space` adds the space as the last class, as
/// PaddleOCR's recognisers have it.
pub fn read_alphabet(path: &Path, with_space: bool) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(io_error(path))?;
    let mut alphabet = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.chars().count() != 1 {
            return Err(Error::Dataset(format!(
                "{}: line {}: {line:?} is not one character",
                path.display(),
                i + 1
            )));
        }
        alphabet.push(line.to_string());
    }
    if with_space {
        alphabet.push(" ".into());
    }
    Ok(alphabet)
}

/// A deep-OCR model whose recogniser is the ONNX file `recognizer` (input `[batch, 3,
/// height, width]` in `[-1, 1]`, output per position and class after a softmax), reading
/// `alphabet` (see [`read_alphabet`]); crops are scaled to `height` and padded to `width`.
pub fn ocr_model_from_onnx(recognizer: &Path, alphabet: Vec<String>, height: u32, width: u32) -> Result<Model> {
    let graph = OnnxGraph::read(recognizer).map_err(|e| Error::ModelFile {
        path: recognizer.into(),
        message: e.to_string(),
    })?;
    let output = graph
        .spec
        .outputs
        .first()
        .cloned()
        .ok_or_else(|| Error::ModelFile {
            path: recognizer.into(),
            message: "the graph has no output".into(),
        })?;
    let mut params = ModelParams::deep_ocr(height, width);
    let section = OcrParams {
        recognition_alphabet: alphabet,
        recognition_network: Some(graph.spec.clone()),
        recognition_output: output,
        ..OcrParams::default()
    };
    params.set_section(&section);
    params.validate()?;
    let device = crate::device::parse_device(&params.device)?;
    let net = GraphNet::new(graph.spec, Some(&graph.weights), &device).map_err(|e| Error::ModelFile {
        path: recognizer.into(),
        message: e.to_string(),
    })?;
    Ok(Model {
        params,
        network: Network::new(super::PREFIX, OcrNet {
            recognizer: Some(net),
        }),
    })
}
