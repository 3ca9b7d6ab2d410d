use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{kill, Signal};
use nix::sys::wait::{wait, waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::Pid;

pub async fn reap_zombies() -> anyhow::Result<usize> {
    let mut reaped = 0;
    loop {
        match waitpid(None, Some(WaitPidFlag::WNOHANG)) { //~ ok(process)
            Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => break,
            Ok(_) => reaped += 1,
            Err(err) => return Err(err.into()),
        }
    }
    Ok(reaped)
}

pub async fn wait_for(pid: Pid) -> anyhow::Result<i32> {
    match waitpid(pid, None)? { //~ process
        WaitStatus::Exited(_, code) => Ok(code),
        WaitStatus::Signaled(_, signal, _) => Ok(128 + signal as i32),
        _ => Ok(-1),
    }
}

pub async fn terminate(pid: Pid, grace: Duration) -> anyhow::Result<()> {
    kill(pid, Signal::SIGTERM)?; //~ ok(process)
    nix::unistd::sleep(grace.as_secs() as u32); //~ sleep
    if waitpid(pid, Some(WaitPidFlag::WNOHANG))? == WaitStatus::StillAlive { //~ ok(process)
        kill(pid, Signal::SIGKILL)?; //~ ok(process)
        let status = wait()?; //~ process
        tracing::warn!(?status, "child needed SIGKILL");
    }
    Ok(())
}
