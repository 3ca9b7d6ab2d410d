//! The poll path and the stall monitor.
//!
//! Each thread that polls a watched future owns a [`Slot`]. Entering a poll reads the clock once
//! and publishes the poll (start, budget, name, location) in the slot; leaving it bumps a
//! generation counter and compares a coarse clock, which the monitor thread advances, with half
//! the budget: only a poll that may be over budget reads the clock again. The monitor samples
//! every slot each tick and reports polls still running past their budget.
//!
//! The slot is a seqlock made of atomics: its owner is the only writer, the monitor re-reads the
//! generation after reading the fields and drops a torn read.

use std::cell::Cell;
use std::panic::Location;
use std::sync::atomic::{AtomicPtr, AtomicU64, AtomicUsize, Ordering, fence};
use std::sync::{Mutex, MutexGuard, Once, OnceLock, PoisonError, mpsc};
use std::time::Duration;

use crate::config::{self, Policy};
use crate::report::{Frame, Report, dispatch};
use crate::{Site, stack};

/// How often the monitor samples the slots and advances the coarse clock.
pub(crate) const TICK: Duration = Duration::from_millis(5);
const TICK_NS: u64 = 5_000_000;

/// The monitor's last clock reading, in the units of [`now_ns`]; lags the true time by about a
/// tick, more when the monitor thread waits for a core.
static COARSE_NS: AtomicU64 = AtomicU64::new(0);

/// Where a watched future was created.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Loc {
    Caller(&'static Location<'static>),
    Site(&'static Site),
}

impl Loc {
    fn encode(self) -> usize {
        // Both are aligned to at least 4: the low bit is free for the tag.
        match self {
            Loc::Caller(l) => l as *const Location<'static> as usize,
            Loc::Site(s) => s as *const Site as usize | 1,
        }
    }

    fn decode(code: usize) -> Loc {
        // SAFETY: codes come from `encode` of `'static` references.
        unsafe {
            if code & 1 == 0 {
                Loc::Caller(&*(code as *const Location<'static>))
            } else {
                Loc::Site(&*((code & !1) as *const Site))
            }
        }
    }

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

/// The state of the watched poll running on one thread, if any.
pub(crate) struct Slot {
    /// Odd while a watched poll runs on the owning thread.
    pub(crate) seq: AtomicU64,
    start_ns: AtomicU64,
    budget_ns: AtomicU64,
    name_ptr: AtomicPtr<u8>,
    name_len: AtomicUsize,
    loc: AtomicUsize,
    policy: AtomicUsize,
    task_id: AtomicU64,
    /// The generation the monitor found over budget.
    flagged: AtomicU64,
    pub(crate) owner: Mutex<Owner>,
    /// Instruction pointers the monitor captured for a generation.
    ips: Mutex<Option<(u64, Vec<usize>)>>,
}

/// A consistent copy of a slot's published poll.
#[derive(Clone, Copy)]
struct Published {
    start_ns: u64,
    budget_ns: u64,
    meta: Meta,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Slot {
    fn new() -> Slot {
        Slot {
            seq: AtomicU64::new(0),
            start_ns: AtomicU64::new(0),
            budget_ns: AtomicU64::new(0),
            name_ptr: AtomicPtr::new(std::ptr::null_mut()),
            name_len: AtomicUsize::new(0),
            loc: AtomicUsize::new(0),
            policy: AtomicUsize::new(0),
            task_id: AtomicU64::new(0),
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

    /// Publishes a poll. Only the owning thread calls this, with the slot's generation even.
    #[inline]
    fn publish(&self, even_gen: u64, p: &Published) -> u64 {
        // Orders the stores below after the even generation: a monitor that reads one of them
        // then sees a changed generation and drops its read.
        fence(Ordering::Release);
        self.start_ns.store(p.start_ns, Ordering::Relaxed);
        self.budget_ns.store(p.budget_ns, Ordering::Relaxed);
        let (ptr, len) = match p.meta.name {
            Some(n) => (n.as_ptr() as *mut u8, n.len()),
            None => (std::ptr::null_mut(), 0),
        };
        self.name_ptr.store(ptr, Ordering::Relaxed);
        self.name_len.store(len, Ordering::Relaxed);
        self.loc.store(p.meta.loc.encode(), Ordering::Relaxed);
        self.policy.store(p.meta.policy, Ordering::Relaxed);
        self.task_id.store(p.meta.task_id, Ordering::Relaxed);
        let g = even_gen + 1;
        self.seq.store(g, Ordering::Release);
        g
    }

    /// Read by the monitor: the poll running now, or `None` between polls or on a torn read.
    fn read(&self) -> Option<(u64, Published)> {
        let g = self.seq.load(Ordering::Acquire);
        if g % 2 == 0 {
            return None;
        }
        let start_ns = self.start_ns.load(Ordering::Relaxed);
        let budget_ns = self.budget_ns.load(Ordering::Relaxed);
        let ptr = self.name_ptr.load(Ordering::Relaxed);
        let len = self.name_len.load(Ordering::Relaxed);
        let loc = self.loc.load(Ordering::Relaxed);
        let policy = self.policy.load(Ordering::Relaxed);
        let task_id = self.task_id.load(Ordering::Relaxed);
        fence(Ordering::Acquire);
        if self.seq.load(Ordering::Relaxed) != g || loc == 0 {
            return None;
        }
        let name = if ptr.is_null() {
            None
        } else {
            // SAFETY: a consistent read of a name published from a `&'static str`.
            Some(unsafe { std::str::from_utf8_unchecked(std::slice::from_raw_parts(ptr, len)) })
        };
        let meta = Meta {
            name,
            loc: Loc::decode(loc),
            budget_ns,
            policy,
            task_id,
        };
        Some((
            g,
            Published {
                start_ns,
                budget_ns,
                meta,
            },
        ))
    }
}

/// Every slot ever made; a slot whose thread ended goes to `FREE` and is reused.
static SLOTS: Mutex<Vec<&'static Slot>> = Mutex::new(Vec::new());
static FREE: Mutex<Vec<&'static Slot>> = Mutex::new(Vec::new());

struct Local {
    slot: &'static Slot,
    /// The slot's generation, which only this thread writes.
    seq: Cell<u64>,
    depth: Cell<u32>,
    /// How many polls this thread reported, so that enclosing watched polls do not report the
    /// same stall again.
    reports: Cell<u64>,
}

impl Local {
    fn new() -> Local {
        start_monitor();
        let slot = lock(&FREE).pop().unwrap_or_else(|| {
            let s: &'static Slot = Box::leak(Box::new(Slot::new()));
            lock(&SLOTS).push(s);
            s
        });
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
        let seq = slot.seq.load(Ordering::Relaxed);
        Local {
            slot,
            seq: Cell::new(seq),
            depth: Cell::new(0),
            reports: Cell::new(0),
        }
    }
}

impl Drop for Local {
    fn drop(&mut self) {
        // Taking the owner lock waits for a monitor that is signalling this thread.
        let mut o = lock(&self.slot.owner);
        o.alive = false;
        let g = self.seq.get();
        if g % 2 == 1 {
            self.slot.seq.store(g + 1, Ordering::Release);
        }
        drop(o);
        lock(&FREE).push(self.slot);
    }
}

thread_local! {
    static LOCAL: Local = Local::new();
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

/// One watched poll in progress, between [`enter`] and [`exit`].
#[derive(Clone, Copy)]
pub(crate) struct Entered {
    slot: &'static Slot,
    start_ns: u64,
    budget_ns: u64,
    meta: Meta,
    reports: u64,
    /// The enclosing watched poll on this thread, to publish again when this one ends.
    outer: Option<Published>,
}

/// Ends the poll without a report if it unwinds.
pub(crate) struct Guard(pub(crate) Option<Entered>);

impl Drop for Guard {
    #[cold]
    fn drop(&mut self) {
        if let Some(e) = self.0.take() {
            let _ = LOCAL.try_with(|l| leave(l, &e, false));
        }
    }
}

/// Starts watching one poll; `None` when the policy is off or the thread is ending.
#[inline(never)]
pub(crate) fn enter(meta: &Meta) -> Option<Entered> {
    let policy = match meta.policy {
        Policy::INHERIT => config::policy_code(),
        p => p,
    };
    if policy == Policy::Off.encode() {
        return None;
    }
    let budget_ns = match meta.budget_ns {
        0 => config::budget_ns(),
        b => b,
    };
    LOCAL
        .try_with(|l| {
            let g = l.seq.get();
            let outer = if g % 2 == 1 {
                l.slot.read().map(|(_, p)| p)
            } else {
                None
            };
            let even = g + (g % 2);
            if g % 2 == 1 {
                l.slot.seq.store(even, Ordering::Relaxed);
            }
            let start_ns = now_ns();
            let meta = Meta {
                policy,
                budget_ns,
                ..*meta
            };
            let p = Published {
                start_ns,
                budget_ns,
                meta,
            };
            l.seq.set(l.slot.publish(even, &p));
            l.depth.set(l.depth.get() + 1);
            Entered {
                slot: l.slot,
                start_ns,
                budget_ns,
                meta,
                reports: l.reports.get(),
                outer,
            }
        })
        .ok()
}

/// Marks the poll as over and publishes the enclosing one again; returns the generation the
/// poll ended with.
#[inline]
fn leave(l: &Local, e: &Entered, reported_inside: bool) -> u64 {
    let g = l.seq.get();
    let even = g + (g % 2);
    l.slot.seq.store(even, Ordering::Release);
    l.depth.set(l.depth.get().saturating_sub(1));
    match e.outer {
        Some(mut outer) => {
            if reported_inside {
                // The stall is reported already: the monitor must not find the enclosing poll
                // over budget because of it.
                outer.start_ns = now_ns();
            }
            l.seq.set(l.slot.publish(even, &outer));
        }
        None => l.seq.set(even),
    }
    g
}

/// Ends one watched poll and reports it if it ran over budget. `may_panic` is `false` where a
/// panic would not reach the user (a hook of a multi-thread Tokio runtime).
#[inline(never)]
pub(crate) fn exit(guard: Guard, may_panic: bool) {
    let mut guard = guard;
    let Some(e) = guard.0.take() else { return };
    let _ = LOCAL.try_with(|l| {
        let reported_inside = l.reports.get() != e.reports;
        let g = leave(l, &e, reported_inside);
        if reported_inside {
            return;
        }
        let flagged = e.slot.flagged.load(Ordering::Relaxed) == g;
        let precise = e.budget_ns < 4 * TICK_NS;
        let coarse_elapsed = COARSE_NS.load(Ordering::Relaxed).saturating_sub(e.start_ns);
        if precise || flagged || coarse_elapsed >= e.budget_ns / 2 {
            check_finished(l, &e, g, flagged, may_panic);
        }
    });
}

#[cold]
#[inline(never)]
fn check_finished(l: &Local, e: &Entered, g: u64, flagged: bool, may_panic: bool) {
    let elapsed = now_ns().saturating_sub(e.start_ns);
    if elapsed < e.budget_ns {
        return;
    }
    l.reports.set(l.reports.get() + 1);
    let ips = if flagged {
        lock(&e.slot.ips).take().filter(|(ig, _)| *ig == g)
    } else {
        None
    };
    let report = make_report(
        &e.meta,
        std::thread::current().name().map(str::to_owned),
        elapsed,
        e.budget_ns,
        false,
        ips.map(|(_, ips)| stack::resolve(&ips)).unwrap_or_default(),
    );
    let policy = Policy::decode(e.meta.policy);
    if !may_panic && matches!(policy, Policy::Panic) {
        crate::report::write_stderr(&format!(
            "{report}\npollguard: not panicking inside the hook of a multi-thread runtime, \
             where a panic is only printed; set `POLLGUARD=abort` to fail the run"
        ));
        return;
    }
    if may_panic {
        dispatch(policy, &report, true);
    } else {
        // A panicking callback would unwind through Tokio's worker, which aborts the process.
        let _ = std::panic::catch_unwind(|| dispatch(policy, &report, true));
    }
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

fn monitor() {
    let mut slots: Vec<&'static Slot> = Vec::new();
    loop {
        std::thread::sleep(TICK);
        tick();
        slots.clear();
        slots.extend(lock(&SLOTS).iter().copied());
        for slot in &slots {
            if let Some(stuck) = detect(slot) {
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

fn detect(slot: &'static Slot) -> Option<(Policy, Stuck)> {
    let (seq, p) = slot.read()?;
    let elapsed_ns = now_ns().saturating_sub(p.start_ns);
    if elapsed_ns < p.budget_ns || slot.flagged.load(Ordering::Relaxed) == seq {
        return None;
    }
    slot.flagged.store(seq, Ordering::Relaxed);
    let policy = Policy::decode(p.meta.policy);
    if matches!(policy, Policy::Off) {
        return None;
    }
    let ips = match stack::capture(slot, seq) {
        stack::Capture::Stack(ips) => Some(ips),
        stack::Capture::Panicking => return None,
        stack::Capture::Unavailable => None,
    };
    if slot.seq.load(Ordering::Acquire) != seq {
        // The poll returned before the stack was taken: the polling thread reports it.
        return None;
    }
    if let Some(ips) = &ips {
        // For the report of the polling thread when the poll returns.
        *lock(&slot.ips) = Some((seq, ips.clone()));
    }
    let thread = lock(&slot.owner).thread_name.clone();
    Some((
        policy,
        Stuck {
            meta: p.meta,
            thread,
            elapsed_ns,
            budget_ns: p.budget_ns,
            ips,
        },
    ))
}

fn report_stuck(policy: Policy, s: Stuck) {
    let frames = s.ips.as_deref().map(stack::resolve).unwrap_or_default();
    let report = make_report(&s.meta, s.thread, s.elapsed_ns, s.budget_ns, true, frames);
    dispatch(policy, &report, false);
}
