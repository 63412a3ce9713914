//! Reading a dataset that a command is about to use: every problem reported at once.

use anyhow::{Result, bail};
use kestrel::data::{Dataset, validate};
use std::path::Path;

/// The dataset at `path`, validated (every image decoded): warnings are counted, errors
/// are all printed and refuse the dataset; `before` says what they stop ("training").
pub(crate) fn checked_dataset(path: &Path, before: &str) -> Result<Dataset> {
    let dataset = Dataset::load(path)?;
    let report = validate(&dataset);
    let warnings = report.problems.iter().filter(|p| p.is_warning()).count();
    if warnings > 0 {
        eprintln!(
            "{}: {warnings} warning(s) (see `kestrel dataset validate`)",
            path.display()
        );
    }
    if report.has_errors() {
        for p in report.problems.iter().filter(|p| !p.is_warning()) {
            eprintln!("  {p}");
        }
        bail!(
            "{}: {} error(s); fix them (see `kestrel dataset validate`) before {before}",
            path.display(),
            report.problems.len() - warnings
        );
    }
    Ok(dataset)
}
