//! `kestrel evaluate`.

use super::checked::checked_dataset;
use super::output::check_output;
use crate::cli::EvaluateArgs;
use anyhow::{Result, anyhow};
use kestrel::Model;
use kestrel::data::Split;

/// Evaluates a model on a split with its method's measures, writes the JSON and pictures,
/// prints a summary.
pub fn run(args: &EvaluateArgs) -> Result<()> {
    let split: Split = args.split.parse().map_err(|e| anyhow!("--split {e}"))?;
    check_output(&args.out, args.force, &[&args.model, &args.dataset])?;
    let model = Model::load(&args.model)?;
    let dataset = checked_dataset(&args.dataset, "evaluating")?;
    let report = model.evaluate(&dataset, split, args.batch_size)?;
    let written = report.write(&args.out, &model)?;
    println!("{}", report.summary());
    match written.first() {
        Some(first) => println!(
            "written: {} and {} picture(s) ({})",
            args.out.display(),
            written.len(),
            first.display()
        ),
        None => println!("written: {}", args.out.display()),
    }
    Ok(())
}
