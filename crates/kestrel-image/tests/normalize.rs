//! Normalization to a network's input range, and the parameter types' serde forms.

use kestrel_image::{ImageF32, Normalization, PreprocessParams, normalize_chw};

/// 2x1 RGB image: pixel 0 = (0, 0.5, 1), pixel 1 = (0.25, 0.75, 0.2).
fn two_pixels() -> ImageF32 {
    ImageF32 {
        width: 2,
        height: 1,
        channels: 3,
        data: vec![0.0, 0.5, 1.0, 0.25, 0.75, 0.2],
    }
}

#[test]
fn range_maps_linearly_and_output_is_planar() {
    let out = normalize_chw(
        &two_pixels(),
        &Normalization::Range {
            min: -1.0,
            max: 1.0,
        },
    );
    // CHW: R plane, G plane, B plane.
    assert_eq!(out, vec![-1.0, -0.5, 0.0, 0.5, 1.0, 0.2 * 2.0 - 1.0]);
    let unit = normalize_chw(&two_pixels(), &Normalization::unit());
    assert_eq!(unit, vec![0.0, 0.25, 0.5, 0.75, 1.0, 0.2]);
    let bytes = normalize_chw(
        &two_pixels(),
        &Normalization::Range {
            min: 0.0,
            max: 255.0,
        },
    );
    assert_eq!(bytes, vec![0.0, 63.75, 127.5, 191.25, 255.0, 0.2 * 255.0]);
}

#[test]
fn mean_std_standardizes_per_channel() {
    let norm = Normalization::MeanStd {
        mean: vec![0.5, 0.25, 0.0],
        std: vec![0.5, 0.25, 2.0],
    };
    let out = normalize_chw(&two_pixels(), &norm);
    assert_eq!(out, vec![-1.0, -0.5, 1.0, 2.0, 0.5, 0.1]);

    let imagenet = normalize_chw(&two_pixels(), &Normalization::imagenet());
    let want = [
        (0.0 - 0.485) / 0.229,
        (0.25 - 0.485) / 0.229,
        (0.5 - 0.456) / 0.224,
        (0.75 - 0.456) / 0.224,
        (1.0 - 0.406) / 0.225,
        (0.2 - 0.406) / 0.225,
    ];
    assert_eq!(imagenet, want.to_vec());
}

#[test]
fn single_mean_std_value_applies_to_all_channels() {
    let norm = Normalization::MeanStd {
        mean: vec![0.5],
        std: vec![0.25],
    };
    assert_eq!(
        normalize_chw(&two_pixels(), &norm),
        vec![-2.0, -1.0, 0.0, 1.0, 2.0, -1.2]
    );
    assert!(norm.validate(3).is_ok());
}

#[test]
fn validate_rejects_unusable_normalizations() {
    let bad = [
        Normalization::Range { min: 1.0, max: 1.0 },
        Normalization::Range {
            min: f32::NAN,
            max: 1.0,
        },
        Normalization::MeanStd {
            mean: vec![0.0, 0.0],
            std: vec![1.0],
        },
        Normalization::MeanStd {
            mean: vec![0.0],
            std: vec![0.0],
        },
    ];
    for norm in bad {
        assert!(norm.validate(3).is_err(), "{norm:?}");
    }
}

#[test]
fn params_serde_round_trip_and_stable_keys() {
    let p = PreprocessParams {
        width: 224,
        height: 224,
        num_channels: 3,
        normalization: Normalization::imagenet(),
    };
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains(r#""kind":"mean_std""#), "{json}");
    let back: PreprocessParams = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.key(), p.key());
    assert_eq!(p.resize_key(), "224x224x3");
    let range: Normalization =
        serde_json::from_str(r#"{"kind":"range","min":-1,"max":1}"#).unwrap();
    assert_eq!(
        range,
        Normalization::Range {
            min: -1.0,
            max: 1.0
        }
    );
    // Different normalization: same resize key, different full key.
    let q = PreprocessParams {
        normalization: range,
        ..p.clone()
    };
    assert_eq!(q.resize_key(), p.resize_key());
    assert_ne!(q.key(), p.key());
    let mut set = std::collections::HashSet::new();
    set.insert(p.key());
    set.insert(back.key());
    assert_eq!(set.len(), 1);
}
