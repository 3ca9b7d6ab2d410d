use nix::sys::statvfs::statvfs;

use super::*;

pub struct DiskCollector {
    mounts: Vec<PathBuf>,
}

impl DiskCollector {
    pub fn new(mounts: Vec<PathBuf>) -> Self {
        Self { mounts }
    }

    fn discover(&self) -> io::Result<Vec<PathBuf>> {
        if !self.mounts.is_empty() {
            return Ok(self.mounts.clone());
        }
        let raw = fs::read_to_string("/proc/mounts")?;
        Ok(raw
            .lines()
            .filter_map(|l| {
                let mut f = l.split_whitespace();
                let (dev, mnt) = (f.next()?, f.next()?);
                dev.starts_with("/dev/").then(|| PathBuf::from(mnt))
            })
            .collect())
    }

    pub fn mount_count(&self) -> usize {
        self.mounts.len()
    }
}

impl Collector for DiskCollector {
    fn name(&self) -> &'static str {
        "filesystem"
    }

    fn collect(&self, out: &mut Vec<Sample>) -> io::Result<()> {
        for mnt in self.discover()? {
            let Ok(st) = statvfs(&mnt) else { continue };
            let frsize = st.fragment_size() as f64;
            let m = mnt.display().to_string();
            out.push(
                Sample::new("node_filesystem_size_bytes", st.blocks() as f64 * frsize)
                    .label("mountpoint", m.clone()),
            );
            out.push(
                Sample::new("node_filesystem_avail_bytes", st.blocks_available() as f64 * frsize)
                    .label("mountpoint", m),
            );
        }
        Ok(())
    }
}
