use std::io::Write;
use std::path::Path;

use chrono::Utc;

/// Routes `log` output to stderr and the audit file.
pub fn init_logging(audit: &Path) -> anyhow::Result<()> {
    fern::Dispatch::new()
        .format(|out, msg, rec| out.finish(format_args!("{} {} {}", Utc::now().to_rfc3339(), rec.level(), msg)))
        .level(log::LevelFilter::Info)
        .chain(std::io::stderr())
        .chain(fern::log_file(audit)?)
        .apply()?;
    Ok(())
}

/// Appends one JSON line per executed command (kept outside of `log` on purpose).
pub fn append(path: &Path, user: &str, command: &str, ok: bool) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    let line = serde_json::json!({ "ts": Utc::now().to_rfc3339(), "user": user, "cmd": command, "ok": ok });
    writeln!(f, "{line}")?;
    f.sync_data()
}

pub fn format_entry(user: &str, command: &str) -> String {
    format!("{user}: {command}")
}
