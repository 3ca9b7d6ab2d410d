use std::path::Path;

use super::library::EpisodeMeta;

pub async fn write_report(
    path: &Path,
    report: &[EpisodeMeta],
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let json = serde_json::to_vec_pretty(report)?;
    tokio::fs::write(path.with_extension("tmp"), &json).await?; //~ ok(fs)
    let dest = path.to_path_buf();
    tokio::task::spawn_blocking(move || {
        let af = atomicwrites::AtomicFile::new(&dest, atomicwrites::OverwriteBehavior::AllowOverwrite); //~ ok(fs)
        af.write(|f| std::io::Write::write_all(f, &json)) //~ ok(fs)
    })
    .await??;
    Ok(())
}

pub async fn purge_rejected(root: &Path) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let rejected = root.join("rejected");
    let mut dir = tokio::fs::read_dir(&rejected).await?; //~ ok(fs)
    let mut victims = Vec::new();
    while let Some(entry) = dir.next_entry().await? { //~ ok(fs)
        victims.push(entry.path());
    }
    if victims.len() > 50 {
        trash::delete_all(&victims)?; //~ fs
        return Ok(());
    }
    for v in victims {
        let meta = std::fs::metadata(&v)?; //~ fs
        if meta.len() == 0 {
            std::fs::remove_file(&v)?; //~ fs
        } else {
            trash::delete(&v)?; //~ fs
        }
    }
    let marker = rejected.join(".purged");
    let _ = tokio::fs::File::create(&marker).await?; //~ ok(fs)
    let ctx = trash::TrashContext::default(); //~ ok(fs)
    let _ = ctx;
    Ok(())
}
