//! [`ParamOverrides`]: the hyperparameters a user gives for a training run (the `kestrel
//! train` options), applied over a method's defaults.

use crate::error::{Error, Result};
use crate::params::{LearningRateSchedule, ModelParams, SolverType};
use kestrel_image::AugmentParams;
use std::str::FromStr;

/// Values that replace a model's defaults; `None` keeps the default.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParamOverrides {
    /// `epochs`.
    pub epochs: Option<usize>,
    /// `batch_size`.
    pub batch_size: Option<usize>,
    /// `learning_rate`.
    pub learning_rate: Option<f64>,
    /// `solver_type`.
    pub solver_type: Option<SolverType>,
    /// `momentum`.
    pub momentum: Option<f64>,
    /// `weight_prior`.
    pub weight_prior: Option<f64>,
    /// `image_width` and `image_height`.
    pub image_size: Option<(u32, u32)>,
    /// `image_num_channels`; 1 averages a per-channel `image_mean`/`image_std`.
    pub image_num_channels: Option<u32>,
    /// `learning_rate_schedule`.
    pub learning_rate_schedule: Option<LearningRateSchedule>,
    /// `warmup_epochs`.
    pub warmup_epochs: Option<f64>,
    /// Turn on moderate augmentation ([`AugmentParams::moderate`]).
    pub augment: bool,
    /// `device`.
    pub device: Option<String>,
    /// Any parameter by name (`NAME`, `VALUE` as for [`ModelParams::set`]), applied last.
    pub set: Vec<(String, String)>,
}

impl ParamOverrides {
    /// Applies the overrides to `params` and validates the result; the first bad value is
    /// reported by its parameter name.
    pub fn apply(&self, params: &mut ModelParams) -> Result<()> {
        let p = params;
        if let Some(v) = self.epochs {
            p.epochs = v;
        }
        if let Some(v) = self.batch_size {
            p.batch_size = v;
        }
        if let Some(v) = self.learning_rate {
            p.learning_rate = v;
        }
        if let Some(v) = self.solver_type {
            p.solver_type = v;
        }
        if let Some(v) = self.momentum {
            p.momentum = v;
        }
        if let Some(v) = self.weight_prior {
            p.weight_prior = v;
        }
        if let Some((w, h)) = self.image_size {
            (p.image_width, p.image_height) = (w, h);
        }
        if let Some(c) = self.image_num_channels {
            p.image_num_channels = c;
            if c == 1 {
                let average = |v: &Vec<f32>| vec![v.iter().sum::<f32>() / v.len() as f32];
                p.image_mean = p.image_mean.as_ref().map(average);
                p.image_std = p.image_std.as_ref().map(average);
            }
        }
        if let Some(s) = &self.learning_rate_schedule {
            p.learning_rate_schedule = s.clone();
        }
        if let Some(v) = self.warmup_epochs {
            p.warmup_epochs = v;
        }
        if self.augment {
            p.augmentation = AugmentParams::moderate();
        }
        if let Some(d) = &self.device {
            p.device = d.clone();
        }
        p.validate()?;
        let assignments: Vec<(&str, &str)> = self
            .set
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        p.set_all(&assignments)
    }
}

/// Parses `NAME=VALUE` (as `--set` takes it).
pub fn parse_assignment(text: &str) -> Result<(String, String)> {
    text.split_once('=')
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .ok_or_else(|| Error::BadParam {
            name: text.into(),
            message: "expected NAME=VALUE".into(),
        })
}

/// Parses an image size `WxH` (e.g. `224x224`).
pub fn parse_image_size(text: &str) -> Result<(u32, u32)> {
    text.split_once(['x', 'X'])
        .and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)))
        .ok_or_else(|| Error::BadParam {
            name: "image_width".into(),
            message: format!("'{text}': expected WxH, e.g. 224x224"),
        })
}

impl FromStr for LearningRateSchedule {
    type Err = Error;

    /// `constant`, `cosine`, or `steps:E=F,E=F` (from epoch E on, the learning rate times F).
    fn from_str(text: &str) -> Result<Self> {
        let bad = |message: &str| Error::BadParam {
            name: "learning_rate_schedule".into(),
            message: format!("'{text}': {message}"),
        };
        match text {
            "constant" => Ok(Self::Constant),
            "cosine" => Ok(Self::Cosine),
            _ => {
                let list = text
                    .strip_prefix("steps:")
                    .ok_or_else(|| bad("expected constant, cosine or steps:E=F,E=F"))?;
                let steps = list
                    .split(',')
                    .map(|pair| {
                        let (e, f) = pair.split_once('=')?;
                        Some((e.trim().parse().ok()?, f.trim().parse().ok()?))
                    })
                    .collect::<Option<Vec<(f64, f64)>>>()
                    .ok_or_else(|| bad("each step is EPOCH=FACTOR"))?;
                Ok(Self::Steps { steps })
            }
        }
    }
}
