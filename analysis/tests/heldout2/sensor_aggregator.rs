//! Greenhouse sensor gateway: reads frames from serial sensors, aggregates
//! windows of samples with rayon, and publishes summaries to an async sink.

use std::io::{BufRead, BufReader, Read};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::Duration;

use futures::executor::block_on;
use rayon::prelude::*;
use serialport::SerialPort;
use tokio::sync::Mutex as TMutex;

#[derive(Clone, Copy, Debug, Default)]
pub struct Sample {
    pub sensor: u8,
    pub celsius: f32,
    pub humidity: f32,
}

pub struct Summary {
    pub sensor: u8,
    pub mean_c: f32,
    pub max_h: f32,
}

type Port = Box<dyn SerialPort>;

fn parse(frame: &[u8]) -> Option<Sample> {
    if frame.len() != 9 || frame[0] != 0xAA {
        return None;
    }
    let c = i16::from_le_bytes([frame[2], frame[3]]) as f32 / 10.0;
    let h = u16::from_le_bytes([frame[4], frame[5]]) as f32 / 10.0;
    Some(Sample { sensor: frame[1], celsius: c, humidity: h })
}

pub fn reader_thread(mut port: Port, tx: mpsc::Sender<Sample>) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut frame = [0u8; 9];
        loop {
            if port.read_exact(&mut frame).is_err() { //~ ok(fs)
                thread::sleep(Duration::from_millis(100)); //~ ok(sleep)
                continue;
            }
            if let Some(s) = parse(&frame) {
                if tx.send(s).is_err() { //~ ok(channel)
                    break;
                }
            }
        }
    })
}

pub fn summarize(window: &[Sample]) -> Vec<Summary> {
    let mut by_sensor: std::collections::BTreeMap<u8, Vec<Sample>> = Default::default();
    for s in window {
        by_sensor.entry(s.sensor).or_default().push(*s);
    }
    by_sensor
        .into_par_iter()
        .map(|(sensor, v)| Summary {
            sensor,
            mean_c: v.iter().map(|s| s.celsius).sum::<f32>() / v.len() as f32,
            max_h: v.iter().map(|s| s.humidity).fold(0.0, f32::max),
        })
        .collect()
}

pub struct Gateway {
    rx: mpsc::Receiver<Sample>,
    sink: Arc<TMutex<Vec<Summary>>>,
    calib_port: std::sync::Mutex<Port>,
}

impl Gateway {
    pub async fn collect_window(&self, n: usize) -> Vec<Sample> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self.rx.recv_timeout(Duration::from_secs(2)) { //~ channel
                Ok(s) => out.push(s),
                Err(_) => break,
            }
        }
        out.extend(self.rx.try_iter()); //~ ok(channel)
        out
    }

    pub async fn publish(&self, window: Vec<Sample>) {
        let sums = tokio::task::spawn_blocking(move || summarize(&window)).await.unwrap();
        self.sink.lock().await.extend(sums); //~ ok(lock)
    }

    pub async fn publish_inline(&self, window: Vec<Sample>) {
        let sums: Vec<Summary> = window
            .par_chunks(64)
            .flat_map(|c| summarize(c))
            .collect(); //~ thread_join
        self.sink.lock().await.extend(sums); //~ ok(lock)
    }

    pub async fn calibrate(&self, offset: i8) -> std::io::Result<()> {
        let mut port = self.calib_port.lock().unwrap(); //~ lock
        port.write_all(&[0x55, offset as u8])?; //~ fs
        let mut ack = [0u8; 1];
        port.read_exact(&mut ack)?; //~ fs
        Ok(())
    }

    pub async fn probe_all(&self, ports: Vec<String>) -> Vec<String> {
        let barrier = Arc::new(Barrier::new(ports.len() + 1));
        let found = Arc::new(std::sync::Mutex::new(Vec::new()));
        thread::scope(|s| { //~ thread_join
            for name in &ports {
                let (b, f) = (barrier.clone(), found.clone());
                s.spawn(move || {
                    if serialport::new(name, 9600).timeout(Duration::from_millis(300)).open().is_ok() { //~ ok(fs)
                        f.lock().unwrap().push(name.clone()); //~ ok(lock)
                    }
                    b.wait(); //~ ok(thread_join)
                });
            }
            barrier.wait(); //~ thread_join
        });
        let v = found.lock().unwrap().clone(); //~ lock
        v
    }

    pub async fn dump_log(&self, path: &str) -> usize {
        let file = std::fs::File::open(path).unwrap(); //~ fs
        let reader = BufReader::new(file);
        reader.lines().map_while(Result::ok).filter(|l| l.starts_with("ERR")).count() //~ fs
    }
}

pub fn run_blocking_publish(gw: &Gateway, window: Vec<Sample>) {
    block_on(gw.publish(window)); //~ ok(block_on)
}

pub async fn nested_publish(gw: Arc<Gateway>, window: Vec<Sample>) {
    block_on(gw.publish(window)); //~ block_on
}
