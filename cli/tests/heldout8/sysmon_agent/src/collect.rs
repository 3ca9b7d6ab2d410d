use psutil::cpu::CpuPercentCollector;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Sample {
    pub load1: f64,
    pub mem_used_pct: f32,
    pub mem_free_kb: u64,
    pub procs: u64,
}

impl Sample {
    pub fn to_graphite(&self, host: &str) -> String {
        let ts = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        format!(
            "{host}.load1 {} {ts}\n{host}.mem {} {ts}\n{host}.procs {} {ts}\n",
            self.load1, self.mem_used_pct, self.procs
        )
    }
}

pub struct HostSampler {
    pub cpu: CpuPercentCollector,
}

impl HostSampler {
    pub fn new() -> psutil::Result<Self> {
        Ok(Self { cpu: CpuPercentCollector::new()? })
    }

    pub fn sample(&mut self) -> Result<Sample, Box<dyn std::error::Error + Send + Sync>> {
        let load = sys_info::loadavg()?;
        let mem = sys_info::mem_info()?;
        let vm = psutil::memory::virtual_memory()?;
        Ok(Sample {
            load1: load.one,
            mem_used_pct: vm.percent(),
            mem_free_kb: mem.free,
            procs: sys_info::proc_total().unwrap_or(0),
        })
    }
}

/// (pid, name, rss bytes) of the biggest processes.
pub fn top_processes(n: usize) -> Vec<(u32, String, u64)> {
    let mut out: Vec<(u32, String, u64)> = psutil::process::processes()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|p| p.ok())
        .filter_map(|p| {
            let name = p.name().ok()?;
            let rss = p.memory_info().ok()?.rss();
            Some((p.pid(), name, rss))
        })
        .collect();
    out.sort_by(|a, b| b.2.cmp(&a.2));
    out.truncate(n);
    out
}
