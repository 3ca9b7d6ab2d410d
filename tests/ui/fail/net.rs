// pollguard::net: sockets from std::net.
use std::io::Write;

#[pollguard::no_blocking]
async fn serve() -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let (mut conn, _) = listener.accept()?;
    conn.write_all(b"hello")?;
    let mut out = std::net::TcpStream::connect("127.0.0.1:80")?;
    out.write_all(b"ping")?;
    Ok(())
}

fn main() {}
