//! The poll path and the stall monitor.
//!
//! Each thread that polls a watched future owns a [`Slot`]. Entering a poll stores a pointer to
//! the future's [`Meta`] and a new state in the slot; leaving it is one compare-and-swap of the
//! state. No clock is read: the monitor thread samples the slots every tick, notes when it first
//! saw each poll running, and flags the state of a poll it has seen running past its budget.
//! Leaving a flagged poll makes the compare-and-swap fail, and only then does the polling thread
//! read the clock and report. In debug builds every atomic operation and thread-local access is
//! a function call of a few nanoseconds, which is why the poll path does so few.
//!
//! A future with its own budget under 20 ms is timed with a clock read at both ends instead:
//! sampling is accurate to a tick, too coarse for it.
//!
//! The monitor reads the `Meta` behind the pointer only while it holds the state's `LOCKED` bit;
//! the polling thread cannot end the poll (and so drop the future) while that bit is set.

use std::cell::Cell;
use std::panic::Location;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, Once, OnceLock, PoisonError, mpsc};
use std::time::Duration;

use crate::config::{self, Policy};
use crate::report::{Frame, Report, dispatch};
use crate::{Site, stack};

/// How often the monitor samples the slots, at most; shorter for a short default budget.
const TICK: Duration = Duration::from_millis(5);

/// Bits of [`Slot::state`]: a watched poll is running; the monitor is reading its `Meta`; the
/// monitor found the poll over budget.
const IN_POLL: u64 = 1;
const LOCKED: u64 = 2;
const FLAGGED: u64 = 4;
const FLAGS: u64 = LOCKED | FLAGGED;
/// The rest counts the polls.
const STEP: u64 = 8;

/// Where a watched future was created.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Loc {
    Caller(&'static Location<'static>),
    Site(&'static Site),
}

impl Loc {
    fn parts(self) -> (&'static str, u32, u32) {
        match self {
            Loc::Caller(l) => (l.file(), l.line(), l.column()),
            Loc::Site(s) => (s.file, s.line, s.column),
        }
    }
}

/// What a watched future knows about itself.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Meta {
    pub(crate) name: Option<&'static str>,
    pub(crate) loc: Loc,
    /// 0: the configured default.
    pub(crate) budget_ns: u64,
    /// [`Policy::INHERIT`]: the configured policy.
    pub(crate) policy: usize,
    /// 0: not a Tokio task seen through the runtime hooks.
    pub(crate) task_id: u64,
}

impl Meta {
    #[track_caller]
    pub(crate) fn caller() -> Meta {
        Meta {
            name: None,
            loc: Loc::Caller(Location::caller()),
            budget_ns: 0,
            policy: Policy::INHERIT,
            task_id: 0,
        }
    }
}

pub(crate) struct Owner {
    alive: bool,
    thread_name: Option<String>,
    #[cfg(target_os = "linux")]
    pub(crate) pthread: libc::pthread_t,
}

impl Owner {
    pub(crate) fn is_alive(&self) -> bool {
        self.alive
    }
}

/// The watched poll running on one thread, if any.
pub(crate) struct Slot {
    /// A poll counter with [`IN_POLL`], [`LOCKED`] and [`FLAGGED`]. Only the owning thread
    /// changes the counter and `IN_POLL`; only the monitor sets `LOCKED` and `FLAGGED`, on a
    /// state with `IN_POLL`.
    state: AtomicU64,
    meta: AtomicPtr<Meta>,
    /// Start of a precisely timed poll; for a flagged one, when the monitor last sampled the
    /// slot before seeing it.
    start_ns: AtomicU64,
    pub(crate) owner: Mutex<Owner>,
    /// Instruction pointers the monitor captured for a poll.
    ips: Mutex<Option<(u64, Vec<usize>)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Slot {
    fn new() -> Slot {
        Slot {
            state: AtomicU64::new(0),
            meta: AtomicPtr::new(std::ptr::null_mut()),
            start_ns: AtomicU64::new(0),
            owner: Mutex::new(Owner {
                alive: false,
                thread_name: None,
                #[cfg(target_os = "linux")]
                // SAFETY: pthread_t is an integer on Linux; it is set before use.
                pthread: unsafe { std::mem::zeroed() },
            }),
            ips: Mutex::new(None),
        }
    }

    /// Which poll runs now: changes with every poll, has `IN_POLL` while one runs.
    pub(crate) fn poll_id(&self) -> u64 {
        self.state.load(Ordering::Acquire) & !FLAGS
    }

    /// Publishes a poll; the owner calls it between polls, with `between` from [`Slot::end`].
    #[inline]
    fn publish(&self, between: u64, meta: *const Meta) -> u64 {
        self.meta.store(meta as *mut Meta, Ordering::Relaxed);
        let s = between + STEP + IN_POLL;
        self.state.store(s, Ordering::Release);
        s
    }

    /// Ends the running poll, whatever its flags; waits while the monitor reads its `Meta`.
    /// Returns the poll's state without flags, whether it was flagged, and the state between
    /// polls.
    #[cold]
    #[inline(never)]
    fn end_slow(&self) -> (u64, bool, u64) {
        let mut spins = 0u32;
        loop {
            let s = self.state.load(Ordering::Acquire);
            if s & LOCKED == 0 {
                let id = s & !FLAGS;
                let next = id + STEP - IN_POLL;
                if self
                    .state
                    .compare_exchange(s, next, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    return (id, s & FLAGGED != 0, next);
                }
            }
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }

    /// The monitor's read of the running poll `s` (no flags): its `Meta`.
    fn read_meta(&self, s: u64) -> Option<Meta> {
        self.state
            .compare_exchange(s, s | LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        // SAFETY: the pointer was published with this state, and the future it points into
        // cannot be dropped before its poll ends, which waits for `LOCKED` to be cleared.
        let meta = unsafe { *self.meta.load(Ordering::Relaxed) };
        self.state.store(s, Ordering::Release);
        Some(meta)
    }

    /// The monitor flags poll `s` as over budget, begun no earlier than `start_ns`.
    fn flag(&self, s: u64, start_ns: u64) -> bool {
        self.start_ns.store(start_ns, Ordering::Relaxed);
        self.state
            .compare_exchange(s, s | FLAGGED, Ordering::Release, Ordering::Relaxed)
            .is_ok()
    }
}

/// Every slot ever made; a slot whose thread ended goes to `FREE` and is reused.
static SLOTS: Mutex<Vec<&'static Slot>> = Mutex::new(Vec::new());
static FREE: Mutex<Vec<&'static Slot>> = Mutex::new(Vec::new());

/// Gives the slot back when the thread ends.
struct Release(&'static Slot);

impl Drop for Release {
    fn drop(&mut self) {
        let _ = SLOT.try_with(|s| s.set(std::ptr::null()));
        // Taking the owner lock waits for a monitor that is signalling this thread.
        let mut o = lock(&self.0.owner);
        o.alive = false;
        if self.0.state.load(Ordering::Relaxed) & IN_POLL != 0 {
            self.0.end_slow();
        }
        drop(o);
        lock(&FREE).push(self.0);
    }
}

thread_local! {
    /// This thread's slot; null until its first watched poll. No destructor, so the poll path
    /// reads it without a lazy-initialization check.
    static SLOT: Cell<*const Slot> = const { Cell::new(std::ptr::null()) };
    static RELEASE: Cell<Option<Release>> = const { Cell::new(None) };
}

/// Gives this thread a slot at its first watched poll; `None` while the thread is ending.
#[cold]
#[inline(never)]
fn acquire() -> Option<&'static Slot> {
    // A bad `POLLGUARD` or `POLLGUARD_BUDGET` panics here, at the first watched poll.
    config::policy_code();
    start_monitor();
    let slot = lock(&FREE).pop().unwrap_or_else(|| {
        let s: &'static Slot = Box::leak(Box::new(Slot::new()));
        lock(&SLOTS).push(s);
        s
    });
    if RELEASE.try_with(|r| r.set(Some(Release(slot)))).is_err() {
        lock(&FREE).push(slot);
        return None;
    }
    {
        let mut o = lock(&slot.owner);
        o.alive = true;
        o.thread_name = std::thread::current().name().map(str::to_owned);
        #[cfg(target_os = "linux")]
        {
            // SAFETY: no preconditions.
            o.pthread = unsafe { libc::pthread_self() };
        }
    }
    SLOT.with(|s| s.set(slot));
    Some(slot)
}

/// Nanoseconds on a monotonic clock (the one `std::time::Instant` reads).
#[inline]
pub(crate) fn now_ns() -> u64 {
    #[cfg(target_os = "linux")]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid timespec; CLOCK_MONOTONIC always exists on Linux.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    }
    #[cfg(not(target_os = "linux"))]
    {
        static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        let epoch = *EPOCH.get_or_init(std::time::Instant::now);
        config::nanos(epoch.elapsed()) + 1
    }
}

/// One watched poll in progress, between [`enter`] and [`exit`]. Kept to three words: debug
/// builds copy larger values with a `memcpy` call, which showed in the benchmark.
#[derive(Clone, Copy)]
pub(crate) struct Entered {
    slot: &'static Slot,
    /// The state this poll was published with, with [`PRECISE`] when its start is in the slot.
    state: u64,
    /// The `Meta` of the enclosing watched poll on this thread, to publish again when this one
    /// ends; null if none.
    outer: *const Meta,
}

/// In [`Entered::state`] (where `LOCKED` never is): timed with the clock at both ends.
const PRECISE: u64 = LOCKED;

/// Ends the poll without a report if it unwinds.
pub(crate) struct Guard(pub(crate) Option<Entered>);

impl Drop for Guard {
    #[cold]
    fn drop(&mut self) {
        if let Some(e) = self.0.take() {
            let (_, _, between) = e.slot.end_slow();
            if !e.outer.is_null() {
                e.slot.publish(between, e.outer);
            }
        }
    }
}

/// Starts watching one poll of the future that owns `meta`, which must stay where it is until
/// [`exit`] (or the guard's drop) ends the poll.
#[inline(never)]
pub(crate) fn enter(meta: &Meta) -> Option<Entered> {
    let slot = SLOT.with(Cell::get);
    let slot = if slot.is_null() {
        acquire()?
    } else {
        // SAFETY: slots are leaked, never freed.
        unsafe { &*slot }
    };
    let mut between = slot.state.load(Ordering::Relaxed);
    let mut outer = std::ptr::null();
    if between & IN_POLL != 0 {
        // A watched future inside another one: the inner poll is published while it runs.
        outer = slot.meta.load(Ordering::Relaxed) as *const Meta;
        between = slot.end_slow().2;
    }
    let mut state = slot.publish(between, meta);
    if meta.budget_ns != 0 && meta.budget_ns < config::PRECISE_BELOW_NS {
        slot.start_ns.store(now_ns(), Ordering::Relaxed);
        state |= PRECISE;
    }
    Some(Entered { slot, state, outer })
}

/// Ends one watched poll and reports it if it ran over budget. `may_panic` is `false` where a
/// panic would not reach the user (a hook of a multi-thread Tokio runtime).
#[inline(never)]
pub(crate) fn exit(guard: Guard, meta: &Meta, may_panic: bool) {
    let Some(e) = guard.0 else { return };
    std::mem::forget(guard);
    let s = e.state & !PRECISE;
    // Fails when the monitor flagged the poll, or a nested watched poll republished this one.
    if e.outer.is_null()
        && e.state & PRECISE == 0
        && e.slot
            .state
            .compare_exchange(s, s + STEP - IN_POLL, Ordering::Release, Ordering::Relaxed)
            .is_ok()
    {
        return;
    }
    exit_slow(e, meta, may_panic);
}

#[cold]
#[inline(never)]
fn exit_slow(e: Entered, meta: &Meta, may_panic: bool) {
    let slot = e.slot;
    let (id, flagged, between) = slot.end_slow();
    let report = if flagged || e.state & PRECISE != 0 {
        check_finished(slot, meta, id, flagged)
    } else {
        None
    };
    if !e.outer.is_null() {
        // A new state: the monitor times the enclosing poll afresh, so a stall reported here
        // is not reported again for it.
        slot.publish(between, e.outer);
    }
    if let Some((policy, report)) = report {
        dispatch_finished(policy, &report, may_panic);
    }
}

#[cold]
#[inline(never)]
fn check_finished(slot: &Slot, meta: &Meta, id: u64, flagged: bool) -> Option<(Policy, Report)> {
    // The precise start, or the monitor's sampling before it saw the poll: then the elapsed
    // time is an upper bound, long by a tick at most.
    let start = slot.start_ns.load(Ordering::Relaxed);
    let budget = match meta.budget_ns {
        0 => config::budget_ns_fast(),
        b => b,
    };
    let elapsed = now_ns().saturating_sub(start);
    if !flagged && elapsed < budget {
        return None;
    }
    let policy = match meta.policy {
        Policy::INHERIT => Policy::decode(config::policy_code()),
        p => Policy::decode(p),
    };
    if matches!(policy, Policy::Off) {
        return None;
    }
    let ips = if flagged {
        lock(&slot.ips).take().filter(|(ips_id, _)| *ips_id == id)
    } else {
        None
    };
    let report = make_report(
        meta,
        std::thread::current().name().map(str::to_owned),
        elapsed,
        budget,
        false,
        ips.map(|(_, ips)| stack::resolve(&ips)).unwrap_or_default(),
    );
    Some((policy, report))
}

#[cold]
#[inline(never)]
fn dispatch_finished(policy: Policy, report: &Report, may_panic: bool) {
    if may_panic {
        return dispatch(policy, report, true);
    }
    if matches!(policy, Policy::Panic) {
        crate::report::write_stderr(&format!(
            "{report}\npollguard: not panicking inside the hook of a multi-thread runtime, \
             where a panic is only printed; set `POLLGUARD=abort` to fail the run"
        ));
        return;
    }
    // A panicking callback would unwind through Tokio's worker, which aborts the process.
    let _ = std::panic::catch_unwind(|| dispatch(policy, report, true));
}

fn make_report(
    meta: &Meta,
    thread: Option<String>,
    elapsed_ns: u64,
    budget_ns: u64,
    stuck: bool,
    frames: Vec<Frame>,
) -> Report {
    let (file, line, column) = meta.loc.parts();
    Report {
        name: meta.name,
        task_id: (meta.task_id != 0).then_some(meta.task_id),
        file,
        line,
        column,
        thread,
        elapsed: Duration::from_nanos(elapsed_ns),
        budget: Duration::from_nanos(budget_ns),
        stuck,
        frames,
    }
}

static MONITOR: Once = Once::new();

fn start_monitor() {
    MONITOR.call_once(|| {
        let started_ns = now_ns();
        let spawned = std::thread::Builder::new()
            .name("pollguard-monitor".into())
            .spawn(move || monitor(started_ns));
        if let Err(e) = spawned {
            crate::report::write_stderr(&format!(
                "pollguard: could not start the stall monitor thread ({e}); polls that never \
                 return will not be reported"
            ));
        }
    });
}

/// What the monitor knows of the poll running in one slot.
#[derive(Clone, Copy)]
struct Seen {
    state: u64,
    /// When the monitor first saw the poll running: no earlier than its true start. Budgets
    /// are checked from here, so that a report is never false.
    first_seen_ns: u64,
    /// When the monitor last sampled the slot before: no later than the true start. Reports
    /// show the time from here, as the poll's own clock reads would.
    shown_from_ns: u64,
    meta: Meta,
}

/// The monitor's memory of one slot.
#[derive(Clone, Copy)]
struct Sampled {
    /// Read just before the slot's state, at the last sampling.
    at_ns: u64,
    seen: Option<Seen>,
}

fn monitor(started_ns: u64) {
    // A slot new since the last snapshot got its first poll after that snapshot.
    let mut snapshot_ns = started_ns;
    let mut slots: Vec<&'static Slot> = Vec::new();
    let mut seen: Vec<Sampled> = Vec::new();
    loop {
        // A short default budget needs finer sampling: a quarter of it, down to 1 ms.
        let quarter = Duration::from_nanos(config::budget_ns_fast() / 4);
        std::thread::sleep(quarter.clamp(Duration::from_millis(1), TICK));
        slots.clear();
        // `SLOTS` only grows: index i is the same slot on every tick.
        let taken_ns = now_ns();
        slots.extend(lock(&SLOTS).iter().copied());
        seen.resize(
            slots.len(),
            Sampled {
                at_ns: snapshot_ns,
                seen: None,
            },
        );
        snapshot_ns = taken_ns;
        for (slot, seen) in slots.iter().zip(seen.iter_mut()) {
            if let Some(stuck) = detect(slot, seen) {
                send_to_reporter(stuck);
            }
        }
    }
}

/// Resolving a stack is slow (the first time, it reads the debug info) and a callback can take
/// any time: both happen on a second thread, started at the first stuck poll, so that the
/// monitor keeps advancing the coarse clock and capturing the other stuck threads meanwhile.
fn send_to_reporter(stuck: (Policy, Stuck)) {
    static REPORTER: OnceLock<Option<mpsc::Sender<(Policy, Stuck)>>> = OnceLock::new();
    let tx = REPORTER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<(Policy, Stuck)>();
        std::thread::Builder::new()
            .name("pollguard-reporter".into())
            .spawn(move || {
                for (policy, stuck) in rx {
                    // A panicking callback must not end the reporter.
                    let _ = std::panic::catch_unwind(|| report_stuck(policy, stuck));
                }
            })
            .ok()
            .map(|_| tx)
    });
    match tx {
        Some(tx) => {
            let _ = tx.send(stuck);
        }
        None => report_stuck(stuck.0, stuck.1),
    }
}

/// A stuck poll, its stack not resolved yet.
struct Stuck {
    meta: Meta,
    thread: Option<String>,
    elapsed_ns: u64,
    budget_ns: u64,
    ips: Option<Vec<usize>>,
}

fn detect(slot: &'static Slot, sampled: &mut Sampled) -> Option<(Policy, Stuck)> {
    let now = now_ns();
    let before = std::mem::replace(&mut sampled.at_ns, now);
    let state = slot.state.load(Ordering::Acquire);
    let s = state & !FLAGS;
    if s & IN_POLL == 0 || state & FLAGGED != 0 {
        return None;
    }
    let known = match sampled.seen {
        Some(k) if k.state == s => k,
        _ => {
            // Read after the state: the poll was running by then.
            let first_seen_ns = now_ns();
            let meta = slot.read_meta(s)?;
            sampled.seen = Some(Seen {
                state: s,
                first_seen_ns,
                shown_from_ns: before,
                meta,
            });
            return None;
        }
    };
    let meta = known.meta;
    let budget_ns = match meta.budget_ns {
        0 => config::budget_ns_fast(),
        b => b,
    };
    if now_ns().saturating_sub(known.first_seen_ns) < budget_ns
        || !slot.flag(s, known.shown_from_ns)
    {
        return None;
    }
    let elapsed_ns = now_ns().saturating_sub(known.shown_from_ns);
    let policy = match meta.policy {
        Policy::INHERIT => Policy::decode(config::policy_code()),
        p => Policy::decode(p),
    };
    if matches!(policy, Policy::Off) {
        return None;
    }
    let ips = match stack::capture(slot, s) {
        stack::Capture::Stack(ips) => Some(ips),
        stack::Capture::Panicking => return None,
        stack::Capture::Unavailable => None,
    };
    if slot.poll_id() != s {
        // The poll returned before the stack was taken: the polling thread reports it.
        return None;
    }
    if let Some(ips) = &ips {
        // For the report of the polling thread when the poll returns.
        *lock(&slot.ips) = Some((s, ips.clone()));
    }
    let thread = lock(&slot.owner).thread_name.clone();
    Some((
        policy,
        Stuck {
            meta,
            thread,
            elapsed_ns,
            budget_ns,
            ips,
        },
    ))
}

fn report_stuck(policy: Policy, s: Stuck) {
    let frames = s.ips.as_deref().map(stack::resolve).unwrap_or_default();
    let report = make_report(&s.meta, s.thread, s.elapsed_ns, s.budget_ns, true, frames);
    dispatch(policy, &report, false);
}
