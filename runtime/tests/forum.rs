//! The program from the forum thread in the seed story: a 10-worker runtime, task 1 spawning
//! task 2, and a blocking `std::thread::sleep` in each.

#![cfg(any(debug_assertions, feature = "release-watchdog"))]

use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use pollguard_runtime::{Policy, Report, WatchExt};

static REPORTS: Mutex<Vec<Report>> = Mutex::new(Vec::new());

fn record(r: &Report) {
    REPORTS.lock().unwrap().push(r.clone());
}

const PAUSE: Duration = Duration::from_millis(600);

async fn pause(blocking: bool) {
    if blocking {
        std::thread::sleep(PAUSE);
    } else {
        tokio::time::sleep(PAUSE).await;
    }
}

/// The forum program. `policy` is given to every watched future; `None` leaves the process-wide
/// one (and then the spawned tasks go through `pollguard_runtime::spawn`).
fn forum(blocking: bool, policy: Option<Policy>) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(10)
        .enable_all()
        .build()
        .unwrap();
    let watch = move |name: &'static str| {
        move |fut: std::pin::Pin<Box<dyn Future<Output = ()> + Send>>| {
            let w = fut
                .watchdog()
                .named(name)
                .budget(Duration::from_millis(150));
            match policy {
                Some(p) => w.policy(p),
                None => w,
            }
        }
    };
    rt.block_on(watch("main")(Box::pin(async move {
        let handle = tokio::runtime::Handle::current();
        let task1 = handle.spawn(watch("task1")(Box::pin(async move {
            let handle = tokio::runtime::Handle::current();
            let task2 = handle.spawn(watch("task2")(Box::pin(async move {
                pause(blocking).await;
            })));
            pause(blocking).await;
            task2.await.unwrap();
        })));
        pause(blocking).await;
        task1.await.unwrap();
    })));
}

#[test]
fn the_blocking_forum_program_is_reported_task_by_task() {
    forum(true, Some(Policy::Callback(record)));
    // Stuck reports come from the monitor's reporting thread, which may still be resolving the
    // stacks.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while REPORTS
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.is_stuck())
        .count()
        < 3
        && std::time::Instant::now() < deadline
        && cfg!(target_os = "linux")
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    let reports = REPORTS.lock().unwrap().clone();
    for name in ["main", "task1", "task2"] {
        let finished: Vec<_> = reports
            .iter()
            .filter(|r| r.name() == Some(name) && !r.is_stuck())
            .collect();
        assert_eq!(finished.len(), 1, "{name}: {reports:#?}");
        let r = finished[0];
        assert_eq!(r.file(), file!());
        assert!(r.elapsed() >= PAUSE, "{r}");
        let msg = r.to_string();
        assert!(
            msg.starts_with(&format!("pollguard: one poll of `{name}` ({}:", file!())),
            "{msg}"
        );
        if cfg!(target_os = "linux") {
            // Every sleep lasts long enough for the monitor to catch it in the act.
            let stuck: Vec<_> = reports
                .iter()
                .filter(|r| r.name() == Some(name) && r.is_stuck())
                .collect();
            assert_eq!(stuck.len(), 1, "{name}: {reports:#?}");
            // A release build (`release-watchdog`) has no line tables to name the frame by,
            // unless its profile asks for debug info.
            if !cfg!(debug_assertions) {
                continue;
            }
            let frame = stuck[0].blocking_frame().expect("a user frame");
            assert!(frame.file.as_deref().unwrap().ends_with("tests/forum.rs"));
            assert!(
                frame.function.as_deref().unwrap().contains("pause"),
                "{frame:?}"
            );
        }
    }
}

static CLEAN: Mutex<Vec<Report>> = Mutex::new(Vec::new());

fn record_clean(r: &Report) {
    CLEAN.lock().unwrap().push(r.clone());
}

#[test]
fn the_async_forum_program_is_clean() {
    forum(false, Some(Policy::Callback(record_clean)));
    assert!(
        CLEAN.lock().unwrap().is_empty(),
        "{:#?}",
        CLEAN.lock().unwrap()
    );
}

/// Runs one test of this binary in a child process with extra environment variables.
fn child(test: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("POLLGUARD_TEST_CHILD", "1")
        .env_remove("POLLGUARD")
        .env_remove("POLLGUARD_BUDGET");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Only does something in a child process started by the tests below.
#[test]
fn child_forum_with_the_process_policy() {
    if std::env::var_os("POLLGUARD_TEST_CHILD").is_some() {
        forum(true, None);
        println!("the forum program ended");
    }
}

/// Only does something in a child process started by the tests below.
#[test]
fn child_clean_forum_with_the_process_policy() {
    if std::env::var_os("POLLGUARD_TEST_CHILD").is_some() {
        forum(false, None);
        println!("the forum program ended");
    }
}

#[test]
fn the_abort_policy_ends_the_process() {
    let out = child(
        "child_forum_with_the_process_policy",
        &[("POLLGUARD", "abort")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stderr}");
    assert!(!stdout.contains("the forum program ended"), "{stdout}");
    assert!(stderr.contains("pollguard: one poll of `"), "{stderr}");
    assert!(
        stderr.contains("pollguard: aborting the process (policy `abort`)"),
        "{stderr}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(out.status.signal(), Some(6), "SIGABRT: {stderr}");
    }
}

#[test]
fn the_abort_policy_leaves_a_clean_program_alone() {
    let out = child(
        "child_clean_forum_with_the_process_policy",
        &[("POLLGUARD", "abort")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("pollguard"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("the forum program ended"));
}

#[test]
fn the_warn_policy_prints_and_goes_on() {
    let out = child(
        "child_forum_with_the_process_policy",
        &[("POLLGUARD", "warn")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("the forum program ended"));
    for name in ["main", "task1", "task2"] {
        assert!(
            stderr.contains(&format!("pollguard: one poll of `{name}` (")),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_bad_policy_variable_is_an_error_naming_it() {
    let out = child(
        "child_forum_with_the_process_policy",
        &[("POLLGUARD", "pnic")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains(
            "pollguard: `POLLGUARD` is set to `pnic`, which is not a policy; use one of \
             `panic`, `warn`, `abort`, `off`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_bad_budget_variable_is_an_error_naming_it() {
    let out = child(
        "child_clean_forum_with_the_process_policy",
        &[("POLLGUARD_BUDGET", "50")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("pollguard: `POLLGUARD_BUDGET` is set to `50`, which has no unit"),
        "{stderr}"
    );
}
