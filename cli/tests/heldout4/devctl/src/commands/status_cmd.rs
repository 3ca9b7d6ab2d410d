use futures::future::join_all;

use super::*;

async fn probe(http: &reqwest::Client, url: &str) -> bool {
    match http.get(url).timeout(Duration::from_secs(3)).send().await { //~ ok(http_blocking)
        Ok(r) => r.status().is_success(),
        Err(_) => false,
    }
}

fn probe_now(http: &reqwest::Client, url: &str) -> bool {
    futures::executor::block_on(probe(http, url))
}

pub async fn run(session: &Session) -> anyhow::Result<()> {
    let sha = git::head_sha()?; //~ process
    println!("{} @ {}", session.cfg.project, git::short(&sha)); //~ ok(process)

    let envs: Vec<(&String, &EnvConfig)> = session.cfg.envs.iter().collect();
    let results = join_all(envs.iter().map(|(_, e)| probe(&session.http, &e.health_url))).await;
    {
        let mut cache = session.health_cache.blocking_lock(); //~ tokio_blocking
        for ((name, _), ok) in envs.iter().zip(&results) {
            cache.insert((*name).clone(), (Instant::now(), *ok));
        }
    }
    for ((name, env), ok) in envs.iter().zip(results) {
        let reachable = ok || probe_now(&session.http, &env.health_url); //~ block_on
        println!("  {name:<12} {}", if reachable { "up" } else { "DOWN" });
    }

    if let Ok(last) = std::fs::read_to_string(".devctl/last-deploy") { //~ fs
        println!("last deploy: {}", last.trim());
    }

    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        let fetched = git::fetch("origin").await.is_ok();
        let _ = tx.send(fetched); //~ ok(channel)
    });
    if rx.blocking_recv().unwrap_or(false) { //~ tokio_blocking
        println!("remote refs up to date");
    }
    Ok(())
}
