use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use notify::{Event, RecommendedWatcher, RecursiveMode, Watcher};

pub struct WorkspaceWatcher {
    _watcher: RecommendedWatcher,
    rx: mpsc::Receiver<notify::Result<Event>>,
}

pub async fn watch_workspace(root: &Path) -> anyhow::Result<WorkspaceWatcher> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(root, RecursiveMode::Recursive)?; //~ fs
    Ok(WorkspaceWatcher {
        _watcher: watcher,
        rx,
    })
}

impl WorkspaceWatcher {
    pub async fn next_change(&self) -> anyhow::Result<Event> {
        let event = self.rx.recv()??; //~ channel
        Ok(event)
    }

    pub async fn drain(&self) -> usize {
        let mut count = 0;
        while self.rx.try_recv().is_ok() { //~ ok(channel)
            count += 1;
        }
        while self.rx.recv_timeout(Duration::from_millis(300)).is_ok() { //~ channel
            count += 1;
        }
        count
    }
}

pub async fn watch_into_tokio(
    root: &Path,
) -> anyhow::Result<(RecommendedWatcher, tokio::sync::mpsc::Receiver<Event>)> {
    let (tx, rx) = tokio::sync::mpsc::channel(256);
    let mut watcher = notify::recommended_watcher(move |res: notify::Result<Event>| {
        if let Ok(event) = res {
            let _ = tx.blocking_send(event); //~ ok(tokio_blocking)
        }
    })?;
    watcher.watch(root, RecursiveMode::Recursive)?; //~ fs
    Ok((watcher, rx))
}
