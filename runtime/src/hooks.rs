//! Every task of a Tokio runtime, watched through the task-poll hooks (`--cfg tokio_unstable`).

use std::cell::Cell;

use tokio::runtime::{Builder, RuntimeFlavor};

use crate::watchdog::{self, Entered, Guard, Loc, Meta};
use crate::{Policy, Site};

static NO_SITE: Site = Site {
    name: "",
    file: "",
    line: 0,
    column: 0,
    budget_ns: 0,
};

thread_local! {
    static CURRENT: Cell<Option<Entered>> = const { Cell::new(None) };
    /// The running task's `Meta`: it stays here, at one address, for the whole poll.
    static META: Cell<Meta> = const {
        Cell::new(Meta {
            name: None,
            loc: Loc::Site(&NO_SITE),
            budget_ns: 0,
            policy: Policy::INHERIT,
            task_id: 0,
        })
    };
}

/// Watches every task spawned on the runtime that `builder` builds, through Tokio's
/// `on_before_task_poll` and `on_after_task_poll` hooks, with the configured budget and policy.
///
/// Needs `RUSTFLAGS="--cfg tokio_unstable"`, like the hooks. Reports name the task by its Tokio
/// id and the place it was spawned. The hooks see spawned tasks only, not the future given to
/// `block_on` (watch that one with [`watch`](crate::watch)), and they replace hooks set before on
/// the same builder.
///
/// The panic policy panics in the after-poll hook of a current-thread runtime, where the panic
/// comes out of `block_on` and fails a test. A multi-thread runtime only prints a panic in a hook
/// and goes on with a worker in an unknown state, so there the panic policy prints the report on
/// stderr instead: use `POLLGUARD=abort` (or [`Policy::Abort`]) to make a stall fail the run.
///
/// ```
/// let mut builder = tokio::runtime::Builder::new_current_thread();
/// let rt = pollguard_runtime::install_hooks(builder.enable_all()).build().unwrap();
/// rt.block_on(async { tokio::spawn(async { 1 }).await.unwrap() });
/// ```
pub fn install_hooks(builder: &mut Builder) -> &mut Builder {
    builder
        .on_before_task_poll(|task| {
            let id = task.id().to_string().parse::<u64>().unwrap_or(u64::MAX);
            let meta = Meta {
                name: None,
                loc: Loc::Caller(task.spawned_at()),
                budget_ns: 0,
                policy: Policy::INHERIT,
                task_id: id.max(1),
            };
            if let Some(stale) = CURRENT.take() {
                // The after-poll hook did not run (the poll panicked): end it quietly.
                drop(Guard(Some(stale)));
            }
            let entered = META.with(|m| {
                m.set(meta);
                // SAFETY: the cell is written only here, between polls.
                watchdog::enter(unsafe { &*m.as_ptr() })
            });
            CURRENT.set(entered);
        })
        .on_after_task_poll(|_| {
            if let Some(e) = CURRENT.take() {
                let may_panic = tokio::runtime::Handle::try_current()
                    .is_ok_and(|h| h.runtime_flavor() == RuntimeFlavor::CurrentThread);
                META.with(|m| {
                    // SAFETY: see above.
                    watchdog::exit(Guard(Some(e)), unsafe { &*m.as_ptr() }, may_panic)
                });
            }
        })
}
