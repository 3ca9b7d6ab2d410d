use log::LevelFilter;
use log4rs::append::console::ConsoleAppender;
use log4rs::config::{Appender, Config, Root};

/// Loads the log4rs YAML file (with a background refresh thread).
pub fn init(path: &str) -> anyhow::Result<()> {
    log4rs::init_file(path, Default::default())
}

/// Console-only logging used by `--foreground`; builds the config in memory.
pub fn console_config() -> anyhow::Result<Config> {
    let stdout = ConsoleAppender::builder().build();
    Ok(Config::builder()
        .appender(Appender::builder().build("stdout", Box::new(stdout)))
        .build(Root::builder().appender("stdout").build(LevelFilter::Info))?)
}
