use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use ssh2::Session;

use crate::SftpConfig;

pub fn open_session(cfg: &SftpConfig) -> anyhow::Result<Session> {
    let tcp = TcpStream::connect_timeout(&cfg.addr, Duration::from_secs(10))?;
    let mut session = Session::new()?;
    session.set_tcp_stream(tcp);
    session.set_timeout(30_000);
    session.handshake()?;
    session.userauth_password(&cfg.user, &cfg.password)?;
    anyhow::ensure!(session.authenticated(), "sftp authentication rejected");
    Ok(session)
}

pub fn upload_all(cfg: &SftpConfig, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let session = open_session(cfg)?;
    let sftp = session.sftp()?;
    for (name, data) in files {
        let mut remote = sftp.create(&cfg.remote_dir.join(name))?;
        remote.write_all(data)?;
    }
    Ok(())
}
