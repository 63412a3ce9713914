//! Deep-OCR models from ONNX files (PaddleOCR's PP-OCRv4 detector and recogniser, for
//! one).

use super::{OcrNet, OcrParams};
use crate::error::{Error, Result, io_error};
use crate::model::Model;
use crate::network::Network;
use crate::params::ModelParams;
use burn::tensor::Device;
use kestrel_nn::GraphNet;
use kestrel_onnx::{GraphSpec, OnnxGraph};
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

/// The ONNX files a deep-OCR model is made from.
#[derive(Debug, Clone, Default)]
pub struct OnnxOcrFiles<'a> {
    /// The word recogniser: `[batch, 3, height, width]` in `[-1, 1]` to per-position class
    /// probabilities (after a softmax; class 0 = CTC blank).
    pub recognizer: Option<&'a Path>,
    /// The characters the recogniser reads (see [`read_alphabet`]).
    pub alphabet: Vec<String>,
    /// The word detector: an ImageNet-normalised RGB image `[1, 3, h, w]` (sides
    /// multiples of 32) to a text probability map `[1, 1, h, w]`.
    pub detector: Option<&'a Path>,
    /// The height crops are scaled to for the recogniser.
    pub height: u32,
    /// The widest crop the recogniser takes (narrower crops are padded).
    pub width: u32,
}

/// A deep-OCR model with the networks of `files` (at least one of them).
pub fn ocr_model_from_onnx(files: &OnnxOcrFiles<'_>) -> Result<Model> {
    if files.recognizer.is_none() && files.detector.is_none() {
        return Err(Error::BadParam {
            name: "recognition_network".into(),
            message: "give a recogniser, a detector or both".into(),
        });
    }
    let mut params = ModelParams::deep_ocr(files.height, files.width);
    let device = crate::device::parse_device(&params.device)?;
    let mut section = OcrParams::default();
    let mut net = OcrNet {
        recognizer: None,
        detector: None,
    };
    if let Some(path) = files.recognizer {
        let (spec, graph_net) = read_graph(path, &device)?;
        section.recognition_output = first_output(&spec, path)?;
        section.recognition_network = Some(spec);
        section.recognition_alphabet = files.alphabet.clone();
        net.recognizer = Some(graph_net);
    }
    if let Some(path) = files.detector {
        let (spec, graph_net) = read_graph(path, &device)?;
        section.detection_output = first_output(&spec, path)?;
        section.detection_network = Some(spec);
        net.detector = Some(graph_net);
    }
    if files.recognizer.is_none() {
        section.mode = super::OcrMode::Detection;
    } else if files.detector.is_none() {
        section.mode = super::OcrMode::Recognition;
    }
    params.set_section(&section);
    params.validate()?;
    Ok(Model {
        params,
        network: Network::new(super::PREFIX, net),
    })
}

/// Reads an ONNX file and builds its network with the file's weights.
fn read_graph(path: &Path, device: &Device) -> Result<(GraphSpec, GraphNet)> {
    let model_error = |message: String| Error::ModelFile {
        path: path.into(),
        message,
    };
    let graph = OnnxGraph::read(path).map_err(|e| model_error(e.to_string()))?;
    let net = GraphNet::new(graph.spec.clone(), Some(&graph.weights), device)
        .map_err(|e| model_error(e.to_string()))?;
    Ok((graph.spec, net))
}

/// The graph's first output, or an error naming the file.
fn first_output(spec: &GraphSpec, path: &Path) -> Result<String> {
    spec.outputs.first().cloned().ok_or_else(|| Error::ModelFile {
        path: path.into(),
        message: "the graph has no output".into(),
    })
}
