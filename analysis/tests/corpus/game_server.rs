// A game server tick loop: a world behind parking_lot locks, a polled
// non-blocking UDP socket, lobbies whose methods are called join and wait.
use parking_lot::{Mutex, RwLock};
use std::net::UdpSocket;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, Notify};

const TICK: Duration = Duration::from_millis(16);

pub struct World {
    players: RwLock<Vec<Player>>,
    events: Mutex<Vec<String>>,
    tick: AtomicU64,
    ready: Arc<std::sync::Barrier>,
}

pub struct Player {
    id: u64,
    out: mpsc::UnboundedSender<Vec<u8>>,
}

pub struct Lobby {
    waiting: Vec<u64>,
}

impl Lobby {
    pub fn join(&mut self, id: u64) -> bool {
        self.waiting.push(id);
        self.waiting.len() >= 4
    }
    pub async fn wait(&self) {}
    pub fn lock(&mut self) -> Vec<u64> {
        std::mem::take(&mut self.waiting)
    }
}

pub async fn tick_loop(world: Arc<World>, shutdown: Arc<Notify>) {
    let mut last = Instant::now();
    loop {
        let start = Instant::now();
        step(&world, start - last);
        last = start;
        {
            let players = world.players.read(); //~ lock
            for p in players.iter() {
                p.out.send(encode(p.id)).ok(); //~ ok(channel)
            }
        }
        world.tick.fetch_add(1, Ordering::Relaxed);
        if let Some(rest) = TICK.checked_sub(start.elapsed()) {
            std::thread::sleep(rest); //~ sleep
        }
        if world.tick.load(Ordering::Relaxed) % 1000 == 0 {
            tokio::select! {
                _ = shutdown.notified() => break,
                _ = tokio::time::sleep(Duration::ZERO) => {} //~ ok(sleep)
            }
        }
    }
}

fn step(world: &World, _dt: Duration) {
    let mut ev = world.events.lock(); //~ ok(lock)
    ev.clear();
}

pub async fn tick_loop_interval(world: Arc<World>) {
    let mut interval = tokio::time::interval(TICK);
    loop {
        interval.tick().await; //~ ok(sleep)
        step(&world, TICK);
        let mut ev = world.events.lock(); //~ lock
        ev.push(format!("tick {}", world.tick.load(Ordering::Relaxed)));
    }
}

pub async fn poll_socket(sock: UdpSocket, world: Arc<World>) -> std::io::Result<()> {
    sock.set_nonblocking(true)?;
    let mut buf = [0u8; 1200];
    loop {
        match sock.recv_from(&mut buf) { //~ ok(net)
            Ok((n, from)) => {
                sock.send_to(&buf[..n], from)?; //~ ok(net)
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Err(e) => return Err(e),
        }
        world.tick.fetch_add(0, Ordering::Relaxed);
    }
}

pub async fn blocking_socket(sock: &UdpSocket) -> std::io::Result<usize> {
    let mut buf = [0u8; 1200];
    let (n, _) = sock.recv_from(&mut buf)?; //~ net
    Ok(n)
}

pub async fn async_socket(sock: tokio::net::UdpSocket) -> std::io::Result<()> {
    let mut buf = [0u8; 1200];
    let (n, from) = sock.recv_from(&mut buf).await?; //~ ok(net)
    sock.send_to(&buf[..n], from).await?; //~ ok(net)
    Ok(())
}

pub async fn matchmaking(lobby: Arc<tokio::sync::Mutex<Lobby>>, id: u64) -> Option<Vec<u64>> {
    let mut l = lobby.lock().await; //~ ok(lock)
    if l.join(id) { //~ ok(thread_join)
        return Some(l.lock()); //~ ok(lock)
    }
    l.wait().await; //~ ok(thread_join)
    None
}

pub async fn start_round(world: Arc<World>) {
    world.ready.wait(); //~ thread_join
    let mut players = world.players.write(); //~ lock
    players.retain(|p| !p.out.is_closed());
}

pub async fn save_replay(world: Arc<World>, path: std::path::PathBuf) {
    let events = world.events.lock().clone(); //~ lock
    tokio::task::spawn_blocking(move || {
        let joined = events.join("\n"); //~ ok(thread_join)
        std::fs::write(path, joined) //~ ok(fs)
    })
    .await
    .ok();
}

fn encode(id: u64) -> Vec<u8> {
    id.to_le_bytes().to_vec()
}
