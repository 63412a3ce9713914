//! Helpers shared by the integration tests: the shared-data folder, the recorded
//! ONNX Runtime references in `tests/fixtures/` and the inputs they were made from.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The real-data folder from `KESTREL_SHARED` (relative values from the workspace root),
/// or `None` after printing `skipped: KESTREL_SHARED not set`.
pub fn shared() -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir
}

/// One reference output recorded with ONNX Runtime by `tests/fixtures/make_reference.py`.
pub struct Reference {
    /// Model file, relative to the shared folder.
    pub model: String,
    /// ONNX name of the (single) input.
    pub input_name: String,
    /// How the input was made: `sin`, `page` or `astronaut` (see [`make_input`]).
    pub input_kind: String,
    /// Input shape.
    pub input_shape: Vec<usize>,
    /// ONNX name of the first output.
    pub output_name: String,
    /// Shape of the first output.
    pub output_shape: Vec<usize>,
    /// The first output, row-major.
    pub values: Vec<f32>,
}

/// Reads `tests/fixtures/<name>.json` and its `.bin`.
pub fn reference(name: &str) -> Reference {
    // Also used by kestrel-nn's graph tests, so the path names this crate.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kestrel-onnx/tests/fixtures");
    let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&text).unwrap();
    let s = |k: &str| meta[k].as_str().unwrap().to_string();
    let dims = |k: &str| -> Vec<usize> {
        meta[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap() as usize)
            .collect()
    };
    let bytes = std::fs::read(dir.join(s("output_file"))).unwrap();
    let values: Vec<f32> = bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let output_shape = dims("output_shape");
    assert_eq!(
        values.len(),
        output_shape.iter().product::<usize>(),
        "{name}: fixture size"
    );
    Reference {
        model: s("model"),
        input_name: s("input_name"),
        input_kind: s("input_kind"),
        input_shape: dims("input_shape"),
        output_name: s("output_name"),
        output_shape,
        values,
    }
}

/// ImageNet mean and standard deviation (RGB).
pub const MEAN: [f32; 3] = [0.485, 0.456, 0.406];
/// See [`MEAN`].
pub const STD: [f32; 3] = [0.229, 0.224, 0.225];

/// Rebuilds the input a reference was recorded with, exactly as `make_reference.py` does.
pub fn make_input(shared: &Path, kind: &str, shape: &[usize]) -> Vec<f32> {
    let n: usize = shape.iter().product();
    match kind {
        "sin" => (0..n).map(|i| ((i as f64) * 0.01).sin() as f32).collect(),
        "page" => {
            // Grey page.png, rows 0..h, columns 0..w, ImageNet-normalised, NCHW.
            let img = image::open(shared.join("data/images/page.png"))
                .unwrap()
                .to_luma8();
            let (h, w) = (shape[2], shape[3]);
            let mut x = Vec::with_capacity(n);
            for c in 0..3 {
                for y in 0..h {
                    for col in 0..w {
                        let p = img.get_pixel(col as u32, y as u32)[0] as f32;
                        x.push((p / 255.0 - MEAN[c]) / STD[c]);
                    }
                }
            }
            x
        }
        "astronaut" => {
            // RGB astronaut.png, every second row and column, /255, NHWC.
            let img = image::open(shared.join("data/images/astronaut.png"))
                .unwrap()
                .to_rgb8();
            let (h, w) = (shape[1], shape[2]);
            let mut x = Vec::with_capacity(n);
            for y in 0..h {
                for col in 0..w {
                    let p = img.get_pixel(2 * col as u32, 2 * y as u32);
                    x.extend(p.0.iter().map(|&v| v as f32 / 255.0));
                }
            }
            x
        }
        other => panic!("unknown input kind {other}"),
    }
}

/// The largest absolute difference between two equally long slices.
pub fn max_abs_diff(a: &[f32], b: &[f32]) -> f32 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// The index of the largest value.
pub fn argmax(v: &[f32]) -> usize {
    v.iter()
        .enumerate()
        .fold(0, |best, (i, &x)| if x > v[best] { i } else { best })
}

/// Path of a model under the shared folder.
pub fn model_path(shared: &Path, rel: &str) -> PathBuf {
    shared.join(rel)
}
