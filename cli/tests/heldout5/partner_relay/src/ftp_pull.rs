use suppaftp::types::FileType;
use suppaftp::FtpStream;
use tokio::io::AsyncReadExt;

use crate::FtpConfig;

pub async fn pull_new_files(cfg: &FtpConfig) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut ftp = FtpStream::connect(cfg.addr)?; //~ net
    ftp.login(&cfg.user, &cfg.password)?; //~ net
    ftp.transfer_type(FileType::Binary)?; //~ net
    ftp.cwd(&cfg.remote_dir)?; //~ net
    let names = ftp.nlst(None)?; //~ net

    let mut out = Vec::new();
    for name in names.into_iter().filter(|n| n.ends_with(".edi")) {
        let size = ftp.size(&name)?; //~ net
        if size > cfg.max_bytes {
            tracing::warn!(%name, size, "skipping oversized drop");
            continue;
        }
        let cursor = ftp.retr_as_buffer(&name)?; //~ net
        out.push((name, cursor.into_inner()));
    }
    ftp.quit()?; //~ net
    Ok(out)
}

pub async fn pull_async(cfg: &FtpConfig) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let mut ftp = suppaftp::tokio::AsyncFtpStream::connect(cfg.addr).await?; //~ ok(net)
    ftp.login(&cfg.user, &cfg.password).await?; //~ ok(net)
    ftp.transfer_type(FileType::Binary).await?;
    ftp.cwd(&cfg.remote_dir).await?; //~ ok(net)
    let names = ftp.nlst(None).await?; //~ ok(net)

    let mut out = Vec::new();
    for name in names.into_iter().filter(|n| n.ends_with(".edi")) {
        let size = ftp.size(&name).await?; //~ ok(net)
        if size <= cfg.max_bytes {
            let mut stream = ftp.retr_as_stream(&name).await?; //~ ok(net)
            let mut data = Vec::with_capacity(size);
            stream.read_to_end(&mut data).await?; //~ ok(net)
            stream.finish().await?;
            out.push((name, data));
        }
    }
    ftp.quit().await?; //~ ok(net)
    Ok(out)
}
