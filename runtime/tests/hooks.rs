//! The runtime-wide hooks. Needs `--cfg tokio_unstable`:
//! `CARGO_TARGET_DIR=target/unstable RUSTFLAGS="--cfg tokio_unstable" cargo test -p pollguard-runtime`

#![cfg(all(tokio_unstable, any(debug_assertions, feature = "release-watchdog")))]

use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use pollguard_runtime::{Policy, Report, install_hooks};

static REPORTS: Mutex<Vec<Report>> = Mutex::new(Vec::new());

fn record(r: &Report) {
    REPORTS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push(r.clone());
}

fn all_reports() -> Vec<Report> {
    REPORTS.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

/// Every test of this binary sets the same process-wide settings, so they do not race; the
/// tests that need others run in a child process.
fn setup() {
    if std::env::var_os("POLLGUARD_TEST_CHILD").is_none() {
        pollguard_runtime::set_policy(Policy::Callback(record));
    }
    pollguard_runtime::set_budget(Duration::from_millis(150));
}

fn wait_for<T>(done: impl Fn() -> bool, then: impl Fn() -> T) -> T {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !done() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    then()
}

fn multi_thread() -> tokio::runtime::Runtime {
    install_hooks(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all(),
    )
    .build()
    .unwrap()
}

fn current_thread() -> tokio::runtime::Runtime {
    install_hooks(tokio::runtime::Builder::new_current_thread().enable_all())
        .build()
        .unwrap()
}

fn reports_from(line: u32) -> Vec<Report> {
    all_reports()
        .iter()
        .filter(|r| r.file() == file!() && r.line() == line)
        .cloned()
        .collect()
}

#[test]
fn every_task_is_watched_without_wrapping_it() {
    setup();
    let rt = multi_thread();
    let line = rt.block_on(async {
        let line = line!() + 1;
        let task = tokio::spawn(async {
            tokio::task::yield_now().await;
            std::thread::sleep(Duration::from_millis(500));
        });
        task.await.unwrap();
        line
    });
    // The task's handle is ready before the after-poll hook has run: wait for the workers.
    drop(rt);
    let reports = reports_from(line);
    let finished: Vec<_> = reports.iter().filter(|r| !r.is_stuck()).collect();
    assert_eq!(finished.len(), 1, "{:#?}", all_reports());
    let r = finished[0];
    assert!(r.task_id().is_some());
    assert!(r.name().is_none());
    assert!(r.elapsed() >= Duration::from_millis(500));
    let msg = r.to_string();
    assert!(
        msg.starts_with(&format!(
            "pollguard: one poll of task {} (spawned at {}:{line}:",
            r.task_id().unwrap(),
            file!()
        )),
        "{msg}"
    );
    if cfg!(target_os = "linux") {
        // Stuck reports come from the monitor's reporting thread, which may still be resolving
        // the stack.
        let reports = wait_for(
            || reports_from(line).iter().any(|r| r.is_stuck()),
            || reports_from(line),
        );
        let stuck: Vec<_> = reports.iter().filter(|r| r.is_stuck()).collect();
        assert_eq!(stuck.len(), 1, "{reports:#?}");
        assert!(
            stuck[0]
                .blocking_frame()
                .unwrap()
                .file
                .as_deref()
                .unwrap()
                .ends_with("tests/hooks.rs")
        );
    }
}

#[test]
fn clean_tasks_are_not_reported() {
    setup();
    let rt = multi_thread();
    let line = rt.block_on(async {
        let mut handles = Vec::new();
        let line = line!() + 2;
        for _ in 0..200 {
            handles.push(tokio::spawn(async {
                for _ in 0..20 {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            }));
        }
        for h in handles {
            h.await.unwrap();
        }
        line
    });
    drop(rt);
    assert!(reports_from(line).is_empty(), "{:#?}", reports_from(line));
}

fn child(test: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("POLLGUARD_TEST_CHILD", "1")
        .env_remove("POLLGUARD_BUDGET");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

/// Only does something in a child process started by the tests below.
#[test]
fn child_blocking_task_current_thread() {
    if std::env::var_os("POLLGUARD_TEST_CHILD").is_some() {
        setup();
        current_thread().block_on(async {
            tokio::spawn(async { std::thread::sleep(Duration::from_millis(300)) })
                .await
                .unwrap();
        });
        println!("the runtime went on");
    }
}

/// Only does something in a child process started by the tests below.
#[test]
fn child_blocking_task_multi_thread() {
    if std::env::var_os("POLLGUARD_TEST_CHILD").is_some() {
        setup();
        multi_thread().block_on(async {
            tokio::spawn(async { std::thread::sleep(Duration::from_millis(300)) })
                .await
                .unwrap();
        });
        println!("the runtime went on");
    }
}

#[test]
fn the_panic_policy_fails_a_current_thread_runtime() {
    let out = child(
        "child_blocking_task_current_thread",
        &[("POLLGUARD", "panic")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("the runtime went on"));
    assert!(stderr.contains("pollguard: one poll of task "), "{stderr}");
}

#[test]
fn the_panic_policy_prints_on_a_multi_thread_runtime() {
    let out = child(
        "child_blocking_task_multi_thread",
        &[("POLLGUARD", "panic")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("the runtime went on"));
    assert!(stderr.contains("pollguard: one poll of task "), "{stderr}");
    assert!(
        stderr.contains("set `POLLGUARD=abort` to fail the run"),
        "{stderr}"
    );
}

#[test]
fn the_abort_policy_ends_a_multi_thread_run() {
    let out = child(
        "child_blocking_task_multi_thread",
        &[("POLLGUARD", "abort")],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("pollguard: aborting the process"),
        "{stderr}"
    );
}
