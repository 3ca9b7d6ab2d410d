use std::sync::Arc;
use std::time::Duration;

use i2cdev::linux::LinuxI2CDevice;
use procfs::{Current, CurrentSI, FromRead};
use systemstat::{Platform, System};

use crate::metrics::Metrics;
use crate::sensors::{self, FanController};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub struct Sampler {
    metrics: Arc<Metrics>,
    fans: FanController,
}

impl Sampler {
    pub fn new(metrics: Arc<Metrics>, i2c_bus: &str, fan_addr: u16) -> Self {
        Sampler { metrics, fans: FanController::new(i2c_bus, fan_addr) }
    }

    pub async fn sample_once(&mut self) -> Result<(), BoxError> {
        let m = &self.metrics;
        let mem = procfs::Meminfo::current()?; //~ fs
        m.mem_available.set(mem.mem_available.unwrap_or(mem.mem_free) as f64);

        let stat = procfs::KernelStats::current()?; //~ fs
        tracing::debug!(ctxt = stat.ctxt, "kernel stats");

        let mut running = 0;
        for p in procfs::process::all_processes()? { //~ fs
            let Ok(p) = p else { continue };
            if matches!(p.stat(), Ok(st) if st.state == 'R') { //~ fs
                running += 1;
            }
        }
        m.running.set(f64::from(running));

        for d in procfs::diskstats()? { //~ fs
            m.disk_sectors.with_label_values(&[&d.name, "read"]).set(d.sectors_read as f64);
            m.disk_sectors.with_label_values(&[&d.name, "write"]).set(d.sectors_written as f64);
        }

        let sys = System::new(); //~ ok(fs)
        let window = sys.cpu_load_aggregate()?; //~ fs
        tokio::time::sleep(Duration::from_millis(500)).await; //~ ok(sleep)
        let load = window.done()?; //~ fs
        m.cpu_busy.set(f64::from(1.0 - load.idle));
        if let Ok(t) = sys.cpu_temp() { //~ fs
            m.cpu_temp.set(f64::from(t));
        }
        for fs in sys.mounts()? { //~ fs
            if fs.fs_type == "ext4" || fs.fs_type == "xfs" {
                m.fs_avail.with_label_values(&[&fs.fs_mounted_on]).set(fs.avail.as_u64() as f64);
            }
        }

        let manager = starship_battery::Manager::new()?; //~ ok(fs)
        for bat in manager.batteries()? { //~ fs
            let mut bat = bat?;
            manager.refresh(&mut bat)?; //~ fs
            m.battery_pct.set(f64::from(bat.state_of_charge().value) * 100.0); //~ ok(fs)
        }

        // The fan controller disappears after a BMC-triggered bus reset.
        if !self.fans.is_open() {
            let dev = LinuxI2CDevice::new(&self.fans.bus, self.fans.addr)?; //~ fs
            self.fans.attach(dev);
        }
        if let Some(dev) = self.fans.device() {
            let rpms = sensors::read_fans(dev)?; //~ fs
            for (i, rpm) in rpms.iter().enumerate() {
                self.metrics.fan_rpm.with_label_values(&[&i.to_string()]).set(f64::from(*rpm));
            }
        }

        if let Ok(text) = std::fs::read_to_string("/sys/class/drm/card0/device/gpu_busy_percent") { //~ fs
            tracing::debug!(gpu_busy = text.trim(), "gpu");
        }
        let raw = tokio::fs::read("/proc/loadavg").await?; //~ ok(fs)
        let avg = procfs::LoadAverage::from_read(&raw[..])?; //~ ok(fs)
        tracing::debug!(one = avg.one, five = avg.five, "load average");
        Ok(())
    }
}
