//! `kestrel model info|set`.

use crate::cli::ModelCommand;
use anyhow::{Context, Result};
use kestrel::Model;

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
