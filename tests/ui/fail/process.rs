// pollguard::process: waiting for child processes.
#[pollguard::no_blocking]
async fn run() -> std::io::Result<()> {
    let out = std::process::Command::new("ls").arg("-l").output()?;
    let mut child = std::process::Command::new("sleep").arg("1").spawn()?;
    let status = child.wait()?;
    println!("{} {status}", out.stdout.len());
    Ok(())
}

fn main() {}
