use std::path::Path;

use super::*;
use crate::cli::InitArgs;
use crate::config::{load_or_default as reload, write_template};

pub async fn run(args: &InitArgs) -> anyhow::Result<()> {
    let cwd = std::env::current_dir()?;
    let default_name = cwd
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "app".into());
    let name = match &args.name {
        Some(n) => n.clone(),
        None if args.yes => default_name.clone(),
        None => prompt::ask("Project name", &default_name), //~ stdio
    };

    let path = Path::new(".devctl.toml");
    let exists = tokio::fs::try_exists(path).await.unwrap_or(false); //~ ok(fs)
    if exists && !args.yes && !prompt::confirm_async("Overwrite existing .devctl.toml?").await { //~ ok(stdio)
        return Ok(());
    }
    write_template(path, &name)?; //~ fs
    let cfg: Config = reload(path)?; //~ fs
    std::fs::create_dir_all(".devctl/cache")?; //~ fs
    if let Err(e) = git::install_hooks(&cwd) { //~ fs
        eprintln!("warning: could not install git hooks: {e}");
    }
    let sha = git::short(&git::head_sha().unwrap_or_default()).to_owned(); //~ process
    cfg.save(path).await?; //~ ok(fs)
    println!("initialized {} at {}", cfg.project, sha);
    Ok(())
}
