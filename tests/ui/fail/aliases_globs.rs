// Aliases, groups and globs: what the `use` lines of an annotated `mod` say.
#[pollguard::no_blocking]
mod handlers {
    use std::fs::{self, File};
    use std::net::*;
    use std::thread::sleep as nap;
    use std::time::Duration;

    pub async fn handle() -> std::io::Result<()> {
        nap(Duration::from_millis(1));
        let config = fs::read_to_string("app.toml")?;
        let log = File::create("app.log")?;
        let upstream = TcpStream::connect("127.0.0.1:8080")?;
        drop((config, log, upstream));
        Ok(())
    }
}

fn main() {}
