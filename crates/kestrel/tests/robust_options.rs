//! Robustness of the option texts a user types (`--image-size`, `--lr-schedule`, `--set
//! NAME=VALUE`, `kestrel model set`): seeded random mutations of valid texts and random
//! bytes give an error or parameters that validate, never a panic (see
//! `kestrel-data/tests/common/mutate.rs`).

#[path = "../../kestrel-data/tests/common/mutate.rs"]
mod mutate;

use kestrel::nn::BackboneKind;
use kestrel::{LearningRateSchedule, ModelParams, parse_assignment, parse_image_size};
use mutate::for_mutations;

/// Mutated cases per valid text.
const CASES: u64 = 300;

fn params() -> ModelParams {
    ModelParams::classification(BackboneKind::ResNet18, vec!["a".into(), "b".into()])
}

#[test]
fn mutated_image_sizes_and_schedules_give_an_error_or_a_valid_value() {
    for_mutations("--image-size", &[b"224x224", b"640X480"], CASES, |text| {
        let text = String::from_utf8_lossy(text);
        let Ok((w, h)) = parse_image_size(&text) else {
            return false;
        };
        let mut p = params();
        (p.image_width, p.image_height) = (w, h);
        // Any size parses; validation bounds it.
        p.validate().is_ok()
    });
    let schedules: [&[u8]; 3] = [b"cosine", b"constant", b"steps:10=0.1,20=0.01"];
    for_mutations("--lr-schedule", &schedules, CASES, |text| {
        let text = String::from_utf8_lossy(text);
        let Ok(schedule) = text.parse::<LearningRateSchedule>() else {
            return false;
        };
        let mut p = params();
        p.learning_rate_schedule = schedule;
        p.validate().is_ok()
    });
}

#[test]
fn mutated_assignments_give_an_error_or_valid_parameters() {
    let valid: [&[u8]; 6] = [
        b"learning_rate=0.5",
        b"augmentation.mirror=hv",
        b"image_mean=[0.5,0.5,0.5]",
        b"class_names=[\"x\",\"y\"]",
        b"solver_type=adam",
        b"image_range_min=-1",
    ];
    let accepted = for_mutations("--set", &valid, CASES, |text| {
        let text = String::from_utf8_lossy(text);
        let Ok((name, value)) = parse_assignment(&text) else {
            return false;
        };
        let mut p = params();
        let before = p.clone();
        match p.set(&name, &value) {
            Ok(()) => {
                p.validate().unwrap();
                true
            }
            Err(e) => {
                assert_eq!(p, before, "a failed set changed the parameters");
                assert!(!e.to_string().is_empty());
                false
            }
        }
    });
    assert!(accepted > 0, "no mutated assignment was accepted");
}
