// A hand-rolled TCP server that mixes std and tokio sockets.
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs, UdpSocket};

pub async fn serve_std(listener: TcpListener) -> std::io::Result<()> {
    for stream in listener.incoming() { //~ net
        let mut stream = stream?;
        let mut buf = [0u8; 512];
        let n = stream.read(&mut buf)?; //~ net
        stream.write_all(&buf[..n])?; //~ net
    }
    Ok(())
}

pub async fn accept_one(listener: &TcpListener) -> std::io::Result<TcpStream> {
    let (s, _) = listener.accept()?; //~ net
    Ok(s)
}

pub async fn connect(host: &str) -> std::io::Result<TcpStream> {
    let addrs: Vec<_> = (host, 80).to_socket_addrs()?.collect(); //~ dns
    TcpStream::connect(&addrs[..]) //~ net
}

pub async fn udp_echo(sock: UdpSocket) -> std::io::Result<()> {
    let mut buf = [0u8; 1500];
    let (n, peer) = sock.recv_from(&mut buf)?; //~ net
    sock.send_to(&buf[..n], peer)?; //~ net
    Ok(())
}

pub async fn serve_tokio(listener: tokio::net::TcpListener) -> std::io::Result<()> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    loop {
        let (mut s, _) = listener.accept().await?; //~ ok(net)
        let mut buf = vec![0u8; 512];
        let n = s.read(&mut buf).await?; //~ ok(net)
        s.write_all(&buf[..n]).await?; //~ ok(net)
        let peers = tokio::net::lookup_host("localhost:80").await?; //~ ok(dns)
        drop(peers);
    }
}

pub async fn parse_only(input: &str) -> Vec<u8> {
    let mut cursor = std::io::Cursor::new(input.as_bytes());
    let mut out = Vec::new();
    cursor.read_to_end(&mut out).unwrap(); //~ ok(net)
    out
}
