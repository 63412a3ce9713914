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
                println!("  {name} = {}", m.params.get(&name)?);
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
        ModelCommand::Set {
            model,
            assignments,
            out,
            force,
        } => {
            let mut m = Model::load(&model)?;
            for a in &assignments {
                let (name, value) = a
                    .split_once('=')
                    .with_context(|| format!("'{a}': expected NAME=VALUE"))?;
                m.params.set(name.trim(), value.trim())?;
            }
            m.save(&out, force)?;
            println!("written {}", out.display());
            Ok(())
        }
    }
}
