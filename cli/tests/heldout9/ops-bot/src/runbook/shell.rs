use std::io::Read;
use std::process::Command;

pub struct Captured {
    pub status: i32,
    pub output: String,
}

/// Runs `script` with stdout and stderr interleaved into one pipe, like a terminal would show it.
pub fn capture(script: &str) -> anyhow::Result<Captured> {
    let (mut reader, writer) = os_pipe::pipe()?;
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(script).stdout(writer.try_clone()?).stderr(writer);
    let mut child = cmd.spawn()?;
    drop(cmd);
    let mut output = String::new();
    reader.read_to_string(&mut output)?;
    let status = child.wait()?;
    Ok(Captured { status: status.code().unwrap_or(-1), output })
}

pub async fn capture_async(script: &str) -> anyhow::Result<Captured> {
    let out = tokio::process::Command::new("bash").arg("-c").arg(script).output().await?;
    let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
    output.push_str(&String::from_utf8_lossy(&out.stderr));
    Ok(Captured { status: out.status.code().unwrap_or(-1), output })
}
