//! Reading and writing a network's tensors by their module path (`backbone.stage1.conv.weight`).

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::tensor::{Tensor, TensorData};
use std::collections::BTreeMap;

/// One named tensor: its shape and values.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedTensor {
    /// The dimensions.
    pub shape: Vec<usize>,
    /// The values, row-major.
    pub values: Vec<f32>,
}

/// Collects every float tensor of a module (parameters and running statistics) by path.
pub fn collect_tensors<M: Module>(module: &M) -> BTreeMap<String, NamedTensor> {
    collect_tensors_at(module, &[])
}

/// As [`collect_tensors`], every path starting with `prefix` (`Classification.…`).
pub(crate) fn collect_tensors_at<M: Module>(
    module: &M,
    prefix: &[&str],
) -> BTreeMap<String, NamedTensor> {
    let mut collector = Collector {
        path: prefix.iter().map(|p| p.to_string()).collect(),
        tensors: BTreeMap::new(),
    };
    module.visit(&mut collector);
    collector.tensors
}

/// What went wrong when loading tensors into a module, all problems at once.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LoadReport {
    /// Tensors the module has but the source lacks.
    pub missing: Vec<String>,
    /// Tensors the source has but the module lacks.
    pub unexpected: Vec<String>,
    /// `(name, module shape, source shape)` where they differ.
    pub wrong_shape: Vec<(String, Vec<usize>, Vec<usize>)>,
}

impl LoadReport {
    /// True when every tensor matched.
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.unexpected.is_empty() && self.wrong_shape.is_empty()
    }
}

impl std::fmt::Display for LoadReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!("missing tensors: {}", self.missing.join(", ")));
        }
        if !self.unexpected.is_empty() {
            parts.push(format!(
                "unexpected tensors: {}",
                self.unexpected.join(", ")
            ));
        }
        for (name, want, got) in &self.wrong_shape {
            parts.push(format!(
                "{name}: shape {got:?} where the network needs {want:?}"
            ));
        }
        f.write_str(&parts.join("; "))
    }
}

/// Replaces the module's tensors with those in `source`, by path. Tensors the source lacks
/// keep their values; everything that did not match is reported.
pub fn load_tensors<M: Module>(
    module: M,
    source: &BTreeMap<String, NamedTensor>,
) -> (M, LoadReport) {
    load_tensors_at(module, source, &[])
}

/// As [`load_tensors`], with every path in `source` starting with `prefix`.
pub(crate) fn load_tensors_at<M: Module>(
    module: M,
    source: &BTreeMap<String, NamedTensor>,
    prefix: &[&str],
) -> (M, LoadReport) {
    let mut loader = Loader {
        source,
        path: prefix.iter().map(|p| p.to_string()).collect(),
        report: LoadReport::default(),
        used: Vec::new(),
    };
    let module = module.map(&mut loader);
    let mut report = loader.report;
    report.unexpected = source
        .keys()
        .filter(|k| !loader.used.contains(k))
        .cloned()
        .collect();
    (module, report)
}

struct Collector {
    path: Vec<String>,
    tensors: BTreeMap<String, NamedTensor>,
}

impl ModuleVisitor for Collector {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let data = param.val().into_data().convert::<f32>();
        let shape = data.shape().as_slice().to_vec();
        let values = data.try_into_vec::<f32>().expect("converted to f32");
        self.tensors
            .insert(self.path.join("."), NamedTensor { shape, values });
    }
}

struct Loader<'a> {
    source: &'a BTreeMap<String, NamedTensor>,
    path: Vec<String>,
    report: LoadReport,
    used: Vec<&'a String>,
}

impl ModuleMapper for Loader<'_> {
    fn enter_module(&mut self, name: &str, _container_type: &str) {
        self.path.push(name.to_string());
    }

    fn exit_module(&mut self, _name: &str, _container_type: &str) {
        self.path.pop();
    }

    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let name = self.path.join(".");
        let Some((key, found)) = self.source.get_key_value(&name) else {
            self.report.missing.push(name);
            return param;
        };
        self.used.push(key);
        let want = param.val().dims().to_vec();
        if found.shape != want {
            self.report
                .wrong_shape
                .push((name, want, found.shape.clone()));
            return param;
        }
        let data = TensorData::new(found.values.clone(), found.shape.clone());
        param.map(|old| {
            let require_grad = old.is_require_grad();
            Tensor::from_data(data, &old.device()).set_require_grad(require_grad)
        })
    }
}
