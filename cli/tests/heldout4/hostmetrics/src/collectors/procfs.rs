use super::*;

pub struct CpuCollector {
    stat: PathBuf,
}

impl Default for CpuCollector {
    fn default() -> Self {
        Self {
            stat: PathBuf::from("/proc/stat"),
        }
    }
}

impl Collector for CpuCollector {
    fn name(&self) -> &'static str {
        "cpu"
    }

    fn collect(&self, out: &mut Vec<Sample>) -> io::Result<()> {
        let raw = fs::read_to_string(&self.stat)?;
        for line in raw.lines().filter(|l| l.starts_with("cpu")) {
            let mut parts = line.split_whitespace();
            let cpu = parts.next().unwrap_or("cpu");
            for (mode, v) in ["user", "nice", "system", "idle", "iowait"].iter().zip(parts) {
                let ticks: f64 = v.parse().unwrap_or(0.0);
                out.push(
                    Sample::new("node_cpu_seconds_total", ticks / 100.0)
                        .label("cpu", cpu)
                        .label("mode", *mode),
                );
            }
        }
        Ok(())
    }
}

#[derive(Default)]
pub struct MemCollector;

impl Collector for MemCollector {
    fn name(&self) -> &'static str {
        "meminfo"
    }

    fn collect(&self, out: &mut Vec<Sample>) -> io::Result<()> {
        for (k, kb) in parse_kv_file(Path::new("/proc/meminfo"))? {
            out.push(Sample::new(format!("node_memory_{k}_bytes"), kb * 1024.0));
        }
        Ok(())
    }
}

impl MemCollector {
    pub async fn collect_async(&self, out: &mut Vec<Sample>) -> io::Result<()> {
        let raw = tokio::fs::read_to_string("/proc/meminfo").await?; //~ ok(fs)
        for line in raw.lines() {
            if let Some((k, rest)) = line.split_once(':') {
                let kb: f64 = rest.split_whitespace().next().and_then(|v| v.parse().ok()).unwrap_or(0.0);
                out.push(Sample::new(format!("node_memory_{}_bytes", k.trim()), kb * 1024.0));
            }
        }
        Ok(())
    }
}

pub async fn loadavg() -> io::Result<[f64; 3]> {
    let raw = fs::read_to_string("/proc/loadavg")?; //~ fs
    let mut it = raw.split_whitespace().map(|v| v.parse().unwrap_or(0.0));
    Ok([
        it.next().unwrap_or(0.0),
        it.next().unwrap_or(0.0),
        it.next().unwrap_or(0.0),
    ])
}
