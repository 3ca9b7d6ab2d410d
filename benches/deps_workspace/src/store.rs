//! What the service keeps on disk, written from async handlers.

use std::io::Write;

/// Appends the last upstream status to the journal.
pub fn remember(status: &str) {
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open("journal.txt")
    {
        let _ = writeln!(f, "{status}");
    }
}
