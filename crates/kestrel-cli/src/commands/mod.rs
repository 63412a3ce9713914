//! One module per command.

mod dataset;
mod demo;
mod evaluate;
mod infer;
mod model;
mod train;

use crate::cli::{Cli, Command};
use anyhow::Result;

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Dataset(cmd) => dataset::run(cmd),
        Command::Train(args) => train::run(&args).map(|_| ()),
        Command::Evaluate(args) => evaluate::run(&args).map(|_| ()),
        Command::Infer(args) => infer::run(&args),
        Command::Devices { json } => devices(json),
        Command::Model(cmd) => model::run(cmd),
        Command::Demo { out, epochs } => demo::run(&out, epochs),
    }
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
