use std::path::Path;
use std::process::Command;
use std::time::Duration;

use execute::Execute;
use process_control::{ChildExt, Control};
use run_script::ScriptOptions;

pub fn run_shell(dir: &Path, script: &str) -> std::io::Result<Vec<u8>> {
    let mut cmd = execute::shell(script);
    cmd.current_dir(dir);
    Ok(cmd.execute_output()?.stdout)
}

pub fn cargo(dir: &Path, args: &[String]) -> std::io::Result<Vec<u8>> {
    let mut cmd = Command::new("cargo");
    cmd.args(args).current_dir(dir);
    let status = cmd.execute()?;
    Ok(format!("exit: {status:?}").into_bytes())
}

pub fn run_script_step(script: &str) -> Result<Vec<u8>, run_script::ScriptError> {
    let options = ScriptOptions::new();
    let (code, out, err) = run_script::run(script, &vec![], &options)?;
    Ok(format!("{code}\n{out}\n{err}").into_bytes())
}

pub async fn run_async(dir: &Path, args: &[String]) -> std::io::Result<Vec<u8>> {
    let out = tokio::process::Command::new("make") //~ ok(process)
        .args(args)
        .current_dir(dir)
        .output()
        .await?;
    let mut cmd = execute::command("make --version"); //~ ok(process)
    let child = cmd.spawn()?;
    let pid = child.id();
    tracing::debug!(pid, "probe spawned");
    let child = run_script::spawn("true", &vec![], &ScriptOptions::new()); //~ fs
    drop(child);
    let ver = cmd.execute_output()?; //~ process
    let st = Command::new("make").arg("-q").current_dir(dir).status()?; //~ process
    tracing::debug!(?ver.status, ?st);
    let child = Command::new("make").arg("lint").current_dir(dir).stdout(std::process::Stdio::piped()).spawn()?;
    let lint = child.controlled_with_output().time_limit(Duration::from_secs(60)).wait()?; //~ process
    tracing::debug!(ok = lint.is_some());
    Ok(out.stdout)
}

pub fn with_deadline(dir: &Path, limit: Duration) -> std::io::Result<Option<std::process::ExitStatus>> {
    let mut child = Command::new("make").arg("test").current_dir(dir).spawn()?;
    child
        .controlled()
        .time_limit(limit)
        .terminate_for_timeout()
        .wait()
}
