use std::time::Duration;

use zookeeper::{Acl, CreateMode, WatchedEvent, Watcher, ZooKeeper};

struct LogWatcher;

impl Watcher for LogWatcher {
    fn handle(&self, e: WatchedEvent) {
        log::info!("zk event: {:?} {:?}", e.event_type, e.path);
    }
}

/// Thin wrapper around the ZooKeeper session.
pub struct ZkSource {
    pub zk: ZooKeeper,
    pub root: String,
}

impl ZkSource {
    pub fn connect(hosts: &str, root: &str) -> zookeeper::ZkResult<Self> {
        let zk = ZooKeeper::connect(hosts, Duration::from_secs(10), LogWatcher)?;
        Ok(Self { zk, root: root.to_string() })
    }

    pub fn keys(&self) -> zookeeper::ZkResult<Vec<String>> {
        self.zk.get_children(&self.root, true)
    }

    pub fn value(&self, key: &str) -> zookeeper::ZkResult<Vec<u8>> {
        Ok(self.zk.get_data(&format!("{}/{}", self.root, key), false)?.0)
    }

    pub fn register_self(&self, host: &str) -> zookeeper::ZkResult<String> {
        self.zk.create(
            &format!("/agents/{host}"),
            vec![],
            Acl::open_unsafe().clone(),
            CreateMode::Ephemeral,
        )
    }
}
