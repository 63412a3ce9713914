//! A hint for the errors users most often meet, chosen by what went wrong.

use kestrel::Error;
use kestrel::data::DataError;
use std::path::Path;

/// What to try next for `error`, when there is something useful to say.
pub fn hint_for(error: &anyhow::Error) -> Option<&'static str> {
    if let Some(e) = error.downcast_ref::<Error>() {
        return match e {
            Error::UnknownParam { .. } | Error::BadParam { .. } => {
                Some("`kestrel model info MODEL` lists every parameter with its value")
            }
            Error::ModelFile { path, .. } => Some(model_file_hint(path)),
            Error::AlreadyExists { .. } => {
                Some("pass --force to replace it, or choose another --out")
            }
            Error::Device { .. } => Some("`kestrel devices` lists the devices of this build"),
            Error::Data(e) => data_hint(e),
            Error::Interrupted { epoch: 0 } => Some("run the same command again"),
            Error::Interrupted { .. } => Some("run the same command again with --resume"),
            Error::Locked { .. } => Some("wait for it to finish, or give this run another --out"),
            _ => None,
        };
    }
    error.downcast_ref::<DataError>().and_then(data_hint)
}

/// The hint for a model file that could not be read: an ONNX file, a training checkpoint,
/// or anything else.
fn model_file_hint(path: &Path) -> &'static str {
    let is_onnx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("onnx"));
    let in_run = path
        .parent()
        .and_then(Path::file_name)
        .is_some_and(|f| f.to_string_lossy().ends_with(".training"));
    if is_onnx {
        "an ONNX classifier runs with `kestrel infer --model FILE.onnx` (add --image-size and --class-names when it has no Kestrel metadata)"
    } else if in_run {
        "the training checkpoint is damaged: train again without --resume"
    } else {
        "give a model written by `kestrel train` (`kestrel model info FILE` reads one)"
    }
}

/// The hint for a dataset error: the path for a file that cannot be read, the formats for
/// an import, `validate` for problems in the data.
fn data_hint(error: &DataError) -> Option<&'static str> {
    Some(match error {
        DataError::Io { .. } | DataError::NoImages { .. } => "check the path",
        DataError::Import(_) => "`kestrel dataset import --help` lists the formats of each kind",
        DataError::AlreadyExists { .. } => "pass --force to replace it, or choose another --out",
        DataError::InvalidSplit(_) => "`kestrel dataset split --help` shows how to give the split",
        DataError::Json { .. }
        | DataError::Format { .. }
        | DataError::Problems { .. }
        | DataError::InvalidSample { .. } => {
            "`kestrel dataset validate DATASET.json` lists every problem"
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn model_error(path: &str) -> anyhow::Error {
        Error::ModelFile {
            path: PathBuf::from(path),
            message: "damaged".into(),
        }
        .into()
    }

    #[test]
    fn hints_fit_the_error() {
        let onnx = hint_for(&model_error("m.onnx")).unwrap();
        assert!(onnx.contains("ONNX"), "{onnx}");
        let checkpoint = hint_for(&model_error("runs/m.training/checkpoint.kmodel")).unwrap();
        assert!(checkpoint.contains("checkpoint") && !checkpoint.contains("ONNX"));
        let plain = hint_for(&model_error("m.kmodel")).unwrap();
        assert!(!plain.contains("ONNX"), "{plain}");
        let missing: anyhow::Error = DataError::Io {
            path: PathBuf::from("x.json"),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        }
        .into();
        assert_eq!(hint_for(&missing), Some("check the path"));
        let bad_sample: anyhow::Error = DataError::InvalidSample {
            image_id: 1,
            field: "bbox_row1".into(),
            message: "missing".into(),
        }
        .into();
        assert!(!hint_for(&bad_sample).unwrap().contains("path"));
    }
}
