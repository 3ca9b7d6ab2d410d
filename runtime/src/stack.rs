//! Capturing the stack of a thread whose poll is stuck (Linux).
//!
//! The monitor sends the thread a signal; the handler, on that thread, checks that the same poll
//! is still running, walks the stack with `backtrace::trace_unsynchronized` and stores only the
//! instruction pointers in a static array of atomics: no allocation, no lock. The monitor waits
//! for it (bounded) and resolves the pointers to files and lines on its own thread.
//!
//! Only the monitor thread requests captures, one at a time. If a handler never finishes, the
//! capture is given up for the rest of the process rather than risk reusing its buffer.

use crate::report::Frame;
use crate::watchdog::Slot;

/// What a capture found.
pub(crate) enum Capture {
    /// The instruction pointers, innermost first.
    Stack(Vec<usize>),
    /// The thread is panicking: the poll is slow because the panic hook is (printing a
    /// backtrace, say), not because of a blocking call.
    Panicking,
    /// No stack: not Linux, the signal is taken, the poll moved on, or the handler did not answer.
    Unavailable,
}

#[cfg(target_os = "linux")]
mod imp {
    use super::*;
    use std::sync::OnceLock;
    use std::sync::atomic::{AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    const MAX_FRAMES: usize = 128;

    const IDLE: u8 = 0;
    const REQUESTED: u8 = 1;
    const RUNNING: u8 = 2;
    const DONE: u8 = 3;
    const SKIPPED: u8 = 4;
    const PANICKING: u8 = 6;
    /// A handler never finished: the buffer may still be written, so it is never used again.
    const BROKEN: u8 = 5;

    #[allow(clippy::declare_interior_mutable_const)]
    const ZERO: AtomicUsize = AtomicUsize::new(0);
    static IPS: [AtomicUsize; MAX_FRAMES] = [ZERO; MAX_FRAMES];
    static LEN: AtomicUsize = AtomicUsize::new(0);
    static STATE: AtomicU8 = AtomicU8::new(IDLE);
    static TARGET: AtomicPtr<Slot> = AtomicPtr::new(std::ptr::null_mut());
    static TARGET_SEQ: AtomicU64 = AtomicU64::new(0);
    static TARGET_THREAD: AtomicUsize = AtomicUsize::new(0);
    static INSTALLED: OnceLock<Option<libc::c_int>> = OnceLock::new();

    /// A real-time signal, away from the ones glibc reserves and the first ones applications
    /// take.
    fn signal_number() -> libc::c_int {
        libc::SIGRTMIN() + 6
    }

    extern "C" fn on_signal(_: libc::c_int) {
        // SAFETY: errno is thread-local; it is restored so the interrupted code sees its own.
        let errno = unsafe { *libc::__errno_location() };
        if STATE
            .compare_exchange(REQUESTED, RUNNING, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
        {
            let slot = TARGET.load(Ordering::Relaxed);
            let seq = TARGET_SEQ.load(Ordering::Relaxed);
            // A signal from a withdrawn request can reach another thread than the target's.
            // SAFETY: no preconditions.
            let same_thread =
                unsafe { libc::pthread_self() } as usize == TARGET_THREAD.load(Ordering::Relaxed);
            // SAFETY: slots are leaked, never freed.
            let same_poll = same_thread && !slot.is_null() && unsafe { &*slot }.poll_id() == seq;
            // The poll moved on, or the thread is panicking (its panic hook may hold the
            // unwinder's locks): drop the sample.
            if !same_poll || std::thread::panicking() {
                let to = if same_poll { PANICKING } else { SKIPPED };
                let _ = STATE.compare_exchange(RUNNING, to, Ordering::Release, Ordering::Relaxed);
            } else {
                let mut n = 0;
                // SAFETY: nothing else walks stacks through this buffer; the walk does not
                // allocate or take a lock that the interrupted code could hold.
                unsafe {
                    backtrace::trace_unsynchronized(|frame| {
                        IPS[n].store(frame.ip() as usize, Ordering::Relaxed);
                        n += 1;
                        n < MAX_FRAMES
                    });
                }
                LEN.store(n, Ordering::Relaxed);
                let _ = STATE.compare_exchange(RUNNING, DONE, Ordering::Release, Ordering::Relaxed);
            }
        }
        // SAFETY: see above.
        unsafe { *libc::__errno_location() = errno };
    }

    /// Installs the handler once; `None` when the signal already has a handler (someone else's).
    fn install() -> Option<libc::c_int> {
        *INSTALLED.get_or_init(|| {
            let sig = signal_number();
            // SAFETY: plain sigaction calls with zeroed, then filled, structs.
            unsafe {
                let mut old: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut old) != 0
                    || old.sa_sigaction != libc::SIG_DFL
                {
                    return None;
                }
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
                sa.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut sa.sa_mask);
                (libc::sigaction(sig, &sa, std::ptr::null_mut()) == 0).then_some(sig)
            }
        })
    }

    /// The instruction pointers of the thread that owns `slot`, if it is still in poll `seq`.
    pub(crate) fn capture(slot: &'static Slot, seq: u64) -> Capture {
        match try_capture(slot, seq) {
            Some(Ok(ips)) => Capture::Stack(ips),
            Some(Err(())) => Capture::Panicking,
            None => Capture::Unavailable,
        }
    }

    fn try_capture(slot: &'static Slot, seq: u64) -> Option<Result<Vec<usize>, ()>> {
        if std::env::var_os("POLLGUARD_NO_STACK").is_some() {
            return None;
        }
        let sig = install()?;
        if STATE.load(Ordering::Acquire) != IDLE {
            // BROKEN: a handler never finished.
            return None;
        }
        {
            // Holding the owner lock keeps the thread from ending, so its pthread_t is valid.
            let owner = slot.owner.lock().unwrap_or_else(|e| e.into_inner());
            if !owner.is_alive() || slot.poll_id() != seq {
                return None;
            }
            TARGET.store(slot as *const Slot as *mut Slot, Ordering::Relaxed);
            TARGET_SEQ.store(seq, Ordering::Relaxed);
            TARGET_THREAD.store(owner.pthread as usize, Ordering::Relaxed);
            LEN.store(0, Ordering::Relaxed);
            STATE.store(REQUESTED, Ordering::Release);
            // SAFETY: the thread is alive (see above) and the handler is installed.
            if unsafe { libc::pthread_kill(owner.pthread, sig) } != 0 {
                STATE.store(IDLE, Ordering::Relaxed);
                return None;
            }
        }
        let deadline = Instant::now() + Duration::from_millis(250);
        loop {
            match STATE.load(Ordering::Acquire) {
                DONE => {
                    let n = LEN.load(Ordering::Relaxed);
                    let ips = IPS[..n]
                        .iter()
                        .map(|ip| ip.load(Ordering::Relaxed))
                        .collect();
                    STATE.store(IDLE, Ordering::Relaxed);
                    return Some(Ok(ips));
                }
                PANICKING => {
                    STATE.store(IDLE, Ordering::Relaxed);
                    return Some(Err(()));
                }
                SKIPPED => {
                    STATE.store(IDLE, Ordering::Relaxed);
                    return None;
                }
                _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(1)),
                _ => match STATE.compare_exchange(
                    REQUESTED,
                    IDLE,
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                ) {
                    // The handler never started; when it does, it finds nothing to do.
                    Ok(_) => return None,
                    // A handler that started and never finished owns the buffer for good.
                    Err(RUNNING) => {
                        if STATE
                            .compare_exchange(RUNNING, BROKEN, Ordering::Relaxed, Ordering::Relaxed)
                            .is_ok()
                        {
                            return None;
                        }
                    }
                    Err(_) => {}
                },
            }
        }
    }

    /// Turns instruction pointers into frames, innermost first, without the signal handler's.
    pub(crate) fn resolve(ips: &[usize]) -> Vec<Frame> {
        let mut frames = Vec::new();
        let cwd = std::env::current_dir().ok();
        for &ip in ips {
            // Return addresses point after the call; the call's line is one byte back.
            let ip = ip.saturating_sub(1) as *mut std::ffi::c_void;
            let before = frames.len();
            backtrace::resolve(ip, |sym| {
                frames.push(Frame {
                    // `{:#}` leaves out the hashes and crate disambiguators.
                    function: sym.name().map(|n| format!("{n:#}")),
                    file: sym.filename().map(|p| {
                        let short = cwd.as_deref().and_then(|c| p.strip_prefix(c).ok());
                        short.unwrap_or(p).display().to_string()
                    }),
                    line: sym.lineno(),
                    column: sym.colno(),
                });
            });
            if frames.len() == before {
                frames.push(Frame {
                    function: None,
                    file: None,
                    line: None,
                    column: None,
                });
            }
        }
        let handler = frames.iter().position(|f| {
            f.function
                .as_deref()
                .is_some_and(|n| n.contains("pollguard_runtime::stack::imp::on_signal"))
        });
        if let Some(i) = handler {
            frames.drain(..=i);
            // The signal trampoline (`__restore_rt`), usually without a name.
            while frames.first().is_some_and(|f| {
                f.file.is_none()
                    && f.function
                        .as_deref()
                        .is_none_or(|n| n.contains("restore_rt"))
            }) {
                frames.remove(0);
            }
        }
        frames
    }
}

#[cfg(target_os = "linux")]
pub(crate) use imp::{capture, resolve};

#[cfg(not(target_os = "linux"))]
pub(crate) fn capture(_: &'static Slot, _: u64) -> Capture {
    Capture::Unavailable
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn resolve(_: &[usize]) -> Vec<Frame> {
    Vec::new()
}
