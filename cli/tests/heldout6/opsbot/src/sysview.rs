use std::time::Duration;

use sysinfo::{Disks, System};

/// Host name plus kernel, for the startup banner.
pub fn banner() -> String {
    let host = System::host_name().unwrap_or_else(|| "unknown".into());
    let mut sys = System::new();
    sys.refresh_memory();
    format!("{host} ({} MiB RAM)", sys.total_memory() / 1024 / 1024)
}

pub fn memory_line() -> String {
    let mut sys = System::new();
    sys.refresh_memory();
    format!("used {} / {} MiB", sys.used_memory() >> 20, sys.total_memory() >> 20)
}

pub fn disk_report() -> String {
    let disks = Disks::new_with_refreshed_list();
    disks
        .list()
        .iter()
        .map(|d| format!("{} {} GiB free", d.mount_point().display(), d.available_space() >> 30))
        .collect::<Vec<_>>()
        .join("\n")
}

pub fn top_processes(n: usize) -> String {
    let mut sys = System::new();
    sys.refresh_processes();
    let mut procs: Vec<_> = sys.processes().values().map(|p| (p.memory(), p.name().to_string())).collect();
    procs.sort_unstable_by(|a, b| b.0.cmp(&a.0));
    procs
        .into_iter()
        .take(n)
        .map(|(mem, name)| format!("{name} {} MiB", mem >> 20))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Logs a warning when the 1-minute load average exceeds the CPU count.
pub async fn watch_load() {
    let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1) as f64;
    let mut sys = System::new(); //~ ok(fs)
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    loop {
        tick.tick().await;
        let load = System::load_average(); //~ fs
        if load.one > cpus {
            sys.refresh_memory(); //~ fs
            tracing::warn!(load = load.one, free_mib = sys.free_memory() >> 20, "high load"); //~ ok(fs)
        }
        if System::uptime() % 3600 < 30 { //~ fs
            let report = tokio::task::spawn_blocking(disk_report).await.unwrap_or_default(); //~ ok(fs)
            tracing::info!(%report, "hourly disk report");
        }
    }
}
