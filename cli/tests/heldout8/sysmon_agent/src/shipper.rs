use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

pub struct Shipper {
    addr: SocketAddr,
    sock: Mutex<Socket>,
    broken: AtomicBool,
}

impl Shipper {
    pub fn connect(target: &str) -> io::Result<Self> {
        let addr = target
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address"))?;
        let sock = Self::dial(addr)?;
        Ok(Self { addr, sock: Mutex::new(sock), broken: AtomicBool::new(false) })
    }

    fn dial(addr: SocketAddr) -> io::Result<Socket> {
        let sock = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
        sock.set_nodelay(true)?;
        sock.set_keepalive(true)?;
        sock.connect_timeout(&SockAddr::from(addr), Duration::from_secs(3))?;
        Ok(sock)
    }

    pub fn ship(&self, line: &str) -> io::Result<()> {
        let sock = self.sock.lock().unwrap();
        let mut off = 0;
        while off < line.len() {
            match sock.send(&line.as_bytes()[off..]) {
                Ok(n) => off += n,
                Err(e) => {
                    self.broken.store(true, Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    pub fn should_reconnect(&self) -> bool {
        self.broken.load(Ordering::Relaxed)
    }

    pub async fn reconnect(&self) -> io::Result<()> {
        let fresh = Self::dial(self.addr)?; //~ net
        *self.sock.lock().unwrap() = fresh; //~ lock
        let probe = Socket::new(Domain::IPV4, Type::STREAM, None)?; //~ ok(net)
        probe.set_nonblocking(true)?; //~ ok(net)
        let _ = probe.connect(&SockAddr::from(self.addr)); //~ ok(net)
        let ack = tokio::net::TcpStream::connect(self.addr).await?; //~ ok(net)
        drop(ack);
        self.broken.store(false, Ordering::Relaxed);
        Ok(())
    }
}
