use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use compress_tools::tokio_support;
use duckdb::params;
use globwalk::GlobWalkerBuilder;
use tokio::io::AsyncReadExt;
use tokio::sync::Mutex;
use tracing::{debug, warn};

use crate::catalog::Catalog;
use crate::formats::{self, Kind, Member};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const PATTERNS: &[&str] = &["*.tar", "*.tar.gz", "*.zip", "*.7z", "*.deb", "*.xz", "*.sz"];
/// Files still being written by the upload service are left for the next pass.
const SETTLE: Duration = Duration::from_secs(10);

pub struct Indexer {
    catalog: Arc<Mutex<Catalog>>,
    drop_dir: PathBuf,
    done_dir: PathBuf,
}

impl Indexer {
    pub fn new(catalog: Arc<Mutex<Catalog>>, drop_dir: PathBuf, done_dir: PathBuf) -> Self {
        Indexer { catalog, drop_dir, done_dir }
    }

    pub async fn scan_once(&self) -> Result<usize, BoxError> {
        let walker = GlobWalkerBuilder::from_patterns(&self.drop_dir, PATTERNS).max_depth(4).follow_links(false).build()?; //~ ok(fs)
        let mut indexed = 0;
        for entry in walker { //~ fs
            let path = entry?.into_path();
            if tree_magic_mini::match_filepath("application/x-executable", &path) { //~ fs
                warn!(path = %path.display(), "bare executable in the drop dir, skipping");
                continue;
            }
            let modified = std::fs::metadata(&path)?.modified()?; //~ fs
            if SystemTime::now().duration_since(modified).unwrap_or_default() < SETTLE {
                continue;
            }
            match self.index_file(&path).await {
                Ok(n) => {
                    debug!(path = %path.display(), members = n, "indexed");
                    let dest = self.done_dir.join(path.file_name().unwrap_or_default());
                    std::fs::rename(&path, dest)?; //~ fs
                    indexed += 1;
                }
                Err(e) => warn!(path = %path.display(), "indexing failed: {e}"),
            }
        }
        Ok(indexed)
    }

    async fn sniff(&self, path: &Path) -> Result<Option<&'static str>, BoxError> {
        let mut head = vec![0u8; 8192];
        let mut f = tokio::fs::File::open(path).await?; //~ ok(fs)
        let n = f.read(&mut head).await?; //~ ok(fs)
        let sniffed = tree_magic_mini::from_u8(&head[..n]); //~ ok(fs)
        if sniffed != "application/octet-stream" && sniffed != "text/plain" {
            return Ok(Some(sniffed));
        }
        // Short reads of sparse/zero-padded images: let tree_magic look at the whole file.
        Ok(tree_magic_mini::from_filepath(path)) //~ fs
    }

    async fn index_file(&self, path: &Path) -> Result<usize, BoxError> {
        let name = path.to_string_lossy().into_owned();
        let sniffed = self.sniff(path).await?;
        let guessed = mime_guess::from_path(path).first_or_octet_stream(); //~ ok(fs)
        debug!(%name, ?sniffed, %guessed, "classifying");

        let members: Vec<Member> = match formats::classify(sniffed, &name) {
            Kind::Libarchive if name.ends_with(".zip") => {
                // Zip central directory: the async wrapper runs libarchive on the blocking pool.
                let file = tokio::fs::File::open(path).await?; //~ ok(fs)
                let entries = tokio_support::list_archive_entries(file).await?; //~ ok(fs)
                entries.into_iter().map(|e| Member { path: e.path, size: e.size, mime: None }).collect()
            }
            Kind::Libarchive => {
                self.av_scan(path).await?;
                let mut members = formats::list_members(path)?; //~ fs
                if let Some(m) = members.iter_mut().find(|m| m.path.ends_with("MANIFEST.json")) {
                    let manifest = formats::extract_member(path, &m.path.clone())?; //~ fs
                    m.mime = Some(format!("application/json; bytes={}", manifest.len()));
                }
                members
            }
            Kind::Deb => {
                let members = formats::deb_members(path)?; //~ fs
                // control.tar.* is indexed separately so maintainer scripts are searchable.
                let mut archive = ar::Archive::new(std::fs::File::open(path)?); //~ fs
                let mut extra = Vec::new();
                while let Some(entry) = archive.next_entry() { //~ fs
                    let mut entry = entry?;
                    let id = String::from_utf8_lossy(entry.header().identifier()).into_owned();
                    if id.starts_with("control.tar") {
                        let mut raw = Vec::new();
                        entry.read_to_end(&mut raw)?; //~ fs
                        let tar = if id.ends_with(".xz") { formats::decode_stream_bytes(&raw)? } else { raw }; //~ ok(fs)
                        let listed = compress_tools::list_archive_entries(std::io::Cursor::new(tar))?; //~ ok(fs)
                        extra.extend(listed.into_iter().map(|e| Member { path: format!("control/{}", e.path), size: e.size, mime: None }));
                    }
                }
                members.into_iter().chain(extra).collect()
            }
            Kind::Xz | Kind::Snappy => {
                let data = formats::decode_stream(path)?; //~ fs
                let inner = tree_magic_mini::from_u8(&data).to_string(); //~ ok(fs)
                vec![Member { path: name.trim_end_matches(".xz").trim_end_matches(".sz").to_string(), size: data.len() as u64, mime: Some(inner) }]
            }
            Kind::Unknown if name.ends_with(".7z") => self.list_with_7z(path).await?,
            Kind::Unknown => return Err(format!("unsupported archive: {name}").into()),
        };

        let catalog = self.catalog.lock().await; //~ ok(lock)
        let n = catalog.replace(&name, &members)?; //~ db
        catalog.conn().execute("INSERT INTO members VALUES (?, '', ?, 'archive/self')", params![name, members.len() as i64])?; //~ db
        Ok(n)
    }

    /// Fallback for 7z archives with filters libarchive cannot read.
    async fn list_with_7z(&self, path: &Path) -> Result<Vec<Member>, BoxError> {
        let out = std::process::Command::new("7z").args(["l", "-slt", "-ba"]).arg(path).output()?; //~ process
        if !out.status.success() {
            // 7z occasionally fails while the antivirus scanner holds the file.
            std::thread::sleep(Duration::from_secs(2)); //~ sleep
            return Err(String::from_utf8_lossy(&out.stderr).into_owned().into());
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut members = Vec::new();
        let mut current: Option<Member> = None;
        for line in text.lines() {
            if let Some(p) = line.strip_prefix("Path = ") {
                members.extend(current.take());
                current = Some(Member { path: p.to_string(), size: 0, mime: None });
            } else if let (Some(s), Some(m)) = (line.strip_prefix("Size = "), current.as_mut()) {
                m.size = s.trim().parse().unwrap_or(0);
            }
        }
        members.extend(current);
        Ok(members)
    }

    /// Unpacks into a scratch dir for the on-access virus scanner, then cleans up.
    async fn av_scan(&self, path: &Path) -> Result<(), BoxError> {
        let scratch = self.done_dir.join(".scan");
        tokio::fs::create_dir_all(&scratch).await?; //~ ok(fs)
        compress_tools::uncompress_archive(std::fs::File::open(path)?, &scratch, compress_tools::Ownership::Ignore)?; //~ fs
        let status = tokio::process::Command::new("clamdscan").arg("--fdpass").arg(&scratch).status().await?; //~ ok(process)
        std::fs::remove_dir_all(&scratch)?; //~ fs
        if !status.success() {
            return Err(format!("virus scanner rejected {}", path.display()).into());
        }
        Ok(())
    }

    pub async fn member_count(&self) -> Result<i64, BoxError> {
        let catalog = self.catalog.lock().await; //~ ok(lock)
        Ok(catalog.conn().query_row("SELECT count(*) FROM members", [], |r| r.get(0))?) //~ db
    }

    /// Integrity report: can the single-stream payloads still be decoded?
    pub async fn verify_stream(&self, path: &Path) -> Result<bool, BoxError> {
        let mut out = Vec::new();
        if path.extension().is_some_and(|e| e == "sz") {
            let raw = tokio::fs::read(path).await?; //~ ok(fs)
            if snap::raw::Decoder::new().decompress_vec(&raw).is_ok() { //~ ok(fs)
                return Ok(true); // raw (unframed) snappy block
            }
            snap::read::FrameDecoder::new(std::fs::File::open(path)?).read_to_end(&mut out)?; //~ fs
        } else {
            let mut reader = std::io::BufReader::new(std::fs::File::open(path)?); //~ fs
            lzma_rs::xz_decompress(&mut reader, &mut out).map_err(|e| e.to_string())?; //~ fs
        }
        Ok(!out.is_empty())
    }
}
