use std::path::{Path, PathBuf};

use crate::checkpoint::Checkpoint;

#[derive(Debug, Clone, Copy)]
pub enum ExportKind {
    Csv,
    Gzip,
    Large,
    Legacy,
}

#[derive(Debug, Clone)]
pub struct Export {
    pub name: String,
    pub path: PathBuf,
    pub kind: ExportKind,
}

pub async fn pending_exports(inbox: &Path, state: &Checkpoint) -> anyhow::Result<Vec<Export>> {
    let pattern = format!("{}/**/*.csv*", inbox.display());
    let paths = glob::glob(&pattern)?; //~ ok(fs)
    let candidates: Vec<PathBuf> = paths.filter_map(Result::ok).collect(); //~ fs
    let partial = glob::Pattern::new("*.partial.*")?; //~ ok(fs)

    let mut out = Vec::new();
    for path in candidates {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if partial.matches(&name) || state.is_done(&name) { //~ ok(fs)
            continue;
        }
        let kind = if name.ends_with(".gz") {
            ExportKind::Gzip
        } else if name.starts_with("legacy_") {
            ExportKind::Legacy
        } else if tokio::fs::metadata(&path).await?.len() > 256 * 1024 * 1024 { //~ ok(fs)
            ExportKind::Large
        } else {
            ExportKind::Csv
        };
        out.push(Export { name, path, kind });
    }

    let late = late_arrivals(&inbox.join("late")).await?;
    for path in late {
        let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
        out.push(Export {
            name,
            path,
            kind: ExportKind::Csv,
        });
    }
    Ok(out)
}

async fn late_arrivals(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else { //~ ok(fs)
        return Ok(out);
    };
    while let Some(entry) = entries.next_entry().await? { //~ ok(fs)
        out.push(entry.path());
    }
    Ok(out)
}
