// An integration-test module: #[tokio::test]s that set up fixtures the
// quick way, next to plain #[test]s where the same calls are fine.
pub async fn serve(addr: std::net::SocketAddr) -> std::io::Result<()> {
    let _ = addr;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::Path;
    use std::time::Duration;

    fn fixture_dir() -> std::path::PathBuf {
        std::env::temp_dir().join("pollguard-fixtures")
    }

    #[tokio::test]
    async fn serves_static_files() {
        let dir = fixture_dir();
        std::fs::create_dir_all(&dir).unwrap(); //~ fs
        std::fs::write(dir.join("index.html"), "<h1>hi</h1>").unwrap(); //~ fs
        tokio::spawn(serve("127.0.0.1:0".parse().unwrap()));
        std::thread::sleep(Duration::from_millis(50)); //~ sleep
        assert!(dir.join("index.html").exists()); //~ fs
        assert_eq!(std::fs::read_to_string(dir.join("index.html")).unwrap(), "<h1>hi</h1>"); //~ fs
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn heavy_setup_in_place() {
        let data = tokio::task::block_in_place(|| {
            std::fs::read(fixture_dir().join("big.bin")).unwrap_or_default() //~ ok(fs)
        });
        let tmp = tempfile::NamedTempFile::new().unwrap(); //~ fs
        let mut f = tmp.reopen().unwrap(); //~ fs
        f.write_all(&data).unwrap(); //~ fs
    }

    #[tokio::test]
    async fn cli_round_trip() {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pollguard"))
            .arg("--version")
            .output() //~ process
            .unwrap();
        assert!(out.status.success()); //~ ok(process)
        let out2 = tokio::process::Command::new("echo").arg("hi").output().await.unwrap(); //~ ok(process)
        assert_eq!(out2.stdout, b"hi\n");
    }

    #[tokio::test]
    async fn waits_for_worker() {
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(5)); //~ ok(sleep)
            tx.send(42).unwrap(); //~ ok(channel)
        });
        let got = rx.recv_timeout(Duration::from_secs(1)).unwrap(); //~ channel
        worker.join().unwrap(); //~ thread_join
        assert_eq!(got, 42);
    }

    #[tokio::test]
    async fn nested_runtime_in_test() {
        let v = tokio_test::block_on(async { 1 }); //~ block_on
        let w = futures::executor::block_on(async { 2 }); //~ block_on
        assert_eq!(v + w, 3);
    }

    #[test]
    fn sync_test_builds_a_runtime() {
        let rt = tokio::runtime::Runtime::new().unwrap();
        let n = rt.block_on(async { 5 }); //~ ok(block_on)
        std::thread::sleep(Duration::from_millis(1)); //~ ok(sleep)
        assert!(Path::new("Cargo.toml").exists()); //~ ok(fs)
        assert_eq!(n, 5);
    }

    #[test]
    fn tokio_test_block_on_is_fine_here() {
        let n = tokio_test::block_on(async {
            tokio::time::sleep(Duration::from_millis(1)).await; //~ ok(sleep)
            std::fs::read_to_string("Cargo.toml").map(|s| s.len()).unwrap_or(0) //~ fs
        });
        assert!(n > 0);
    }

    #[async_std::test]
    async fn async_std_flavour() {
        let meta = std::fs::metadata("Cargo.toml").unwrap(); //~ fs
        let meta2 = async_std::fs::metadata("Cargo.toml").await.unwrap(); //~ ok(fs)
        assert_eq!(meta.len(), meta2.len());
    }

    #[rstest::rstest]
    #[case(1)]
    #[case(2)]
    #[tokio::test]
    async fn parametrized(#[case] n: u64) {
        let p = fixture_dir().join(format!("case{n}"));
        let exists = p.exists(); //~ fs
        let _ = tokio::fs::remove_file(&p).await; //~ ok(fs)
        assert!(!exists || n > 0);
    }

    #[tokio::test]
    async fn tcp_smoke() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let client = std::thread::spawn(move || std::net::TcpStream::connect(addr)); //~ ok(net)
        let (mut server_side, _) = listener.accept().unwrap(); //~ net
        server_side.write_all(b"hello").unwrap(); //~ net
        client.join().unwrap().unwrap(); //~ thread_join
    }
}
