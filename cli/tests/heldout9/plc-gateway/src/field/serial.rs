use std::io::{Read, Write};
use std::time::Duration;

use serialport::SerialPort;

/// Raw line to the flow meter that speaks a tiny ASCII protocol.
pub struct SerialLink {
    pub port: Box<dyn SerialPort>,
    pub device: String,
}

impl SerialLink {
    pub fn open(device: &str, baud: u32) -> anyhow::Result<Self> {
        let port = serialport::new(device, baud)
            .timeout(Duration::from_millis(500))
            .open()?;
        Ok(Self { port, device: device.to_string() })
    }

    pub fn query(&mut self, cmd: &str) -> anyhow::Result<String> {
        self.port.write_all(cmd.as_bytes())?;
        self.port.write_all(b"\r\n")?;
        let mut buf = [0u8; 128];
        let n = self.port.read(&mut buf)?;
        Ok(String::from_utf8_lossy(&buf[..n]).trim().to_string())
    }

    pub fn pending(&self) -> u32 {
        self.port.bytes_to_read().unwrap_or(0)
    }
}

pub fn list_ports() -> Vec<String> {
    serialport::available_ports()
        .map(|v| v.into_iter().map(|p| p.port_name).collect())
        .unwrap_or_default()
}
