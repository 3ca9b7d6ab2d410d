//! EMC2305-style fan controller on the rack's management I2C bus.

use std::path::PathBuf;
use std::thread;
use std::time::Duration;

use i2cdev::core::I2CDevice;
use i2cdev::linux::{LinuxI2CDevice, LinuxI2CError};

pub const FAN_COUNT: u8 = 5;
const TACH_BASE: u8 = 0x3e;

pub struct FanController {
    pub bus: PathBuf,
    pub addr: u16,
    dev: Option<LinuxI2CDevice>,
}

impl FanController {
    pub fn new(bus: impl Into<PathBuf>, addr: u16) -> Self {
        FanController { bus: bus.into(), addr, dev: None }
    }

    pub fn is_open(&self) -> bool {
        self.dev.is_some()
    }

    pub fn attach(&mut self, dev: LinuxI2CDevice) {
        self.dev = Some(dev);
    }

    pub fn device(&mut self) -> Option<&mut LinuxI2CDevice> {
        self.dev.as_mut()
    }
}

/// TACH count → RPM for the controller's default 32.768 kHz clock.
pub fn tach_to_rpm(raw: u16) -> u32 {
    if raw == 0 {
        0
    } else {
        3_932_160 / u32::from(raw)
    }
}

/// Reads every tachometer; retries once after a short pause when the bus
/// is busy (the BMC shares it).
pub fn read_fans(dev: &mut LinuxI2CDevice) -> Result<Vec<u32>, LinuxI2CError> {
    let mut out = Vec::with_capacity(FAN_COUNT as usize);
    for fan in 0..FAN_COUNT {
        let reg = TACH_BASE + fan * 0x10;
        let raw = match dev.smbus_read_word_data(reg) {
            Ok(v) => v,
            Err(_) => {
                thread::sleep(Duration::from_millis(5));
                dev.smbus_read_word_data(reg)?
            }
        };
        out.push(tach_to_rpm(raw.swap_bytes() >> 3));
    }
    Ok(out)
}
