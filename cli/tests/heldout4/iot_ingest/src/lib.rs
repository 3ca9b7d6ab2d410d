//! iot-ingest: receives binary telemetry frames from field sensors over UDP, validates and
//! calibrates them, and fans readings out to InfluxDB and rolling CSV files.

pub mod decode;
pub mod devices;
pub mod ingest;
pub mod sink;

pub use crate::ingest::{IngestConfig, Ingestor};

pub(crate) mod clock {
    use std::time::{SystemTime, UNIX_EPOCH};

    pub fn now_ms() -> u64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0)
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Reading {
    pub device: u32,
    pub sensor: String,
    pub value: f64,
    pub unit: &'static str,
    pub ts_ms: u64,
}
