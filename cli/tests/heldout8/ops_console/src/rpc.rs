use jsonrpc::Client;
use serde_json::value::RawValue;

pub struct NodeClient {
    client: Client,
}

impl NodeClient {
    /// Parses the URL and resolves the host up front.
    pub fn connect(url: &str, user: &str, pass: &str) -> Result<Self, jsonrpc::simple_http::Error> {
        let client = Client::simple_http(url, Some(user.to_string()), Some(pass.to_string()))?;
        Ok(Self { client })
    }

    pub fn inner(&self) -> &Client {
        &self.client
    }

    pub fn block_height(&self) -> Result<u64, jsonrpc::Error> {
        self.client.call("getblockcount", None)
    }

    pub fn peer_info(&self, verbose: bool) -> Result<serde_json::Value, jsonrpc::Error> {
        let arg: Box<RawValue> = jsonrpc::arg([verbose]);
        self.client.call("getpeerinfo", Some(&*arg))
    }
}

/// Legacy helper used by older scripts: drives an async counter on the current thread.
pub fn peer_count_blocking(node: &NodeClient) -> usize {
    futures_executor::block_on(async {
        node.peer_info(false)
            .ok()
            .and_then(|v| v.as_array().map(|a| a.len()))
            .unwrap_or(0)
    })
}

pub async fn health_sweep(nodes: Vec<NodeClient>) -> usize {
    let mut alive = 0;
    for n in &nodes {
        if n.block_height().is_ok() { //~ http_blocking
            alive += 1;
        }
    }
    let counts = futures_executor::block_on(async { nodes.len() }); //~ block_on
    let mut pool = futures_executor::LocalPool::new(); //~ ok(block_on)
    let spawner = pool.spawner();
    drop(spawner);
    let ticks = pool.run_until(async { 3usize }); //~ block_on
    let t = async_io::block_on(async_io::Timer::after(std::time::Duration::from_millis(5))); //~ block_on
    async_io::Timer::after(std::time::Duration::from_millis(5)).await; //~ ok(sleep)
    let stream = tokio::task::spawn_blocking(move || {
        futures_executor::block_on(async { counts + ticks }) //~ ok(block_on)
    })
    .await
    .unwrap_or(0);
    tracing::debug!(?t, stream);
    alive
}
