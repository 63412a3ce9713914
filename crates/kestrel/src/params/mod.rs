//! A model's named parameters (HALCON's `get_dl_model_param`/`set_dl_model_param`): the
//! preprocessing the network expects, its classes, and its training hyperparameters. They are
//! stored in the model file, so a model file holds everything needed to infer.

mod overrides;
mod section;

pub use overrides::{ParamOverrides, parse_assignment, parse_image_size};
pub use section::{check_class_thresholds, section_fields};

use crate::error::{Error, Result};
use crate::method::MethodKind;
use kestrel_image::{AugmentParams, Normalization, PreprocessParams};
use kestrel_nn::BackboneKind;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The optimiser used for training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SolverType {
    /// Stochastic gradient descent with `momentum`.
    Sgd,
    /// Adam.
    Adam,
}

/// How the learning rate changes over the epochs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LearningRateSchedule {
    /// `learning_rate` throughout.
    Constant,
    /// Cosine decay from `learning_rate` to 0 over all epochs.
    Cosine,
    /// HALCON's change strategy: from each listed epoch on, `learning_rate` times its factor.
    Steps {
        /// `(epoch, factor)` pairs, e.g. `[(10, 0.1), (20, 0.01)]`.
        steps: Vec<(f64, f64)>,
    },
}

/// All of a model's parameters. Names follow HALCON where it has one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelParams {
    /// The method (`classification`, `detection`, …; see [`crate::registry`]).
    pub model_type: MethodKind,
    /// The backbone: `compact`, `resnet18`, `resnet50`, `mobilenet_v2`.
    pub backbone: String,
    /// Input width in pixels.
    pub image_width: u32,
    /// Input height in pixels.
    pub image_height: u32,
    /// Input channels: 1 (grey) or 3 (RGB).
    pub image_num_channels: u32,
    /// The value black maps to (when `image_mean`/`image_std` are not set).
    pub image_range_min: f32,
    /// The value white maps to (when `image_mean`/`image_std` are not set).
    pub image_range_max: f32,
    /// Per-channel mean in `[0,1]` units; with `image_std` replaces the range mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_mean: Option<Vec<f32>>,
    /// Per-channel standard deviation in `[0,1]` units.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_std: Option<Vec<f32>>,
    /// Class names, one per network output.
    pub class_names: Vec<String>,
    /// The dataset's class ids, in the order of `class_names`.
    pub class_ids: Vec<u32>,
    /// Images per training step.
    pub batch_size: usize,
    /// Number of passes over the training split.
    pub epochs: usize,
    /// Initial learning rate.
    pub learning_rate: f64,
    /// SGD momentum.
    pub momentum: f64,
    /// Weight decay (L2 penalty).
    pub weight_prior: f64,
    /// `sgd` or `adam`.
    pub solver_type: SolverType,
    /// How the learning rate changes over the epochs.
    pub learning_rate_schedule: LearningRateSchedule,
    /// Linear warm-up from 0 to `learning_rate` over this many epochs (0 = none).
    pub warmup_epochs: f64,
    /// Validate every this many epochs.
    pub evaluation_interval_epochs: usize,
    /// Data augmentation during training.
    pub augmentation: AugmentParams,
    /// Device name: `cpu`, `cuda:N`, `tch`.
    pub device: String,
    /// Seed for initialisation, shuffling and augmentation.
    pub seed: u64,
    /// Keep the backbone's weights fixed during training (transfer learning).
    #[serde(default)]
    pub freeze_backbone: bool,
    /// The backbone's learning rate relative to `learning_rate` (transfer learning).
    #[serde(default = "one")]
    pub backbone_learning_rate_factor: f64,
    /// The parameters of the model's method beyond those above ([`crate::method::Method::extra_params`]),
    /// stored flat beside them. Any other name is refused by [`ModelParams::validate`].
    #[serde(flatten)]
    pub method_params: Map<String, Value>,
}

fn one() -> f64 {
    1.0
}

/// The largest network input side, in pixels.
pub const MAX_INPUT_SIDE: u32 = 4096;

impl ModelParams {
    /// Default parameters for a classifier with `backbone` and the given classes: 224x224 RGB
    /// with ImageNet normalisation for the ImageNet backbones, 28x28 grey in `[-1, 1]` for
    /// the compact one.
    pub fn classification(backbone: BackboneKind, class_names: Vec<String>) -> Self {
        let compact = backbone == BackboneKind::Compact;
        let class_ids = (0..class_names.len() as u32).collect();
        Self {
            model_type: MethodKind::of(&crate::classification::ClassificationMethod),
            backbone: backbone.name().into(),
            image_width: if compact { 28 } else { 224 },
            image_height: if compact { 28 } else { 224 },
            image_num_channels: if compact { 1 } else { 3 },
            image_range_min: -1.0,
            image_range_max: 1.0,
            image_mean: (!compact).then(|| vec![0.485, 0.456, 0.406]),
            image_std: (!compact).then(|| vec![0.229, 0.224, 0.225]),
            class_names,
            class_ids,
            batch_size: if compact { 64 } else { 16 },
            epochs: 10,
            learning_rate: if compact { 0.05 } else { 0.001 },
            momentum: 0.9,
            weight_prior: 1e-4,
            solver_type: if compact {
                SolverType::Sgd
            } else {
                SolverType::Adam
            },
            learning_rate_schedule: LearningRateSchedule::Cosine,
            warmup_epochs: 0.0,
            evaluation_interval_epochs: 1,
            augmentation: AugmentParams::default(),
            device: "cpu".into(),
            seed: 42,
            freeze_backbone: false,
            backbone_learning_rate_factor: 1.0,
            method_params: Map::new(),
        }
    }

    /// Default parameters for semantic segmentation: as [`Self::classification`] (224x224
    /// RGB, ImageNet normalisation for the ImageNet backbones), batch 8, rare classes
    /// weighted up.
    pub fn segmentation(backbone: BackboneKind, class_names: Vec<String>) -> Self {
        Self {
            model_type: MethodKind::of(&crate::segmentation::SegmentationMethod { edges: false }),
            batch_size: 8,
            ..Self::classification(backbone, class_names)
        }
        .with_method_defaults()
    }

    /// Default parameters for edge extraction: segmentation with the classes `background`
    /// and `edge`.
    pub fn edge_extraction(backbone: BackboneKind) -> Self {
        Self {
            model_type: MethodKind::of(&crate::segmentation::SegmentationMethod { edges: true }),
            ..Self::segmentation(backbone, vec!["background".into(), "edge".into()])
        }
        .with_method_defaults()
    }

    /// Default parameters for multi-label classification: as [`Self::classification`], with
    /// thresholds chosen by training.
    pub fn multi_label_classification(backbone: BackboneKind, class_names: Vec<String>) -> Self {
        Self {
            model_type: MethodKind::of(&crate::multi_label::MultiLabelMethod),
            ..Self::classification(backbone, class_names)
        }
        .with_method_defaults()
    }

    /// Default parameters for object detection (`instance_type` `rectangle1`): 320x320 RGB
    /// with ImageNet normalisation, pyramid levels 3 to 5, medium capacity, SGD with
    /// warm-up.
    pub fn detection(backbone: BackboneKind, class_names: Vec<String>) -> Self {
        Self {
            model_type: MethodKind::of(&crate::detection::DetectionMethod),
            image_width: 320,
            image_height: 320,
            batch_size: 8,
            epochs: 24,
            learning_rate: 0.01,
            solver_type: SolverType::Sgd,
            warmup_epochs: 1.0,
            ..Self::classification(backbone, class_names)
        }
        .with_method_defaults()
    }

    /// Default parameters for anomaly detection with a pretrained `backbone`: 224x224 RGB
    /// with ImageNet normalisation, classes `ok` and `nok`, a 1 % coreset, thresholds set by
    /// training.
    pub fn anomaly_detection(backbone: BackboneKind) -> Self {
        Self {
            model_type: MethodKind::of(&crate::anomaly::AnomalyMethod { global: false }),
            epochs: 1,
            ..Self::classification(backbone, vec!["ok".into(), "nok".into()])
        }
        .with_method_defaults()
    }

    /// Default parameters for global-context anomaly detection: as
    /// [`Self::anomaly_detection`], with the global branch.
    pub fn gc_anomaly_detection(backbone: BackboneKind) -> Self {
        Self {
            model_type: MethodKind::of(&crate::anomaly::AnomalyMethod { global: true }),
            ..Self::anomaly_detection(backbone)
        }
        .with_method_defaults()
    }

    /// The backbone as a typed value.
    pub fn backbone_kind(&self) -> Result<BackboneKind> {
        self.backbone
            .parse()
            .map_err(|e: kestrel_nn::UnknownBackbone| Error::BadParam {
                name: "backbone".into(),
                message: e.to_string(),
            })
    }

    /// How images are prepared for this model (size, channels, value mapping).
    pub fn preprocess(&self) -> PreprocessParams {
        let normalization = match (&self.image_mean, &self.image_std) {
            (Some(mean), Some(std)) => Normalization::MeanStd {
                mean: mean.clone(),
                std: std.clone(),
            },
            _ => Normalization::Range {
                min: self.image_range_min,
                max: self.image_range_max,
            },
        };
        PreprocessParams {
            width: self.image_width,
            height: self.image_height,
            num_channels: self.image_num_channels,
            normalization,
        }
    }

    /// Checks every parameter, reporting the first one that is out of range.
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &str, message: String| {
            Err(Error::BadParam {
                name: name.into(),
                message,
            })
        };
        let extra = self.model_type.method().extra_params();
        if let Some(name) = self.method_params.keys().find(|k| !extra.contains_key(*k)) {
            let known: Vec<String> = self.names().into_iter().filter(|n| n != name).collect();
            return Err(Error::UnknownParam {
                name: name.clone(),
                known: known.join(", "),
            });
        }
        if self.model_type.method().has_backbone() {
            self.backbone_kind()?;
        }
        if self.image_width < 8 || self.image_height < 8 {
            return bad(
                "image_width",
                format!(
                    "{}x{} is too small (at least 8x8)",
                    self.image_width, self.image_height
                ),
            );
        }
        if self.image_width > MAX_INPUT_SIDE || self.image_height > MAX_INPUT_SIDE {
            return bad(
                "image_width",
                format!(
                    "{}x{} is too large (at most {MAX_INPUT_SIDE} on a side: larger network inputs \
                     need tens of GB; count or detect on tiles instead)",
                    self.image_width, self.image_height
                ),
            );
        }
        if !matches!(self.image_num_channels, 1 | 3) {
            return bad(
                "image_num_channels",
                format!("{} (must be 1 or 3)", self.image_num_channels),
            );
        }
        if self.image_mean.is_some() != self.image_std.is_some() {
            return bad(
                "image_mean",
                "image_mean and image_std must be set together".into(),
            );
        }
        self.preprocess()
            .normalization
            .validate(self.image_num_channels)
            .or_else(|e| bad("image_range_min", e.to_string()))?;
        if self.class_names.is_empty() {
            return bad("class_names", "at least one class is needed".into());
        }
        if self.class_ids.len() != self.class_names.len() {
            return bad(
                "class_ids",
                format!(
                    "{} ids for {} class names",
                    self.class_ids.len(),
                    self.class_names.len()
                ),
            );
        }
        let mut names = self.class_names.clone();
        names.sort();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return bad("class_names", format!("'{}' appears twice", w[0]));
        }
        if self.batch_size == 0 {
            return bad("batch_size", "must be at least 1".into());
        }
        if !(self.learning_rate > 0.0 && self.learning_rate.is_finite()) {
            return bad(
                "learning_rate",
                format!("{} (must be > 0)", self.learning_rate),
            );
        }
        if !(0.0..1.0).contains(&self.momentum) {
            return bad("momentum", format!("{} (must be in [0, 1))", self.momentum));
        }
        if !(self.weight_prior >= 0.0 && self.weight_prior.is_finite()) {
            return bad(
                "weight_prior",
                format!("{} (must be >= 0)", self.weight_prior),
            );
        }
        if self.epochs == 0 {
            return bad("epochs", "0 (must be at least 1)".into());
        }
        if self.warmup_epochs.is_nan() || self.warmup_epochs < 0.0 {
            return bad(
                "warmup_epochs",
                format!("{} (must be >= 0)", self.warmup_epochs),
            );
        }
        if self.warmup_epochs > self.epochs as f64 {
            return bad(
                "warmup_epochs",
                format!(
                    "{} (more than the {} epochs)",
                    self.warmup_epochs, self.epochs
                ),
            );
        }
        if !(self.backbone_learning_rate_factor >= 0.0
            && self.backbone_learning_rate_factor.is_finite())
        {
            return bad(
                "backbone_learning_rate_factor",
                format!("{} (must be >= 0)", self.backbone_learning_rate_factor),
            );
        }
        if self.evaluation_interval_epochs == 0 {
            return bad("evaluation_interval_epochs", "must be at least 1".into());
        }
        if !(0.0..=100.0).contains(&self.augmentation.percentage) {
            return bad(
                "augmentation.percentage",
                format!("{} (must be in [0, 100])", self.augmentation.percentage),
            );
        }
        self.model_type.method().validate_params(self)?;
        crate::device::parse_device(&self.device).map(|_| ())
    }

    /// These parameters with the method's own parameters added at their defaults.
    fn with_method_defaults(mut self) -> Self {
        self.complete_method_params();
        self
    }

    /// Adds the method's own parameters that are missing (a model file written before the
    /// method had them) with their defaults.
    pub fn complete_method_params(&mut self) {
        for (name, value) in self.model_type.method().extra_params() {
            self.method_params.entry(name).or_insert(value);
        }
    }

    /// All parameter names, with `augmentation.*` for the augmentation fields.
    pub fn names(&self) -> Vec<String> {
        let Value::Object(map) = serde_json::to_value(self).expect("params serialise") else {
            unreachable!("ModelParams serialises to an object")
        };
        let mut names = Vec::new();
        for (key, value) in map {
            match value {
                Value::Object(inner) if key == "augmentation" => {
                    names.extend(inner.keys().map(|k| format!("{key}.{k}")))
                }
                _ => names.push(key),
            }
        }
        names.extend(["image_mean".to_string(), "image_std".to_string()]);
        names.extend(self.model_type.method().extra_params().keys().cloned());
        names.sort();
        names.dedup();
        names
    }

    /// Reads a parameter by name as JSON.
    pub fn get(&self, name: &str) -> Result<Value> {
        let value = serde_json::to_value(self).expect("params serialise");
        let found = match name.split_once('.') {
            Some((outer, inner)) => value.get(outer).and_then(|v| v.get(inner)),
            None => value.get(name),
        };
        match found {
            Some(v) => Ok(v.clone()),
            None if self.names().iter().any(|n| n == name) => Ok(Value::Null),
            None => Err(self.unknown(name)),
        }
    }

    /// Sets a parameter by name from JSON (or from text, which is tried as JSON first and
    /// taken as a string otherwise), then validates all parameters. On error nothing changes.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        self.set_all(&[(name, value)])
    }

    /// Sets several parameters (as [`set`](Self::set) does), then validates them together,
    /// so parameters that belong together (`image_mean` and `image_std`) can change at once.
    /// On error nothing changes.
    pub fn set_all(&mut self, assignments: &[(&str, &str)]) -> Result<()> {
        let names = self.names();
        let mut all = serde_json::to_value(&*self).expect("params serialise");
        for &(name, value) in assignments {
            if !names.iter().any(|n| n == name) {
                return Err(self.unknown(name));
            }
            let new_value: Value =
                serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_string()));
            let slot = match name.split_once('.') {
                Some((outer, inner)) => &mut all[outer][inner],
                None => &mut all[name],
            };
            *slot = new_value;
            serde_json::from_value::<ModelParams>(all.clone()).map_err(|e| Error::BadParam {
                name: name.into(),
                message: format!("'{value}': {e}"),
            })?;
        }
        let candidate: ModelParams = serde_json::from_value(all).expect("checked above");
        candidate.validate()?;
        *self = candidate;
        Ok(())
    }

    fn unknown(&self, name: &str) -> Error {
        Error::UnknownParam {
            name: name.into(),
            known: self.names().join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> ModelParams {
        ModelParams::classification(BackboneKind::Compact, vec!["a".into(), "b".into()])
    }

    #[test]
    fn get_and_set_round_trip() {
        let mut p = params();
        p.set("learning_rate", "0.5").unwrap();
        assert_eq!(p.get("learning_rate").unwrap(), serde_json::json!(0.5));
        p.set("solver_type", "adam").unwrap();
        assert_eq!(p.solver_type, SolverType::Adam);
        p.set("augmentation.mirror", "hv").unwrap();
        assert_eq!(
            p.get("augmentation.mirror").unwrap(),
            serde_json::json!("hv")
        );
        p.set("image_mean", "[0.5]").unwrap_err();
        assert!(p.image_mean.is_none(), "a failed set changes nothing");
        p.set_all(&[("image_mean", "[0.5]"), ("image_std", "[0.25]")])
            .unwrap();
        assert_eq!(p.image_mean, Some(vec![0.5]));
    }

    #[test]
    fn unknown_and_bad_values_are_named() {
        let mut p = params();
        let e = p.set("learning_rat", "0.1").unwrap_err().to_string();
        assert!(
            e.contains("learning_rat") && e.contains("learning_rate"),
            "{e}"
        );
        let e = p.set("momentum", "1.5").unwrap_err().to_string();
        assert!(e.contains("momentum"), "{e}");
        let e = p.set("solver_type", "rmsprop").unwrap_err().to_string();
        assert!(e.contains("solver_type") && e.contains("rmsprop"), "{e}");
        let e = p.set("batch_size", "-3").unwrap_err().to_string();
        assert!(e.contains("batch_size"), "{e}");
        let e = p.set("device", "tpu").unwrap_err().to_string();
        assert!(e.contains("tpu"), "{e}");
        assert_eq!(p, params());
    }

    #[test]
    fn a_name_the_method_does_not_know_is_refused() {
        let anomaly = ModelParams::anomaly_detection(BackboneKind::ResNet18);
        let mut json = serde_json::to_value(anomaly).unwrap();
        json["coreset_fractoin"] = serde_json::json!(0.1);
        let read: ModelParams = serde_json::from_value(json).unwrap();
        let e = read.validate().unwrap_err().to_string();
        assert!(
            e.contains("coreset_fractoin") && e.contains("coreset_fraction"),
            "{e}"
        );
        let e = params()
            .set("instance_type", "mask")
            .unwrap_err()
            .to_string();
        assert!(e.contains("instance_type"), "{e}");
    }

    #[test]
    fn method_parameters_are_set_by_name_and_checked() {
        let mut p = ModelParams::detection(BackboneKind::ResNet18, vec!["a".into(), "b".into()]);
        assert_eq!(p.get("capacity").unwrap(), serde_json::json!("medium"));
        p.set("capacity", "low").unwrap();
        assert_eq!(p.get("capacity").unwrap(), serde_json::json!("low"));
        let e = p.set("capacity", "huge").unwrap_err().to_string();
        assert!(e.contains("capacity") && e.contains("huge"), "{e}");
        let e = p.set("min_confidence", "[0.5]").unwrap_err().to_string();
        assert!(
            e.contains("min_confidence") && e.contains("2 classes"),
            "{e}"
        );
        p.set("min_confidence", "[0.5, 0.7]").unwrap();
        assert_eq!(p.get("capacity").unwrap(), serde_json::json!("low"));
    }
}
