//! `kestrel evaluate`.

use crate::cli::EvaluateArgs;
use anyhow::{Result, bail};
use kestrel::Model;
use kestrel::data::{Dataset, Split};
use kestrel::evaluate::Evaluation;

/// Evaluates a model on a split, writes the JSON and pictures, prints a summary.
pub fn run(args: &EvaluateArgs) -> Result<()> {
    let split = match args.split.as_str() {
        "train" => Split::Train,
        "validation" | "val" => Split::Validation,
        "test" => Split::Test,
        other => bail!("--split '{other}': expected train, validation or test"),
    };
    let model = Model::load(&args.model)?;
    let dataset = Dataset::load(&args.dataset)?;
    if model.anomaly_net().is_some() {
        return anomaly(args, &model, &dataset, split);
    }
    if model.multi_label().is_some() {
        return multi_label(args, &model, &dataset, split);
    }
    if model.segmentation().is_some() {
        return segmentation(args, &model, &dataset, split);
    }
    if model.detection().is_some() {
        return detection(args, &model, &dataset, split);
    }
    classification(args, &model, &dataset, split).map(|_| ())
}

/// Evaluates a classifier; prints accuracy and per-class measures.
fn classification(
    args: &EvaluateArgs,
    model: &Model,
    dataset: &Dataset,
    split: Split,
) -> Result<Evaluation> {
    let evaluation = model.evaluate(dataset, split, args.batch_size)?;
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

/// Evaluates an anomaly detector; prints AUROCs, PRO and the decisions at the thresholds.
fn anomaly(args: &EvaluateArgs, model: &Model, dataset: &Dataset, split: Split) -> Result<()> {
    let e = model.evaluate_anomaly(dataset, split, args.batch_size)?;
    let written = e.write(&args.out, model)?;
    println!(
        "{} images of split {} ({} ok, {} nok), {:.1} images/s",
        e.num_images, e.split, e.num_ok, e.num_nok, e.images_per_second
    );
    println!("  image AUROC {:.4}", e.image_auroc);
    if let (Some(pixel), Some(pro)) = (e.pixel_auroc, e.pro_auc_30) {
        println!("  pixel AUROC {pixel:.4}, PRO (FPR <= 0.3) {pro:.4}");
    }
    println!(
        "  at threshold {:.4}: precision {:.4}, recall {:.4}, F1 {:.4}",
        e.classification_threshold, e.image_precision, e.image_recall, e.image_f1
    );
    for (class, auc) in &e.per_class_image_auroc {
        println!("  {class:<20} image AUROC {auc:.4}");
    }
    println!(
        "written: {} and {} pictures ({})",
        args.out.display(),
        written.len(),
        written
            .first()
            .map_or(String::new(), |p| p.display().to_string())
    );
    Ok(())
}

/// Evaluates a multi-label classifier; prints mean AP, F1s and the per-class table.
fn multi_label(args: &EvaluateArgs, model: &Model, dataset: &Dataset, split: Split) -> Result<()> {
    let report = model.evaluate_multi_label(dataset, split, args.batch_size)?;
    report.write(&args.out)?;
    let m = &report.measures;
    let b = &report.frequency_baseline;
    println!("{} images of split {}", m.num_samples, report.split);
    println!(
        "  mean AP {:.4} (baseline {:.4}), macro F1 {:.4} (baseline {:.4}), micro F1 {:.4}",
        m.mean_average_precision.unwrap_or(f64::NAN),
        b.mean_average_precision.unwrap_or(f64::NAN),
        m.macro_f1,
        b.macro_f1,
        m.micro_f1
    );
    println!(
        "  exact match {:.4}, Hamming loss {:.4}",
        m.exact_match_ratio, m.hamming_loss
    );
    println!(
        "  {:<20} {:>9} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6} {:>6}",
        "class", "AP", "precision", "recall", "f1", "TP", "FP", "FN", "TN"
    );
    for c in &m.per_class {
        println!(
            "  {:<20} {:>9.4} {:>9.4} {:>9.4} {:>9.4} {:>6} {:>6} {:>6} {:>6}",
            c.class_name,
            c.average_precision.unwrap_or(f64::NAN),
            c.precision,
            c.recall,
            c.f1,
            c.tp,
            c.fp,
            c.fn_,
            c.tn
        );
    }
    println!("written: {}", args.out.display());
    Ok(())
}

/// Evaluates a segmentation or edge-extraction model; prints IoUs and accuracies.
fn segmentation(args: &EvaluateArgs, model: &Model, dataset: &Dataset, split: Split) -> Result<()> {
    let report = model.evaluate_segmentation(dataset, split, args.batch_size)?;
    let written = report.write(&args.out, model)?;
    let m = &report.measures;
    println!(
        "{} images of split {}: mean IoU {:.4}, pixel accuracy {:.4}, mean class accuracy {:.4}, frequency-weighted IoU {:.4}",
        report.num_images,
        report.split,
        m.mean_iou,
        m.pixel_accuracy,
        m.mean_class_accuracy,
        m.frequency_weighted_iou
    );
    println!("  {:<20} {:>9} {:>9}", "class", "IoU", "accuracy");
    for c in &m.per_class {
        println!(
            "  {:<20} {:>9.4} {:>9.4}",
            c.class_name,
            c.iou.unwrap_or(f64::NAN),
            c.accuracy.unwrap_or(f64::NAN)
        );
    }
    if let Some(e) = &report.edge_f1 {
        println!(
            "  edge pixels (tolerance {} px): precision {:.4}, recall {:.4}, F1 {:.4}",
            e.tolerance_px, e.precision, e.recall, e.f1
        );
    }
    println!(
        "written: {} and {} pictures ({})",
        args.out.display(),
        written.len(),
        written
            .first()
            .map_or(String::new(), |p| p.display().to_string())
    );
    Ok(())
}

/// Evaluates a detection model; prints COCO measures for boxes (and masks) and per class.
fn detection(args: &EvaluateArgs, model: &Model, dataset: &Dataset, split: Split) -> Result<()> {
    let report = model.evaluate_detection(dataset, split, args.batch_size)?;
    let written = report.write(&args.out, model)?;
    println!(
        "{} images of split {}, {} objects, {} detections (confidence >= 0.05)",
        report.num_images, report.split, report.num_objects, report.num_detections
    );
    let value = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.4}"));
    for (what, e) in [
        ("boxes", Some(&report.boxes)),
        ("masks", report.masks.as_ref()),
    ] {
        let Some(e) = e else {
            continue;
        };
        println!(
            "  {what}: mean AP {} (IoU 0.50:0.95), AP50 {}, AP75 {}, AR100 {}",
            value(e.ap),
            value(e.ap50),
            value(e.ap75),
            value(e.ar100)
        );
        println!(
            "    {:<20} {:>8} {:>8} {:>8} {:>8}",
            "class", "objects", "AP", "AP50", "recall50"
        );
        for c in &e.per_class {
            println!(
                "    {:<20} {:>8} {:>8} {:>8} {:>8}",
                c.name,
                c.num_ground_truth,
                value(c.ap),
                value(c.ap50),
                value(c.recall50)
            );
        }
    }
    println!(
        "written: {} and {} files (precision-recall PNG, pictures)",
        args.out.display(),
        written.len()
    );
    Ok(())
}
