// A CLI downloader with progress bars: async reqwest for the transfers,
// a few interactive prompts and a post-download hook.
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use tokio::io::AsyncWriteExt;

pub struct Job {
    url: String,
    dest: PathBuf,
}

async fn fetch(client: &reqwest::Client, job: &Job, pb: ProgressBar) -> anyhow::Result<()> {
    let mut resp = client.get(&job.url).send().await?; //~ ok(http_blocking)
    pb.set_length(resp.content_length().unwrap_or(0));
    let mut out = tokio::fs::File::create(&job.dest).await?; //~ ok(fs)
    while let Some(chunk) = resp.chunk().await? {
        out.write_all(&chunk).await?; //~ ok(fs)
        pb.inc(chunk.len() as u64);
    }
    out.flush().await?; //~ ok(fs)
    pb.finish_with_message("done");
    Ok(())
}

async fn fetch_to_std_file(client: &reqwest::Client, job: &Job) -> anyhow::Result<()> {
    let bytes = client.get(&job.url).send().await?.bytes().await?;
    let mut file = std::fs::File::create(&job.dest)?; //~ fs
    file.write_all(&bytes)?; //~ fs
    file.flush()?; //~ ok(fs)
    Ok(())
}

fn read_jobs(list: &Path) -> Vec<Job> {
    let text = std::fs::read_to_string(list).unwrap_or_default(); //~ ok(fs)
    text.lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(u, d)| Job { url: u.to_owned(), dest: PathBuf::from(d) })
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let jobs = if args.len() > 1 {
        read_jobs(Path::new(&args[1]))
    } else {
        let mut jobs = Vec::new();
        for line in std::io::stdin().lock().lines() { //~ stdio
            let line = line?;
            if let Some((u, d)) = line.split_once(' ') {
                jobs.push(Job { url: u.to_owned(), dest: PathBuf::from(d) });
            }
        }
        jobs
    };

    let overwrite = dialoguer::Confirm::new()
        .with_prompt("overwrite existing files?")
        .interact()?; //~ stdio
    if !overwrite {
        let jobs_left: Vec<&Job> = jobs.iter().filter(|j| !j.dest.exists()).collect(); //~ miss(fs)
        eprintln!("{} to fetch", jobs_left.len());
    }

    let mp = MultiProgress::new();
    let style = ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes}")?;
    let client = reqwest::Client::new();
    let tasks = jobs.iter().map(|job| {
        let pb = mp.add(ProgressBar::new(0).with_style(style.clone()));
        fetch(&client, job, pb)
    });
    let results = futures::future::join_all(tasks).await; //~ ok(thread_join)
    let failed = results.iter().filter(|r| r.is_err()).count();

    if let Some(job) = jobs.first() {
        fetch_to_std_file(&client, job).await?;
    }

    let mut hook = Command::new("sha256sum")
        .args(jobs.iter().map(|j| &j.dest))
        .stdout(Stdio::piped())
        .spawn()?; //~ ok(process)
    let ok = hook.try_wait()?.is_some(); //~ ok(process)
    if !ok {
        hook.kill().ok(); //~ ok(process)
    }
    let sums = hook.wait_with_output()?; //~ process
    std::io::stdout().write_all(&sums.stdout)?; //~ ok(stdio)

    let mut answer = String::new();
    print!("open the download folder? [y/N] ");
    std::io::stdout().flush()?; //~ ok(stdio)
    std::io::stdin().read_line(&mut answer)?; //~ stdio
    if answer.trim() == "y" {
        let status = Command::new("xdg-open").arg(".").status()?; //~ process
        drop(status);
    }

    let agent = ureq::AgentBuilder::new().build(); //~ ok(http_blocking)
    let ping = agent.get("https://example.com/ping").call(); //~ http_blocking
    drop(ping);

    if failed > 0 {
        std::process::exit(1); //~ ok(process)
    }
    Ok(())
}
