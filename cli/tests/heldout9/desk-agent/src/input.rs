use std::path::{Path, PathBuf};

use evdev::{Device, InputEventKind, Key};

/// Global hotkey listener on a keyboard event device.
pub struct Hotkeys {
    pub dev: Device,
    pub path: PathBuf,
}

impl Hotkeys {
    pub fn open(path: &Path) -> std::io::Result<Self> {
        Ok(Self { dev: Device::open(path)?, path: path.to_path_buf() })
    }

    /// Blocks until the next batch of key events, returns the pressed keys.
    pub fn next_presses(&mut self) -> std::io::Result<Vec<Key>> {
        Ok(self
            .dev
            .fetch_events()?
            .filter(|e| e.value() == 1)
            .filter_map(|e| match e.kind() {
                InputEventKind::Key(k) => Some(k),
                _ => None,
            })
            .collect())
    }

    pub fn is_keyboard(&self) -> bool {
        self.dev.supported_keys().map_or(false, |k| k.contains(Key::KEY_ENTER))
    }
}

/// First device under /dev/input that looks like a keyboard.
pub fn find_keyboard() -> Option<(PathBuf, Device)> {
    evdev::enumerate().find(|(_, d)| d.supported_keys().map_or(false, |k| k.contains(Key::KEY_A)))
}
