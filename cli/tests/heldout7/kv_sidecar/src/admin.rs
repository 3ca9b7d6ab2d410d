//! Admin endpoint on 127.0.0.1:7401 (health, stats, fsync), served by a
//! plain thread with tiny_http.

use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crate::store::Persistent;

pub fn spawn_admin_thread(server: Arc<tiny_http::Server>, store: Arc<Persistent>) -> JoinHandle<()> {
    thread::Builder::new()
        .name("kvs-admin".into())
        .spawn(move || {
            for req in server.incoming_requests() { //~ ok(net)
                let body = match req.url() {
                    "/healthz" => "ok\n".to_string(),
                    "/stats" => format!("entries {}\n", store.entries().unwrap_or(0)),
                    "/fsync" => format!("synced {:?}\n", store.sync()), //~ ok(db)
                    _ => "not found\n".to_string(),
                };
                let _ = req.respond(tiny_http::Response::from_string(body)); //~ ok(net)
            }
        })
        .expect("admin thread")
}
