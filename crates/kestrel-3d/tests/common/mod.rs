//! What the real-data tests share: finding `KESTREL_SHARED`.

use std::path::PathBuf;

/// `<shared>/data/<name>`, or `None` (after saying so) when `KESTREL_SHARED` is not set.
pub fn shared_data(name: &str) -> Option<PathBuf> {
    let dir = kestrel_data::shared_data_dir();
    if dir.is_none() {
        eprintln!("skipped: KESTREL_SHARED not set");
    }
    dir.map(|d| d.join("data").join(name))
}
