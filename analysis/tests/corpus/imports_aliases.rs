// Glob imports, renamed imports, leading `::` paths and per-module imports
// that give the same short name to a blocking and an async item.
use std::fs::*;
use std::net::*;
use std::process::Command as Cmd;
use std::sync::mpsc::Receiver as StdRx;
use std::thread::sleep as nap;
use std::{fs as sfs, io::prelude::*};
use tokio::fs as afs;
use tokio::process::Command as AsyncCmd;

pub async fn globbed(p: &std::path::Path) -> std::io::Result<String> {
    let text = read_to_string(p)?; //~ fs
    let mut f = File::open(p)?; //~ fs
    let mut more = String::new();
    f.read_to_string(&mut more)?; //~ fs
    create_dir_all(p.with_extension("d"))?; //~ fs
    Ok(text + &more)
}

pub async fn net_glob(host: &str) -> std::io::Result<()> {
    let s = TcpStream::connect((host, 7))?; //~ net
    let l = TcpListener::bind("127.0.0.1:0")?;
    let (c, _) = l.accept()?; //~ net
    drop((s, c));
    Ok(())
}

pub async fn renamed(rx: StdRx<u8>, p: &std::path::Path) -> u8 {
    nap(std::time::Duration::from_millis(3)); //~ sleep
    sfs::remove_file(p).ok(); //~ fs
    afs::remove_file(p).await.ok(); //~ ok(fs)
    let o = Cmd::new("ls").output(); //~ process
    let a = AsyncCmd::new("ls").output().await; //~ ok(process)
    drop((o, a));
    rx.recv().unwrap_or(0) //~ channel
}

pub async fn leading_colons(p: &str) -> usize {
    let a = ::std::fs::read(p).map(|v| v.len()).unwrap_or(0); //~ fs
    ::std::thread::sleep(::std::time::Duration::from_millis(1)); //~ sleep
    let b = ::tokio::fs::read(p).await.map(|v| v.len()).unwrap_or(0); //~ ok(fs)
    a + b
}

pub async fn fn_local_shadow(p: &str) -> usize {
    use tokio::fs::read_to_string;
    read_to_string(p).await.map(|s| s.len()).unwrap_or(0) //~ ok(fs)
}

pub async fn fn_local_shadow_file(p: &str) -> usize {
    use tokio::fs::File;
    let f = File::open(p).await; //~ ok(fs)
    f.map(|_| 1).unwrap_or(0)
}

mod blocking_side {
    use std::fs::File;
    use std::sync::Mutex;
    use std::io::Read;

    pub async fn load(p: &str, m: &Mutex<u32>) -> String {
        *m.lock().unwrap() += 1; //~ lock
        let mut s = String::new();
        File::open(p) //~ fs
            .and_then(|mut f| f.read_to_string(&mut s)) //~ miss(fs)
            .ok();
        s
    }
}

mod async_side {
    use tokio::fs::File;
    use tokio::io::AsyncReadExt;
    use tokio::sync::Mutex;

    pub async fn load(p: &str, m: &Mutex<u32>) -> String {
        *m.lock().await += 1; //~ ok(lock)
        let mut s = String::new();
        if let Ok(mut f) = File::open(p).await { //~ ok(fs)
            f.read_to_string(&mut s).await.ok(); //~ ok(fs)
        }
        s
    }
}

mod sleeper {
    pub use std::thread::sleep;
}

mod timer {
    pub use tokio::time::sleep;
}

pub async fn reexports() {
    sleeper::sleep(std::time::Duration::from_millis(1)); //~ sleep
    timer::sleep(std::time::Duration::from_millis(1)).await; //~ ok(sleep)
}

pub async fn std_as_alias() {
    extern crate std as stdlib;
    stdlib::thread::sleep(stdlib::time::Duration::from_millis(1)); //~ miss(sleep)
}

pub async fn qualified_trait_call(p: &str) -> usize {
    let mut f = <File>::open(p).unwrap(); //~ miss(fs)
    let mut buf = Vec::new();
    Read::read_to_end(&mut f, &mut buf).unwrap_or(0) //~ miss(fs)
}
