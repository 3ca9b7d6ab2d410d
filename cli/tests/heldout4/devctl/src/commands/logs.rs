use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};

use anyhow::Context;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt};

use super::*;
use crate::cli::LogsArgs;

pub async fn run(session: &Session, args: LogsArgs) -> anyhow::Result<()> {
    let env = session.cfg.env(&args.env)?;
    if args.follow {
        return follow(env, &session.cfg.project).await;
    }

    let addr = (env.log_host.as_str(), env.log_port)
        .to_socket_addrs()? //~ dns
        .next()
        .context("log host did not resolve")?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?; //~ net
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.write_all(format!("TAIL {} {}\n", session.cfg.project, args.lines).as_bytes())?; //~ net

    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while reader.read_line(&mut line)? > 0 { //~ net
        print!("{line}");
        line.clear();
    }
    Ok(())
}

async fn follow(env: &EnvConfig, project: &str) -> anyhow::Result<()> {
    let addr = tokio::net::lookup_host((env.log_host.as_str(), env.log_port)) //~ ok(dns)
        .await?
        .next()
        .context("log host did not resolve")?;
    let mut stream = tokio::net::TcpStream::connect(addr).await?; //~ ok(net)
    stream.write_all(format!("FOLLOW {project}\n").as_bytes()).await?; //~ ok(net)

    let (quit_tx, mut quit_rx) = tokio::sync::mpsc::channel::<()>(1);
    std::thread::spawn(move || {
        let mut buf = String::new();
        while std::io::stdin().read_line(&mut buf).is_ok() { //~ ok(stdio)
            if buf.trim() == "q" {
                let _ = quit_tx.blocking_send(()); //~ ok(tokio_blocking)
                break;
            }
            buf.clear();
        }
    });

    let mut lines = tokio::io::BufReader::new(stream).lines();
    loop {
        tokio::select! {
            _ = quit_rx.recv() => break, //~ ok(channel)
            line = lines.next_line() => match line? {
                Some(l) => println!("{l}"),
                None => break,
            },
        }
    }
    Ok(())
}
