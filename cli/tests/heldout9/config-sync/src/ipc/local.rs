use std::io::{BufRead, BufReader, Write};

use interprocess::local_socket::{prelude::*, GenericNamespaced, ListenerOptions, Name, Stream};

pub fn socket_name() -> std::io::Result<Name<'static>> {
    "config-sync.sock".to_ns_name::<GenericNamespaced>()
}

/// Blocking listener that answers `GET <key>\n` requests from client libraries.
pub struct ClientListener {
    pub listener: LocalSocketListener,
}

impl ClientListener {
    pub fn bind() -> std::io::Result<Self> {
        let listener = ListenerOptions::new().name(socket_name()?).create_sync()?;
        Ok(Self { listener })
    }

    /// Accepts one client and returns the key it asked for.
    pub fn next_request(&self) -> std::io::Result<(String, BufReader<Stream>)> {
        let conn = self.listener.accept()?;
        let mut reader = BufReader::new(conn);
        let mut line = String::new();
        reader.read_line(&mut line)?;
        Ok((line.trim_start_matches("GET ").trim().to_string(), reader))
    }
}

/// Client side, used by `config-sync get` and the health check.
pub fn query(key: &str) -> std::io::Result<String> {
    let conn = Stream::connect(socket_name()?)?;
    let mut reader = BufReader::new(conn);
    reader.get_mut().write_all(format!("GET {key}\n").as_bytes())?;
    let mut answer = String::new();
    reader.read_line(&mut answer)?;
    Ok(answer)
}
