use std::io::{Read, Write};
use std::net::TcpStream;

use ssh2::Session;

use crate::transport;
use crate::SftpConfig;

pub async fn push(cfg: &SftpConfig, files: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    let session = transport::open_session(cfg)?; //~ net
    let sftp = session.sftp()?; //~ net
    for (name, data) in files {
        let remote_path = cfg.remote_dir.join(format!("{name}.part"));
        let mut remote = sftp.create(&remote_path)?; //~ net
        remote.write_all(data)?; //~ net
        sftp.rename(&remote_path, &cfg.remote_dir.join(name), None)?; //~ net
    }
    let listing = sftp.readdir(&cfg.remote_dir)?; //~ net
    tracing::debug!(entries = listing.len(), "remote ingest directory");
    Ok(())
}

pub async fn run_remote_hook(cfg: &SftpConfig, count: usize) -> anyhow::Result<i32> {
    let tcp = TcpStream::connect(cfg.addr)?; //~ net
    let mut session = Session::new()?; //~ ok(net)
    session.set_tcp_stream(tcp); //~ ok(net)
    session.handshake()?; //~ net
    session.userauth_password(&cfg.user, &cfg.password)?; //~ net

    let mut channel = session.channel_session()?; //~ net
    channel.exec(&format!("/opt/ingest/bin/notify --files {count}"))?; //~ net
    let mut output = String::new();
    channel.read_to_string(&mut output)?; //~ net
    channel.wait_close()?; //~ net
    let status = channel.exit_status()?; //~ ok(net)
    tracing::info!(status, output = %output.trim(), "ingest hook finished");
    Ok(status)
}

pub async fn push_in_background(cfg: SftpConfig, files: Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
    tokio::task::spawn_blocking(move || transport::upload_all(&cfg, &files)).await? //~ ok(net)
}
