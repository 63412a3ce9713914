//! The learning rate at a point in training: schedule times warm-up.

use crate::params::{LearningRateSchedule, ModelParams};

/// The learning rate at `epoch` (fractional: 2.5 is halfway through the third epoch).
pub fn learning_rate_at(params: &ModelParams, epoch: f64) -> f64 {
    let base = params.learning_rate;
    let factor = match &params.learning_rate_schedule {
        LearningRateSchedule::Constant => 1.0,
        LearningRateSchedule::Cosine => {
            let t = (epoch / params.epochs.max(1) as f64).clamp(0.0, 1.0);
            0.5 * (1.0 + (std::f64::consts::PI * t).cos())
        }
        LearningRateSchedule::Steps { steps } => steps
            .iter()
            .filter(|(at, _)| epoch >= *at)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map_or(1.0, |(_, f)| *f),
    };
    let warmup = if params.warmup_epochs > 0.0 && epoch < params.warmup_epochs {
        (epoch / params.warmup_epochs).max(0.01)
    } else {
        1.0
    };
    base * factor * warmup
}

#[cfg(test)]
mod tests {
    use super::*;
    use kestrel_nn::BackboneKind;

    fn params(schedule: LearningRateSchedule) -> ModelParams {
        let mut p = ModelParams::classification(BackboneKind::Compact, vec!["a".into()]);
        p.learning_rate = 0.1;
        p.epochs = 10;
        p.learning_rate_schedule = schedule;
        p
    }

    #[test]
    fn cosine_goes_from_full_to_zero() {
        let p = params(LearningRateSchedule::Cosine);
        assert!((learning_rate_at(&p, 0.0) - 0.1).abs() < 1e-12);
        assert!((learning_rate_at(&p, 5.0) - 0.05).abs() < 1e-12);
        assert!(learning_rate_at(&p, 10.0).abs() < 1e-12);
    }

    #[test]
    fn steps_and_warmup() {
        let mut p = params(LearningRateSchedule::Steps {
            steps: vec![(4.0, 0.1), (8.0, 0.01)],
        });
        assert_eq!(learning_rate_at(&p, 3.9), 0.1);
        assert!((learning_rate_at(&p, 4.0) - 0.01).abs() < 1e-12);
        assert!((learning_rate_at(&p, 9.0) - 0.001).abs() < 1e-12);
        p.warmup_epochs = 2.0;
        assert!((learning_rate_at(&p, 1.0) - 0.05).abs() < 1e-12);
    }
}
