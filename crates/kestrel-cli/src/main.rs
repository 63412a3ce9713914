//! `kestrel`: deep learning for machine vision from the command line.

mod cli;
mod commands;
mod hint;

use clap::Parser;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KESTREL_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = cli::Cli::parse();
    if let Err(error) = commands::run(cli) {
        eprintln!("error: {error}");
        for cause in error.chain().skip(1) {
            eprintln!("  caused by: {cause}");
        }
        if let Some(hint) = hint::hint_for(&error) {
            eprintln!("hint: {hint}");
        }
        std::process::exit(1);
    }
}
