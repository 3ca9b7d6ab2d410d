// A background worker pool bridging sync producers and async consumers.
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crossbeam_channel::{bounded, Receiver, Sender};
use tokio::sync::mpsc as amsc;

pub struct Job {
    pub id: u64,
}

pub async fn drain_std(rx: mpsc::Receiver<Job>) {
    while let Ok(job) = rx.recv() { //~ channel
        handle(job).await;
    }
}

pub async fn drain_with_timeout(rx: &mpsc::Receiver<Job>) -> Option<Job> {
    rx.recv_timeout(Duration::from_secs(1)).ok() //~ channel
}

pub async fn drain_crossbeam(rx: Receiver<Job>, tx: Sender<u64>) {
    for job in rx.iter() { //~ channel
        let id = job.id;
        handle(job).await;
        tx.send(id).unwrap(); //~ channel
    }
}

pub async fn drain_tokio(mut rx: amsc::Receiver<Job>, done: amsc::Sender<u64>) {
    while let Some(job) = rx.recv().await { //~ ok(channel)
        let id = job.id;
        handle(job).await;
        done.send(id).await.unwrap(); //~ ok(channel)
    }
}

pub async fn drain_select(mut rx: amsc::Receiver<Job>, mut stop: tokio::sync::oneshot::Receiver<()>) {
    loop {
        tokio::select! {
            Some(job) = rx.recv() => handle(job).await, //~ ok(channel)
            _ = &mut stop => break,
        }
    }
}

pub async fn with_deadline(mut rx: amsc::Receiver<Job>) {
    match tokio::time::timeout(Duration::from_secs(2), rx.recv()).await { //~ ok(channel)
        Ok(Some(job)) => handle(job).await,
        _ => {}
    }
}

pub async fn start_pool(n: usize) -> Vec<u64> {
    let (tx, rx) = bounded::<u64>(16);
    let workers: Vec<_> = (0..n)
        .map(|i| {
            let tx = tx.clone();
            thread::spawn(move || {
                thread::sleep(Duration::from_millis(10)); //~ ok(sleep)
                tx.send(i as u64).unwrap(); //~ ok(channel)
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap(); //~ thread_join
    }
    drop(tx);
    rx.iter().collect() //~ channel
}

pub async fn unbounded_bridge() {
    let (tx, rx) = mpsc::channel::<Job>();
    tx.send(Job { id: 1 }).unwrap(); //~ ok(channel)
    let first = rx.recv().unwrap(); //~ channel
    handle(first).await;
}

async fn handle(_job: Job) {}
