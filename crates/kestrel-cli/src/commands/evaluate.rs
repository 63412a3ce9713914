//! `kestrel evaluate`.

use crate::cli::EvaluateArgs;
use anyhow::{Result, bail};
use kestrel::Model;
use kestrel::data::{Dataset, Split};
use kestrel::evaluate::Evaluation;

/// Evaluates a model on a split, writes the JSON and confusion-matrix PNG, prints a summary.
pub fn run(args: &EvaluateArgs) -> Result<Evaluation> {
    let split = match args.split.as_str() {
        "train" => Split::Train,
        "validation" | "val" => Split::Validation,
        "test" => Split::Test,
        other => bail!("--split '{other}': expected train, validation or test"),
    };
    let model = Model::load(&args.model)?;
    let dataset = Dataset::load(&args.dataset)?;
    let evaluation = model.evaluate(&dataset, split, args.batch_size)?;
    let png = evaluation.write(&args.out)?;
    let m = &evaluation.measures;
    println!(
        "{} images of split {}: top-1 accuracy {:.4} (error {:.4}), macro F1 {:.4}",
        m.num_images,
        evaluation.split,
        1.0 - m.top1_error,
        m.top1_error,
        m.macro_f1
    );
    for (k, v) in &m.top_k_error {
        if k != "top1" {
            println!("  {k} error {v:.4}");
        }
    }
    println!(
        "  {:<20} {:>9} {:>9} {:>9} {:>8}",
        "class", "precision", "recall", "f1", "images"
    );
    for c in &m.per_class {
        println!(
            "  {:<20} {:>9.4} {:>9.4} {:>9.4} {:>8}",
            c.class_name, c.precision, c.recall, c.f1, c.support
        );
    }
    println!("written: {} and {}", args.out.display(), png.display());
    Ok(evaluation)
}
