//! The poll path and the stall monitor.
//!
//! Each thread that polls a watched future owns a [`Slot`]. Entering a poll reads the clock once
//! and publishes the start time and a pointer to the future's [`Meta`] in the slot; leaving it
//! compares a coarse clock, which the monitor thread advances, with half the budget, and reads
//! the clock again only past that. In debug builds every atomic operation and thread-local access
//! is a function call of a few nanoseconds, so the poll path does as few as it can: the settings
//! are read only when there is something to report.
//!
//! The monitor reads the `Meta` behind the pointer only while it holds the slot's `LOCKED` bit,
//! and the owning thread cannot end the poll (and so drop the future) while that bit is set.

use std::cell::Cell;
use std::panic::Location;
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, Once, OnceLock, PoisonError, mpsc};
use std::time::Duration;

use crate::config::{self, Policy};
use crate::report::{Frame, Report, dispatch};
use crate::{Site, stack};

/// How often the monitor samples the slots and advances the coarse clock.
pub(crate) const TICK: Duration = Duration::from_millis(5);

/// The monitor's last clock reading, in the units of [`now_ns`]; lags the true time by about a
/// tick, more when the monitor thread waits for a core.
static COARSE_NS: AtomicU64 = AtomicU64::new(0);

/// Bits of [`Slot::state`]: a watched poll is running; the monitor is reading its `Meta`.
const IN_POLL: u64 = 1;
const LOCKED: u64 = 2;
/// The rest counts the polls.
const STEP: u64 = 4;

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
    /// A poll counter, with [`IN_POLL`] and [`LOCKED`]. Only the owning thread changes the
    /// counter and `IN_POLL`; only the monitor sets `LOCKED`, on a state with `IN_POLL`.
    state: AtomicU64,
    start_ns: AtomicU64,
    meta: AtomicPtr<Meta>,
    /// The state (without `LOCKED`) of the poll that the monitor found over budget.
    flagged: AtomicU64,
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
            start_ns: AtomicU64::new(0),
            meta: AtomicPtr::new(std::ptr::null_mut()),
            flagged: AtomicU64::new(0),
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

    /// Which poll runs now: changes with every poll, odd while one runs.
    pub(crate) fn poll_id(&self) -> u64 {
        self.state.load(Ordering::Acquire) & !LOCKED
    }

    /// Publishes a poll; the owner calls it between polls.
    #[inline]
    fn publish(&self, between: u64, meta: *const Meta, start_ns: u64) -> u64 {
        self.start_ns.store(start_ns, Ordering::Relaxed);
        self.meta.store(meta as *mut Meta, Ordering::Relaxed);
        let s = between + STEP + IN_POLL;
        self.state.store(s, Ordering::Release);
        s
    }

    /// Ends poll `s`; waits while the monitor reads its `Meta`. Returns the state between polls.
    #[inline]
    fn end(&self, s: u64) -> u64 {
        let next = s - IN_POLL;
        let mut spins = 0u32;
        while self
            .state
            .compare_exchange(s, next, Ordering::Release, Ordering::Relaxed)
            .is_err()
        {
            spins += 1;
            if spins < 64 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
        next
    }

    /// The monitor's read of the running poll: its state, start and `Meta`.
    fn read(&self) -> Option<(u64, u64, Meta)> {
        let s = self.state.load(Ordering::Relaxed);
        if s & IN_POLL == 0 || s & LOCKED != 0 {
            return None;
        }
        self.state
            .compare_exchange(s, s | LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .ok()?;
        let start = self.start_ns.load(Ordering::Relaxed);
        // SAFETY: the pointer was published with this state, and the future it points into
        // cannot be dropped before its poll ends, which waits for `LOCKED` to be cleared.
        let meta = unsafe { *self.meta.load(Ordering::Relaxed) };
        self.state.store(s, Ordering::Release);
        Some((s, start, meta))
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
        let s = self.0.state.load(Ordering::Relaxed);
        if s & IN_POLL != 0 {
            self.0.end(s & !LOCKED);
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
    /// The `Meta` of the enclosing watched poll on this thread, to publish again when this one
    /// ends (null if none), with bit 0 set when this poll is timed with the precise clock at
    /// both ends (a short budget) rather than by the monitor.
    outer_meta: usize,
    outer_start: u64,
}

const PRECISE: usize = 1;

impl Entered {
    fn precise(&self) -> bool {
        self.outer_meta & PRECISE != 0
    }

    fn outer(&self) -> Option<(*const Meta, u64)> {
        let m = self.outer_meta & !PRECISE;
        (m != 0).then_some((m as *const Meta, self.outer_start))
    }
}

/// Ends the poll without a report if it unwinds.
pub(crate) struct Guard(pub(crate) Option<Entered>);

impl Drop for Guard {
    #[cold]
    fn drop(&mut self) {
        if let Some(e) = self.0.take() {
            let s = e.slot.state.load(Ordering::Relaxed) & !LOCKED;
            let between = e.slot.end(s);
            if let Some((meta, start)) = e.outer() {
                e.slot.publish(between, meta, start);
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
    let mut s = slot.state.load(Ordering::Relaxed);
    let mut outer_meta = 0;
    let mut outer_start = 0;
    if s & IN_POLL != 0 {
        // A watched future inside another one: the inner poll is published while it runs.
        outer_meta = slot.meta.load(Ordering::Relaxed) as usize;
        outer_start = slot.start_ns.load(Ordering::Relaxed);
        s = slot.end(s & !LOCKED);
    }
    let precise = match meta.budget_ns {
        0 => config::short_budget(),
        b => b < config::PRECISE_BELOW_NS,
    };
    // The coarse clock is enough for a poll that the monitor times: it only shows in reports.
    let start = if precise {
        now_ns()
    } else {
        COARSE_NS.load(Ordering::Relaxed)
    };
    slot.publish(s, meta, start);
    Some(Entered {
        slot,
        outer_meta: outer_meta | if precise { PRECISE } else { 0 },
        outer_start,
    })
}

/// Ends one watched poll and reports it if it ran over budget. `may_panic` is `false` where a
/// panic would not reach the user (a hook of a multi-thread Tokio runtime).
#[inline(never)]
pub(crate) fn exit(guard: Guard, meta: &Meta, may_panic: bool) {
    let mut guard = guard;
    let Some(e) = guard.0.take() else { return };
    let slot = e.slot;
    let s = slot.state.load(Ordering::Relaxed) & !LOCKED;
    // The monitor flags a poll it has seen running for longer than its budget.
    let flagged = slot.flagged.load(Ordering::Relaxed) == s;
    let between = slot.end(s);
    let report = if flagged || e.precise() {
        check_finished(slot, meta, s, flagged)
    } else {
        None
    };
    if let Some((outer_meta, outer_start)) = e.outer() {
        // After a report, the enclosing poll is timed from now: the stall is reported once.
        let start = if report.is_some() {
            now_ns()
        } else {
            outer_start
        };
        slot.publish(between, outer_meta, start);
    }
    if let Some((policy, report)) = report {
        dispatch_finished(policy, &report, may_panic);
    }
}

#[cold]
#[inline(never)]
fn check_finished(slot: &Slot, meta: &Meta, s: u64, flagged: bool) -> Option<(Policy, Report)> {
    let start = slot.start_ns.load(Ordering::Relaxed);
    let budget = match meta.budget_ns {
        0 => config::budget_ns_fast(),
        b => b,
    };
    // From a coarse start this is an upper bound, off by a tick at most; a flagged poll is over
    // budget by the monitor's lower bound.
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
        lock(&slot.ips).take().filter(|(id, _)| *id == s)
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
        tick();
        let spawned = std::thread::Builder::new()
            .name("pollguard-monitor".into())
            .spawn(monitor);
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
    /// When the monitor first saw the poll running: no earlier than its true start.
    first_seen_ns: u64,
    start_ns: u64,
    meta: Meta,
}

fn monitor() {
    let mut slots: Vec<&'static Slot> = Vec::new();
    let mut seen: Vec<Option<Seen>> = Vec::new();
    loop {
        std::thread::sleep(TICK);
        tick();
        slots.clear();
        // `SLOTS` only grows: index i is the same slot on every tick.
        slots.extend(lock(&SLOTS).iter().copied());
        seen.resize(slots.len(), None);
        for (slot, seen) in slots.iter().zip(seen.iter_mut()) {
            if let Some(stuck) = detect(slot, seen) {
                send_to_reporter(stuck);
            }
        }
    }
}

/// Advances the coarse clock.
pub(crate) fn tick() {
    COARSE_NS.store(now_ns(), Ordering::Relaxed);
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

fn detect(slot: &'static Slot, seen: &mut Option<Seen>) -> Option<(Policy, Stuck)> {
    let s = slot.poll_id();
    if s & IN_POLL == 0 {
        return None;
    }
    let known = match *seen {
        Some(k) if k.state == s => k,
        _ => {
            // Read after the state: the poll was running by then.
            let first_seen_ns = now_ns();
            let (state, start_ns, meta) = slot.read()?;
            if state != s {
                return None;
            }
            let k = Seen {
                state,
                first_seen_ns,
                start_ns,
                meta,
            };
            *seen = Some(k);
            k
        }
    };
    let meta = known.meta;
    let now = now_ns();
    let budget_ns = match meta.budget_ns {
        0 => config::budget_ns_fast(),
        b => b,
    };
    if now.saturating_sub(known.first_seen_ns) < budget_ns
        || slot.flagged.load(Ordering::Relaxed) == s
    {
        return None;
    }
    let elapsed_ns = now.saturating_sub(known.start_ns);
    slot.flagged.store(s, Ordering::Relaxed);
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
