//! What the watchdog found, and what it does with it.

use std::fmt;
use std::io::Write;
use std::time::Duration;

use crate::config::Policy;

/// One poll that ran over its budget: the task, where it was watched, the thread, how long.
///
/// `Display` writes the message that the policies print; the accessors give the parts.
#[derive(Clone, Debug)]
pub struct Report {
    pub(crate) name: Option<&'static str>,
    pub(crate) task_id: Option<u64>,
    pub(crate) file: &'static str,
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) thread: Option<String>,
    pub(crate) elapsed: Duration,
    pub(crate) budget: Duration,
    pub(crate) stuck: bool,
    pub(crate) frames: Vec<Frame>,
}

/// One frame of the stack of a stuck poll, captured by the stall monitor (Linux only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The demangled function name, when the binary has symbols.
    pub function: Option<String>,
    /// The source file, when the binary has debug info.
    pub file: Option<String>,
    /// The line in [`file`](Frame::file).
    pub line: Option<u32>,
    /// The column in [`file`](Frame::file).
    pub column: Option<u32>,
}

impl Report {
    /// The name given with [`Watch::named`](crate::Watch::named) or by the attribute (the
    /// function's name); `None` for a future watched without a name.
    pub fn name(&self) -> Option<&'static str> {
        self.name
    }

    /// The Tokio task id, for reports of the runtime-wide hooks.
    pub fn task_id(&self) -> Option<u64> {
        self.task_id
    }

    /// The file where the future was watched (or the task spawned, for the runtime hooks).
    pub fn file(&self) -> &'static str {
        self.file
    }

    /// The line in [`file`](Report::file).
    pub fn line(&self) -> u32 {
        self.line
    }

    /// The column in [`file`](Report::file).
    pub fn column(&self) -> u32 {
        self.column
    }

    /// The name of the thread that ran the poll, if it has one.
    pub fn thread_name(&self) -> Option<&str> {
        self.thread.as_deref()
    }

    /// How long the poll ran: its whole length if it returned, so far if it is stuck.
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The budget the poll went over.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// `true` when the stall monitor reports a poll that has not returned yet, `false` when the
    /// poll has returned.
    pub fn is_stuck(&self) -> bool {
        self.stuck
    }

    /// The frames of the polling thread's stack, innermost first, when the stall monitor
    /// captured them while the poll was running over its budget (Linux). Empty otherwise.
    pub fn frames(&self) -> &[Frame] {
        &self.frames
    }

    /// The innermost frame in the user's code: where the blocking call was made, as far as file
    /// paths tell (frames of the standard library, of crates from a registry and of pollguard
    /// itself are skipped).
    pub fn blocking_frame(&self) -> Option<&Frame> {
        self.frames
            .iter()
            .find(|f| f.file.as_deref().is_some_and(is_user_file))
    }

    /// The frame just inside the blocking frame: the blocking function that was called.
    fn blocking_callee(&self) -> Option<&Frame> {
        let i = self
            .frames
            .iter()
            .position(|f| f.file.as_deref().is_some_and(is_user_file))?;
        self.frames[..i].iter().rev().find(|f| f.function.is_some())
    }
}

fn is_user_file(file: &str) -> bool {
    let f = file.replace('\\', "/");
    // Only Rust sources: C frames (libc's `clock_nanosleep.c`) are the blocking call's inside.
    f.ends_with(".rs")
        && !(f.starts_with("/rustc/")
            || f.contains("/library/std/")
            || f.contains("/library/core/")
            || f.contains("/library/alloc/")
            || f.contains("/.cargo/registry/")
            || f.contains("/.cargo/git/")
            || f.contains("/.rustup/")
            || f.starts_with(concat!(env!("CARGO_MANIFEST_DIR"), "/src/")))
}

/// Writes a duration the way people read them: `2.003 s`, `62.4 ms`, `50 ms`, `500 µs`.
pub(crate) struct Human(pub(crate) Duration);

impl fmt::Display for Human {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ns = self.0.as_nanos() as f64;
        let (value, unit) = if ns >= 1e9 {
            (ns / 1e9, "s")
        } else if ns >= 1e6 {
            (ns / 1e6, "ms")
        } else if ns >= 1e3 {
            (ns / 1e3, "µs")
        } else {
            (ns, "ns")
        };
        let s = format!("{value:.3}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        write!(f, "{s} {unit}")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = format_args!("{}:{}:{}", self.file, self.line, self.column);
        match (self.name, self.task_id) {
            (Some(name), _) => write!(f, "pollguard: one poll of `{name}` ({loc})")?,
            (None, Some(id)) => write!(f, "pollguard: one poll of task {id} (spawned at {loc})")?,
            (None, None) => write!(f, "pollguard: one poll of the future watched at {loc}")?,
        }
        if self.stuck {
            write!(f, " has been running for {}", Human(self.elapsed))?;
        } else {
            write!(f, " ran {}", Human(self.elapsed))?;
        }
        write!(f, ", over its {} budget", Human(self.budget))?;
        match &self.thread {
            Some(t) => write!(f, ", on thread `{t}`")?,
            None => write!(f, ", on an unnamed thread")?,
        }
        if let Some(frame) = self.blocking_frame() {
            write!(
                f,
                ", blocked at {}:{}",
                frame.file.as_deref().unwrap_or("?"),
                frame.line.unwrap_or(0)
            )?;
            if let Some(c) = frame.column {
                write!(f, ":{c}")?;
            }
            if let Some(callee) = self.blocking_callee().and_then(|c| c.function.as_deref()) {
                write!(f, " in `{}`", short_fn(callee))?;
            }
        }
        if self.stuck {
            write!(
                f,
                ", and has not returned yet: a blocking call or a deadlock (a `block_on` or a \
                 blocking `recv()` inside async code) holds the thread; use the async \
                 equivalent or `tokio::task::spawn_blocking`"
            )
        } else {
            write!(
                f,
                ": a blocking call ran inside async code; use its async equivalent or \
                 `tokio::task::spawn_blocking`"
            )
        }
    }
}

/// Drops the `::h0123456789abcdef` hash that legacy mangling leaves at the end of a name.
fn short_fn(name: &str) -> &str {
    match name.rfind("::h") {
        Some(i) if name.len() - i == 19 => &name[..i],
        _ => name,
    }
}

/// Writes straight to the stderr file descriptor, not through `eprintln!`: the test harness
/// captures `eprintln!` (and hides it for passing tests, or loses it on an abort).
pub(crate) fn write_stderr(msg: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "{msg}");
    let _ = err.flush();
}

/// Carries out `policy` for `report`. `on_poller` is `true` on the thread that polled.
#[cold]
#[inline(never)]
pub(crate) fn dispatch(policy: Policy, report: &Report, on_poller: bool) {
    match policy {
        Policy::Off => {}
        Policy::Panic if on_poller => panic!("{report}"),
        Policy::Panic => write_stderr(&report.to_string()),
        Policy::Warn => warn(report),
        Policy::Abort => {
            write_stderr(&format!(
                "{report}\npollguard: aborting the process (policy `abort`)"
            ));
            std::process::abort();
        }
        Policy::Callback(f) => f(report),
    }
}

fn warn(report: &Report) {
    #[cfg(feature = "tracing")]
    if tracing::dispatcher::has_been_set() {
        tracing::warn!(
            target: "pollguard",
            task = report.name,
            task_id = report.task_id,
            file = report.file,
            line = report.line,
            column = report.column,
            thread = report.thread.as_deref(),
            elapsed_ms = report.elapsed.as_secs_f64() * 1e3,
            budget_ms = report.budget.as_secs_f64() * 1e3,
            stuck = report.stuck,
            "{report}"
        );
        return;
    }
    write_stderr(&report.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            name: Some("handler"),
            task_id: None,
            file: "src/main.rs",
            line: 12,
            column: 5,
            thread: Some("tokio-runtime-worker".into()),
            elapsed: Duration::from_millis(2003),
            budget: Duration::from_millis(50),
            stuck: false,
            frames: vec![],
        }
    }

    #[test]
    fn message() {
        assert_eq!(
            report().to_string(),
            "pollguard: one poll of `handler` (src/main.rs:12:5) ran 2.003 s, over its 50 ms \
             budget, on thread `tokio-runtime-worker`: a blocking call ran inside async code; \
             use its async equivalent or `tokio::task::spawn_blocking`"
        );
    }

    #[test]
    fn message_with_frames() {
        let mut r = report();
        r.stuck = true;
        r.frames = vec![
            Frame {
                function: Some("std::thread::sleep::h0123456789abcdef".into()),
                file: Some("/rustc/abc/library/std/src/thread/mod.rs".into()),
                line: Some(3),
                column: None,
            },
            Frame {
                function: Some("app::handler::{{closure}}".into()),
                file: Some("/home/me/app/src/main.rs".into()),
                line: Some(14),
                column: Some(9),
            },
        ];
        let s = r.to_string();
        assert!(
            s.contains(
                "has been running for 2.003 s, over its 50 ms budget, on thread \
                 `tokio-runtime-worker`, blocked at /home/me/app/src/main.rs:14:9 in \
                 `std::thread::sleep`, and has not returned yet"
            ),
            "{s}"
        );
        assert_eq!(r.blocking_frame().unwrap().line, Some(14));
    }

    #[test]
    fn durations() {
        let h = |d| Human(d).to_string();
        assert_eq!(h(Duration::from_millis(50)), "50 ms");
        assert_eq!(h(Duration::from_micros(62_400)), "62.4 ms");
        assert_eq!(h(Duration::from_secs(2)), "2 s");
        assert_eq!(h(Duration::from_micros(500)), "500 µs");
        assert_eq!(h(Duration::from_nanos(7)), "7 ns");
    }
}
