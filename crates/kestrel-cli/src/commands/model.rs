//! `kestrel model info|set`.

use crate::cli::ModelCommand;
use anyhow::{Context, Result};
use kestrel::pretrained::{import_torchvision, read_class_names};
use kestrel::{Model, ModelParams};

/// Runs a model command.
pub fn run(cmd: ModelCommand) -> Result<()> {
    match cmd {
        ModelCommand::Info { model } => {
            let m = Model::load(&model)?;
            println!("{}", model.display());
            println!("parameters (trainable scalars): {}", m.num_parameters());
            for name in m.params.names() {
                println!(
                    "  {name} = {}",
                    abbreviated(&m.params.get(&name)?.to_string())
                );
            }
            Ok(())
        }
        ModelCommand::Create {
            pretrained,
            backbone,
            class_names,
            out,
            force,
        } => {
            let model = match (pretrained, backbone, class_names) {
                (Some(name), _, _) => super::load_pretrained(&name)?,
                (None, Some(backbone), Some(names)) => {
                    Model::new(ModelParams::classification(backbone.parse()?, names))?
                }
                _ => anyhow::bail!("give --pretrained NAME, or --backbone with --class-names"),
            };
            model.save(&out, force)?;
            println!(
                "written {} ({} {}, {} classes, {} parameters)",
                out.display(),
                model.params.backbone,
                model.params.model_type,
                model.params.class_names.len(),
                model.num_parameters()
            );
            Ok(())
        }
        ModelCommand::Import {
            torchvision,
            backbone,
            class_names,
            image_size,
            out,
            force,
        } => {
            let names = read_class_names(&class_names)?;
            let mut params = ModelParams::classification(backbone.parse()?, names);
            (params.image_width, params.image_height) = kestrel::parse_image_size(&image_size)?;
            let model = import_torchvision(Model::new(params)?, &torchvision)?;
            model.save(&out, force)?;
            println!("imported {} -> {}", torchvision.display(), out.display());
            Ok(())
        }
        ModelCommand::ImportOcr {
            recognizer,
            detector,
            alphabet,
            no_space,
            image_size,
            out,
            force,
        } => {
            let alphabet = match &alphabet {
                Some(file) => kestrel::ocr::read_alphabet(file, !no_space)?,
                None => Vec::new(),
            };
            let (width, height) = kestrel::parse_image_size(&image_size)?;
            let files = kestrel::ocr::OnnxOcrFiles {
                recognizer: recognizer.as_deref(),
                alphabet,
                detector: detector.as_deref(),
                height,
                width,
            };
            let model = kestrel::ocr::ocr_model_from_onnx(&files)?;
            model.save(&out, force)?;
            println!(
                "written {} (deep_ocr: {}{}, {} parameters)",
                out.display(),
                if detector.is_some() { "detector " } else { "" },
                if recognizer.is_some() {
                    "recogniser"
                } else {
                    ""
                },
                model.num_parameters()
            );
            Ok(())
        }
        ModelCommand::Set {
            model,
            assignments,
            out,
            force,
        } => {
            let m = Model::load(&model)?;
            let pairs = assignments
                .iter()
                .map(|a| {
                    a.split_once('=')
                        .map(|(name, value)| (name.trim(), value.trim()))
                        .with_context(|| format!("'{a}': expected NAME=VALUE"))
                })
                .collect::<Result<Vec<_>>>()?;
            let mut params = m.params.clone();
            params.set_all(&pairs)?;
            m.with_params(params)?.save(&out, force)?;
            println!("written {}", out.display());
            Ok(())
        }
    }
}

/// Parameter values longer than this many characters are shown by their length only.
const MAX_SHOWN: usize = 200;

/// A parameter value for printing: long ones (an alphabet, a network graph) shortened.
fn abbreviated(value: &str) -> String {
    if value.chars().count() <= MAX_SHOWN {
        return value.to_string();
    }
    let head: String = value.chars().take(60).collect();
    format!("{head}… ({} characters)", value.chars().count())
}
