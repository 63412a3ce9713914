//! One module per command.

mod checked;
mod count;
mod dataset;
mod demo;
mod evaluate;
mod infer;
mod model;
mod ocr;
mod output;
mod render;
mod train;
mod unreadable;

use crate::cli::{Cli, Command, ExportCommand};
use anyhow::Result;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    if let Some(threads) = cli.threads {
        kestrel::device::set_cpu_threads(threads)?;
    }
    match cli.command {
        Command::Dataset(cmd) => dataset::run(cmd),
        Command::Train(args) => train::run(&args).map(|_| ()),
        Command::Evaluate(args) => evaluate::run(&args),
        Command::Infer(args) => infer::run(&args),
        Command::Ocr(args) => ocr::run(&args),
        Command::Count(args) => count::run(&args),
        Command::Methods => {
            for method in kestrel::registry::methods() {
                println!("{:<28} {}", method.name(), method.description());
            }
            Ok(())
        }
        Command::Devices { json } => devices(json),
        Command::Model(cmd) => model::run(cmd),
        Command::Demo { out, epochs } => demo::run(&out, epochs),
        Command::Export(ExportCommand::Onnx { model, out, force }) => {
            let m = kestrel::Model::load(&model)?;
            kestrel::onnx::export_onnx(&m, &out, force)?;
            println!("exported {} -> {}", model.display(), out.display());
            Ok(())
        }
    }
}

/// A pretrained model: a shipped name (`mobilenet_v2`) or a model file.
pub(crate) fn load_pretrained(name_or_file: &str) -> Result<kestrel::Model> {
    let path = std::path::Path::new(name_or_file);
    let path = if path.is_file() {
        path.to_path_buf()
    } else {
        kestrel::pretrained::shipped_model_path(name_or_file)?
    };
    Ok(kestrel::Model::load(&path)?)
}

fn devices(json: bool) -> Result<()> {
    let devices = kestrel::device::available_devices();
    if json {
        println!("{}", serde_json::to_string_pretty(&devices)?);
    } else {
        println!("{:<8} {:<5} {:<9} description", "name", "kind", "backend");
        for d in devices {
            println!(
                "{:<8} {:<5} {:<9} {}",
                d.name, d.kind, d.backend, d.description
            );
        }
    }
    Ok(())
}
