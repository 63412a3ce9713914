//! A hint for the errors users most often meet.

use kestrel::Error;

/// What to try next for `error`, when there is something useful to say.
pub fn hint_for(error: &anyhow::Error) -> Option<&'static str> {
    if let Some(e) = error.downcast_ref::<Error>() {
        return Some(match e {
            Error::UnknownParam { .. } | Error::BadParam { .. } => {
                "`kestrel model info MODEL` lists every parameter with its value"
            }
            Error::ModelFile { .. } => {
                "is this a model written by `kestrel train`? (an ONNX file without Kestrel metadata needs --image-size and --class-names)"
            }
            Error::AlreadyExists { .. } => "pass --force to replace it, or choose another --out",
            Error::Device { .. } => "`kestrel devices` lists the devices of this build",
            Error::Data(_) => "`kestrel dataset validate DATASET.json` lists every problem",
            Error::Interrupted { .. } => "run the same command again with --resume",
            _ => return None,
        });
    }
    match error.downcast_ref::<kestrel::data::DataError>() {
        Some(kestrel::data::DataError::Import(_)) => {
            return Some("`kestrel dataset import --help` lists the formats of each kind");
        }
        Some(_) => {
            return Some(
                "check the path; `kestrel dataset validate DATASET.json` lists every problem",
            );
        }
        None => {}
    }
    None
}
