// pollguard::fs: std::fs functions, `File`, `OpenOptions` and blocking path metadata.
use std::io::Read;

#[pollguard::no_blocking]
async fn load(path: &std::path::Path) -> std::io::Result<String> {
    let text = std::fs::read_to_string(path)?;
    let mut file = std::fs::File::open(path)?;
    let mut buf = Vec::new();
    file.read_to_end(&mut buf)?;
    if std::path::Path::new("/etc/hosts").exists() {
        std::fs::write("/tmp/out", &buf)?;
    }
    Ok(text)
}

fn main() {}
