//! One-off host inventory at startup.

use std::io;
use std::process::Command;

use procfs::Current;

pub struct HostInfo {
    pub hostname: String,
    pub os: String,
    pub cores: usize,
    pub cpu_model: String,
    pub board: Option<String>,
}

pub async fn describe_host() -> io::Result<HostInfo> {
    let os = os_info::get(); //~ process
    let cpu = procfs::CpuInfo::current().map_err(io::Error::other)?; //~ fs
    let hostname = tokio::fs::read_to_string("/proc/sys/kernel/hostname").await?; //~ ok(fs)

    // dmidecode needs root; the agent runs as root on the racks.
    let board = Command::new("dmidecode").args(["-s", "baseboard-product-name"]).output().ok(); //~ process
    let board = board.filter(|o| o.status.success()).map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());

    Ok(HostInfo {
        hostname: hostname.trim().to_string(),
        os: format!("{} {}", os.os_type(), os.version()),
        cores: cpu.num_cores(),
        cpu_model: cpu.model_name(0).unwrap_or("unknown").to_string(),
        board,
    })
}
