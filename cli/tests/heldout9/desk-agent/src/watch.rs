use std::path::Path;

use inotify::{Inotify, WatchMask};

/// Watches the config directory for edits.
pub struct ConfigWatcher {
    pub inotify: Inotify,
    buf: Vec<u8>,
}

impl ConfigWatcher {
    pub fn new(dir: &Path) -> std::io::Result<Self> {
        let inotify = Inotify::init()?;
        inotify.watches().add(dir, WatchMask::CLOSE_WRITE | WatchMask::MOVED_TO)?;
        Ok(Self { inotify, buf: vec![0; 4096] })
    }

    /// Waits for the next change and returns the names of the changed files.
    pub fn wait_changed(&mut self) -> std::io::Result<Vec<String>> {
        let events = self.inotify.read_events_blocking(&mut self.buf)?;
        Ok(events.filter_map(|e| e.name.map(|n| n.to_string_lossy().into_owned())).collect())
    }

    /// Non-blocking poll: whatever is already queued.
    pub fn poll_changed(&mut self) -> std::io::Result<Vec<String>> {
        let events = self.inotify.read_events(&mut self.buf)?;
        Ok(events.filter_map(|e| e.name.map(|n| n.to_string_lossy().into_owned())).collect())
    }
}
