// A small async CLI: prompts, shells out, fetches.
use std::io::{self, BufRead, Write};
use std::process::{Command, Stdio};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut line = String::new();
    print!("name? ");
    io::stdout().flush()?; //~ ok(stdio)
    io::stdin().read_line(&mut line)?; //~ stdio
    let stdin = io::stdin();
    for l in stdin.lock().lines() { //~ stdio
        println!("{}", l?);
    }
    let out = Command::new("git").args(["rev-parse", "HEAD"]).output()?; //~ process
    let status = Command::new("true").status()?; //~ process
    let mut child = Command::new("sleep").arg("1").stdout(Stdio::null()).spawn()?; //~ ok(process)
    child.wait()?; //~ process
    let tokio_out = tokio::process::Command::new("ls").output().await?; //~ ok(process)
    let mut tchild = tokio::process::Command::new("ls").spawn()?; //~ ok(process)
    tchild.wait().await?; //~ ok(process)
    let body = reqwest::blocking::get("http://localhost/x")?.text()?; //~ http_blocking
    let async_body = reqwest::get("http://localhost/y").await?.text().await?; //~ ok(http_blocking)
    let agent = ureq::get("http://localhost/z").call()?; //~ http_blocking
    println!("{line} {out:?} {status} {body} {async_body} {tokio_out:?} {}", agent.status());
    Ok(())
}
