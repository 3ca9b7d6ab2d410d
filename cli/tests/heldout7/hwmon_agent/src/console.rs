//! `--console`: live view of the current metric values in the terminal.

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, Event, EventStream, KeyCode};
use crossterm::{cursor, execute, terminal};
use futures_util::StreamExt;

use crate::metrics::Metrics;

fn draw(metrics: &Metrics) -> std::io::Result<()> {
    let mut out = std::io::stdout();
    execute!(out, terminal::Clear(terminal::ClearType::All), cursor::MoveTo(0, 0))?;
    for line in metrics.render().lines().filter(|l| !l.starts_with('#')) {
        write!(out, "{line}\r\n")?;
    }
    write!(out, "\r\n[q] quit  [p] push now  [h] help\r\n")?;
    out.flush()
}

pub async fn run(metrics: Arc<Metrics>) -> std::io::Result<()> {
    print!("The live view switches the terminal to raw mode. Continue? [y/N] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?; //~ stdin
    if !answer.trim().eq_ignore_ascii_case("y") {
        return Ok(());
    }

    terminal::enable_raw_mode()?;
    let mut events = EventStream::new();
    let mut redraw = tokio::time::interval(Duration::from_secs(1));
    loop {
        tokio::select! {
            _ = redraw.tick() => draw(&metrics)?,
            ev = events.next() => match ev { //~ ok(stdin)
                Some(Ok(Event::Key(k))) if k.code == KeyCode::Char('q') => break,
                Some(Ok(Event::Key(k))) if k.code == KeyCode::Char('p') => {
                    let mfs = metrics.registry().gather(); //~ ok(http_blocking)
                    if let Err(e) = prometheus::push_add_metrics("hwmon", metrics.grouping(), crate::PUSHGATEWAY, mfs, None) { //~ http_blocking
                        write!(std::io::stdout(), "push failed: {e}\r\n")?;
                    }
                }
                Some(Ok(Event::Key(k))) if k.code == KeyCode::Char('h') => {
                    write!(std::io::stdout(), "Values refresh every second. Press any key.\r\n")?;
                    event::read()?; //~ stdin
                }
                Some(Err(e)) => return Err(e),
                None => break,
                _ => {}
            },
        }
    }
    if event::poll(Duration::ZERO)? { //~ ok(stdin)
        tracing::debug!("keys still queued at exit");
    }
    terminal::disable_raw_mode()
}
