use std::collections::HashMap;

use prometheus::{Gauge, GaugeVec, IntCounter, Opts, Registry, TextEncoder};

use crate::snmp_poll::UpsReading;

/// All gauges live in our own registry (not the global default one).
pub struct Metrics {
    registry: Registry,
    hostname: String,
    pub mem_available: Gauge,
    pub cpu_busy: Gauge,
    pub cpu_temp: Gauge,
    pub running: Gauge,
    pub battery_pct: Gauge,
    pub fan_rpm: GaugeVec,
    pub fs_avail: GaugeVec,
    pub disk_sectors: GaugeVec,
    pub ups: GaugeVec,
    pub ups_traps: IntCounter,
}

fn gauge(reg: &Registry, name: &str, help: &str) -> prometheus::Result<Gauge> {
    let g = Gauge::new(name, help)?;
    reg.register(Box::new(g.clone()))?;
    Ok(g)
}

fn gauge_vec(reg: &Registry, name: &str, help: &str, labels: &[&str]) -> prometheus::Result<GaugeVec> {
    let g = GaugeVec::new(Opts::new(name, help), labels)?;
    reg.register(Box::new(g.clone()))?;
    Ok(g)
}

impl Metrics {
    pub fn new(hostname: &str) -> prometheus::Result<Self> {
        let r = Registry::new_custom(Some("hwmon".into()), None)?;
        let ups_traps = IntCounter::new("ups_traps_total", "SNMP traps received")?;
        r.register(Box::new(ups_traps.clone()))?;
        Ok(Metrics {
            mem_available: gauge(&r, "mem_available_bytes", "MemAvailable")?,
            cpu_busy: gauge(&r, "cpu_busy_ratio", "1 - idle over the sample window")?,
            cpu_temp: gauge(&r, "cpu_temp_celsius", "package temperature")?,
            running: gauge(&r, "procs_running", "processes in state R")?,
            battery_pct: gauge(&r, "battery_percent", "BMC backup battery charge")?,
            fan_rpm: gauge_vec(&r, "fan_rpm", "fan speed", &["fan"])?,
            fs_avail: gauge_vec(&r, "fs_avail_bytes", "free bytes for non-root", &["mount"])?,
            disk_sectors: gauge_vec(&r, "disk_sectors_total", "sectors read/written", &["disk", "dir"])?,
            ups: gauge_vec(&r, "ups_value", "UPS-MIB values", &["what"])?,
            ups_traps,
            registry: r,
            hostname: hostname.to_string(),
        })
    }

    pub fn record_ups(&self, r: &UpsReading) {
        self.ups.with_label_values(&["charge_pct"]).set(r.charge as f64);
        self.ups.with_label_values(&["minutes_left"]).set(r.minutes as f64);
        self.ups.with_label_values(&["load_pct"]).set(r.load as f64);
    }

    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    pub fn grouping(&self) -> HashMap<String, String> {
        HashMap::from([("instance".to_string(), self.hostname.clone())])
    }

    /// Text exposition, used by the console view.
    pub fn render(&self) -> String {
        TextEncoder::new().encode_to_string(&self.registry.gather()).unwrap_or_default()
    }

    /// PUT to the Pushgateway (replaces this instance's group).
    pub fn push(&self, gateway: &str) -> prometheus::Result<()> {
        prometheus::push_metrics("hwmon", self.grouping(), gateway, self.registry.gather(), None)
    }
}
