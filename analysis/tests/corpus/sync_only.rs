// Plain sync code: every blocking call here is fine, nothing may be reported.
use std::fs::{self, File};
use std::io::Read;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

pub fn load(path: &str) -> std::io::Result<String> {
    let mut s = String::new();
    File::open(path)?.read_to_string(&mut s)?; //~ ok(fs)
    Ok(s)
}

pub fn copy_all(from: &str, to: &str) -> std::io::Result<()> {
    for entry in fs::read_dir(from)? { //~ ok(fs)
        let entry = entry?;
        fs::copy(entry.path(), to)?; //~ ok(fs)
    }
    Ok(())
}

pub fn pipeline() {
    let (tx, rx) = mpsc::channel();
    let h = thread::spawn(move || {
        thread::sleep(Duration::from_millis(5)); //~ ok(sleep)
        tx.send(1).unwrap();
    });
    let v = rx.recv().unwrap(); //~ ok(channel)
    h.join().unwrap(); //~ ok(thread_join)
    println!("{v}");
}

pub fn returns_future() -> impl std::future::Future<Output = ()> {
    let data = std::fs::read("seed").unwrap_or_default(); //~ ok(fs)
    async move {
        drop(data);
    }
}
