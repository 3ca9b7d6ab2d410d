use std::process::Command;

use anyhow::bail;
use serde::Deserialize;

use super::*;
use crate::cli::DeployArgs;

#[derive(Debug, Deserialize)]
struct Rollout {
    finished: bool,
    healthy: bool,
}

pub async fn run(session: &Session, args: DeployArgs) -> anyhow::Result<()> {
    let env = session.cfg.env(&args.env)?;
    let branch = git::current_branch()?; //~ process
    if branch != "main" && !args.force && !prompt::confirm(&format!("Deploy branch `{branch}`?")) { //~ stdio
        bail!("aborted");
    }
    if git::is_dirty()? && !args.force { //~ process
        bail!("working tree is dirty; commit or pass --force");
    }
    git::fetch("origin").await?;

    let tag = match args.tag {
        Some(t) => t,
        None => git::head_sha()?, //~ process
    };
    let image = session.cfg.image(&tag);

    let status = Command::new("docker")
        .args(["build", "-t", &image, "."])
        .status()?; //~ process
    if !status.success() {
        bail!("docker build failed");
    }
    let pushed = tokio::process::Command::new("docker")
        .args(["push", &image])
        .status() //~ ok(process)
        .await?;
    if !pushed.success() {
        bail!("docker push failed");
    }

    let resp = ureq::post(&format!("{}/deployments", env.api))
        .set("x-devctl-branch", &branch)
        .send_json(serde_json::json!({ "image": image, "env": args.env })) //~ http_blocking
        .map_err(|e| anyhow::anyhow!("deploy api: {e}"))?;
    let location = resp.header("location").unwrap_or_default().to_owned();

    let deadline = Instant::now() + Duration::from_secs(args.wait_secs);
    loop {
        let rollout: Rollout = session
            .http
            .get(&location)
            .send() //~ ok(http_blocking)
            .await?
            .json()
            .await?;
        if rollout.finished {
            if !rollout.healthy {
                bail!("rollout finished unhealthy");
            }
            break;
        }
        if Instant::now() > deadline {
            bail!("timed out waiting for rollout");
        }
        std::thread::sleep(Duration::from_secs(2)); //~ sleep
    }

    std::fs::create_dir_all(".devctl")?; //~ fs
    std::fs::write(".devctl/last-deploy", format!("{} {}\n", args.env, image))?; //~ fs
    session.health_cache.lock().await.remove(&args.env); //~ ok(lock)
    println!("deployed {image} to {} in {:?}", args.env, session.elapsed());
    Ok(())
}
