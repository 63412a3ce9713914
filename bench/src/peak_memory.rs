//! The process's peak resident memory over a stretch of work, from Linux's `/proc`
//! (`None` elsewhere): reset the high-water mark, run, read it.

/// Resets the peak resident set size (`VmHWM`) to the current one.
pub fn reset() {
    // Writing 5 to clear_refs resets the high-water mark (Linux 4.0+); where it is
    // missing, the peak stays the process's whole-life one.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The peak resident set size since the last [`reset`], in MiB.
pub fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}
