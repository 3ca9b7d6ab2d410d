use std::path::Path;

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("frame too short ({0} bytes)")]
    Short(usize),
    #[error("bad magic {0:#06x}")]
    Magic(u16),
    #[error("checksum mismatch")]
    Checksum,
}

#[derive(Debug, Clone)]
pub struct Frame {
    pub device_id: u32,
    pub seq: u16,
    pub firmware: u16,
    pub kind: u8,
    pub raw: i32,
}

pub fn crc16(data: &[u8]) -> u16 {
    let mut crc: u16 = 0xffff;
    for b in data {
        crc ^= (*b as u16) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 { (crc << 1) ^ 0x1021 } else { crc << 1 };
        }
    }
    crc
}

pub fn read(buf: &[u8]) -> Result<Frame, DecodeError> {
    if buf.len() < 17 {
        return Err(DecodeError::Short(buf.len()));
    }
    let magic = u16::from_be_bytes([buf[0], buf[1]]);
    if magic != 0x5e17 {
        return Err(DecodeError::Magic(magic));
    }
    let body = &buf[..15];
    let sum = u16::from_be_bytes([buf[15], buf[16]]);
    if crc16(body) != sum {
        return Err(DecodeError::Checksum);
    }
    Ok(Frame {
        device_id: u32::from_be_bytes([buf[2], buf[3], buf[4], buf[5]]),
        seq: u16::from_be_bytes([buf[6], buf[7]]),
        firmware: u16::from_be_bytes([buf[8], buf[9]]),
        kind: buf[10],
        raw: i32::from_be_bytes([buf[11], buf[12], buf[13], buf[14]]),
    })
}

#[derive(Debug, Deserialize)]
pub struct FirmwareManifest {
    pub latest: u16,
    pub minimum: u16,
    pub url: String,
}

pub fn firmware_manifest(dir: &Path) -> std::io::Result<FirmwareManifest> {
    let raw = std::fs::read(dir.join("manifest.json"))?;
    serde_json::from_slice(&raw).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
