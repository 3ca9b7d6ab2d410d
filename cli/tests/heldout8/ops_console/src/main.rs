//! Interactive operator console for a fleet of JSON-RPC nodes.
mod lookup;
mod prompt;
mod rpc;
mod tty;

use std::time::Duration;

use prompt::Console;
use rpc::NodeClient;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    tracing_subscriber::fmt::init();
    let mut console = Console::new()?; //~ ok(stdio)
    console.restore_history()?; //~ fs
    let resolver = lookup::Lookup::system()?; //~ fs
    let async_resolver = lookup::async_resolver(); //~ ok(dns)

    let user: String = text_io::read!("{}\n"); //~ stdio
    let password = tty::ask_password()?; //~ stdio
    let mut node = NodeClient::connect("http://node-1.fleet.internal:8332", &user, &password)?; //~ dns

    loop {
        let Some(line) = console.next_command()? else { break }; //~ stdio
        let mut parts = line.split_whitespace();
        match parts.next() {
            Some("resolve") => {
                let host = parts.next().unwrap_or("localhost");
                let ips = resolver.addresses(host)?; //~ dns
                let async_ips = async_resolver.lookup_ip(host).await?; //~ ok(dns)
                println!("{ips:?} / {}", async_ips.iter().count());
            }
            Some("height") => {
                let h = node.block_height()?; //~ http_blocking
                println!("height {h}");
            }
            Some("switch") => {
                let target = parts.next().unwrap_or("node-2.fleet.internal");
                node = NodeClient::connect(&format!("http://{target}:8332"), &user, &password)?; //~ dns
            }
            Some("raw") => {
                let method = parts.next().unwrap_or("getnetworkinfo");
                let v: serde_json::Value = node.inner().call(method, None)?; //~ http_blocking
                println!("{v:#}");
                let req = node.inner().build_request(method, None); //~ ok(http_blocking)
                println!("{}", serde_json::to_string(&req)?);
            }
            Some("watch") => {
                let rx = tty::key_stream(); //~ ok(stdio)
                for _ in 0..20 {
                    if let Ok(Some(k)) = rx.try_next_key() { //~ ok(stdio)
                        println!("key {k:?}");
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await; //~ ok(sleep)
                }
                let confirm = tty::confirm("continue watching?")?; //~ stdio
                if !confirm {
                    continue;
                }
                let peers = rpc::peer_count_blocking(&node); //~ block_on
                println!("{peers} peers");
            }
            Some("quit") | None => break,
            Some(other) => {
                let parsed: Result<u32, _> = text_io::try_read!("{}", other.bytes()); //~ ok(stdio)
                println!("unknown command {other} ({parsed:?})");
            }
        }
        console.remember(&line); //~ ok(fs)
    }
    console.persist_history()?; //~ fs
    Ok(())
}
