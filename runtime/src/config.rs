//! Process-wide settings: the policy and the default budget, from code or from the environment.

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use crate::Report;

/// The default budget of one poll: 100 ms.
///
/// Tokio's guidance is 10–100 µs between two `.await`s in an optimized build. The watchdog runs
/// in debug builds, which are often 10–50 times slower, on CI machines where a thread can be
/// descheduled for tens of milliseconds, and its default policy panics: a threshold that close to
/// the guidance would fail tests that did nothing wrong. 100 ms is 1000 times the guidance, still
/// far below what the blocking calls it is meant to catch take (a `std::thread::sleep`, a
/// synchronous HTTP request, a `block_on` deadlock), and the same threshold as Python's asyncio
/// debug mode (`slow_callback_duration`). Lower it with `POLLGUARD_BUDGET` or [`set_budget`] to
/// find smaller stalls.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(100);
const DEFAULT_BUDGET_NS: u64 = 100_000_000;

/// A future's own budget under this is timed with a clock read at both ends of each poll;
/// other polls are timed by the stall monitor's sampling, accurate to a tick (5 ms).
pub(crate) const PRECISE_BELOW_NS: u64 = 20_000_000;

/// What the watchdog does when a poll runs over its budget.
///
/// Set it for the whole process with [`set_policy`] or the `POLLGUARD` environment variable, or
/// for one future with [`Watch::policy`](crate::Watch::policy).
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Policy {
    /// Panic on the thread that polled the future, right after the poll returns. The default in
    /// debug builds. A panic inside a task spawned on Tokio becomes a `JoinError`, which fails
    /// nothing unless the handle is awaited and unwrapped: use [`Policy::Abort`] on CI.
    ///
    /// A poll that is still running past its budget cannot be made to panic; the stall monitor
    /// prints its report to stderr instead, and the panic comes when the poll returns.
    Panic,
    /// Print the report on stderr (or, with the `tracing` feature and a subscriber installed,
    /// emit it as a `tracing` warning) and go on. The default of builds with the
    /// `release-watchdog` feature and without debug assertions.
    Warn,
    /// Print the report on stderr and end the process with [`std::process::abort`]. A stuck
    /// poll ends the process as soon as the stall monitor sees it, so a test run cannot hang.
    Abort,
    /// Call this function with the report, on the thread that polled the future for a poll
    /// that returned, on the stall monitor's reporting thread (`pollguard-reporter`) for a poll
    /// that is stuck.
    Callback(fn(&Report)),
    /// Report nothing. Watched polls still do their bookkeeping (a clock read and a few
    /// stores); builds without debug assertions are the ones without any.
    Off,
}

impl Policy {
    pub(crate) const INHERIT: usize = 0;

    pub(crate) fn encode(self) -> usize {
        match self {
            Policy::Panic => 1,
            Policy::Warn => 2,
            Policy::Abort => 3,
            Policy::Off => 4,
            Policy::Callback(f) => f as usize,
        }
    }

    pub(crate) fn decode(code: usize) -> Policy {
        match code {
            1 => Policy::Panic,
            2 => Policy::Warn,
            3 => Policy::Abort,
            4 => Policy::Off,
            f => {
                // SAFETY: every code above 4 comes from `encode` of a `Callback`: function
                // pointers are never null and never point into the first page.
                Policy::Callback(unsafe { std::mem::transmute::<usize, fn(&Report)>(f) })
            }
        }
    }
}

impl FromStr for Policy {
    type Err = ConfigError;

    /// Parses the values of `POLLGUARD`: `panic`, `warn`, `abort` or `off`, in any case.
    fn from_str(s: &str) -> Result<Policy, ConfigError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "panic" => Ok(Policy::Panic),
            "warn" => Ok(Policy::Warn),
            "abort" => Ok(Policy::Abort),
            "off" => Ok(Policy::Off),
            _ => Err(ConfigError::new(
                POLICY_VAR,
                s,
                "which is not a policy; use one of `panic`, `warn`, `abort`, `off`",
            )),
        }
    }
}

/// The environment variable that sets the policy.
pub const POLICY_VAR: &str = "POLLGUARD";
/// The environment variable that sets the default budget.
pub const BUDGET_VAR: &str = "POLLGUARD_BUDGET";

/// A setting that could not be read: which variable, its value, and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    variable: &'static str,
    value: String,
    reason: &'static str,
}

impl ConfigError {
    fn new(variable: &'static str, value: &str, reason: &'static str) -> ConfigError {
        ConfigError {
            variable,
            value: value.to_owned(),
            reason,
        }
    }

    /// The environment variable at fault, `POLLGUARD` or `POLLGUARD_BUDGET`.
    pub fn variable(&self) -> &'static str {
        self.variable
    }

    /// The value that could not be read.
    pub fn value(&self) -> &str {
        &self.value
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "pollguard: `{}` is set to `{}`, {}",
            self.variable, self.value, self.reason
        )
    }
}

impl std::error::Error for ConfigError {}

/// Parses a budget as written in `POLLGUARD_BUDGET`: a number, possibly with a fraction, and a
/// unit among `ns`, `us` (or `µs`), `ms` and `s`: `50ms`, `2s`, `500us`, `1.5s`.
///
/// A budget must be greater than zero; to turn the watchdog off, set the policy to `off`.
///
/// ```
/// use std::time::Duration;
/// assert_eq!(pollguard_runtime::parse_budget("1.5s").unwrap(), Duration::from_millis(1500));
/// assert!(pollguard_runtime::parse_budget("50").is_err());
/// ```
pub fn parse_budget(s: &str) -> Result<Duration, ConfigError> {
    let err = |reason| Err(ConfigError::new(BUDGET_VAR, s, reason));
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let nanos_per_unit: u64 = match unit.trim() {
        "ns" => 1,
        "us" | "µs" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "" => return err("which has no unit; write it like `50ms`, `2s`, `500us` or `1.5s`"),
        _ => return err("which has an unknown unit; use `ns`, `us`, `ms` or `s`, like `50ms`"),
    };
    let (whole, frac) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && frac.is_empty() || frac.contains('.') {
        return err("which is not a duration; write it like `50ms`, `2s`, `500us` or `1.5s`");
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        match whole.parse() {
            Ok(w) => w,
            Err(_) => return err("which is too large for a budget"),
        }
    };
    // The fraction is kept to nanoseconds; digits past that are dropped.
    let mut frac_nanos: u64 = 0;
    let mut scale = nanos_per_unit;
    for d in frac.bytes() {
        scale /= 10;
        frac_nanos += u64::from(d - b'0') * scale;
    }
    let Some(total) = whole
        .checked_mul(nanos_per_unit)
        .and_then(|n| n.checked_add(frac_nanos))
    else {
        return err("which is too large for a budget");
    };
    if total == 0 {
        return err(
            "but a budget must be greater than zero; to turn the watchdog off set `POLLGUARD=off`",
        );
    }
    Ok(Duration::from_nanos(total))
}

/// Reads the two environment variables' values (`None` when unset) into a policy and a budget.
pub(crate) fn from_env_values(
    policy: Option<&str>,
    budget: Option<&str>,
) -> Result<(Option<Policy>, Option<Duration>), ConfigError> {
    let policy = policy.map(str::parse).transpose()?;
    let budget = budget.map(parse_budget).transpose()?;
    Ok((policy, budget))
}

fn read_var(name: &'static str) -> Result<Option<String>, ConfigError> {
    match std::env::var(name) {
        Ok(v) => Ok(Some(v)),
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => Err(ConfigError::new(
            name,
            &v.to_string_lossy(),
            "which is not valid UTF-8",
        )),
    }
}

/// Policy code set by code or the environment; `INHERIT` (0) until one of them sets it.
static POLICY: AtomicUsize = AtomicUsize::new(Policy::INHERIT);
/// Default budget in nanoseconds; 0 until code or the environment sets it.
static BUDGET_NS: AtomicU64 = AtomicU64::new(0);
static ENV: OnceLock<Result<(), ConfigError>> = OnceLock::new();

fn load_env() -> &'static Result<(), ConfigError> {
    ENV.get_or_init(|| {
        let (policy, budget) = from_env_values(
            read_var(POLICY_VAR)?.as_deref(),
            read_var(BUDGET_VAR)?.as_deref(),
        )?;
        // A value set in code before the first use wins over the environment.
        if let Some(p) = policy {
            let _ = POLICY.compare_exchange(
                Policy::INHERIT,
                p.encode(),
                Ordering::Relaxed,
                Ordering::Relaxed,
            );
        }
        if let Some(b) = budget {
            let _ = BUDGET_NS.compare_exchange(0, nanos(b), Ordering::Relaxed, Ordering::Relaxed);
        }
        Ok(())
    })
}

/// Checks the environment variables now instead of at the first watched poll.
///
/// The watchdog reads `POLLGUARD` and `POLLGUARD_BUDGET` once, at its first use. A bad value
/// makes that use, and every later one, panic with the message of this error: a typo in the
/// policy of a CI job must not quietly turn into another policy. Call this at the start of
/// `main` to report a bad value as you like instead.
pub fn check_env() -> Result<(), ConfigError> {
    load_env().clone()
}

/// Sets the policy of every watched future that has none of its own, overriding `POLLGUARD`.
pub fn set_policy(policy: Policy) {
    POLICY.store(policy.encode(), Ordering::Relaxed);
}

/// The policy in force: set by [`set_policy`], else by `POLLGUARD`, else [`Policy::Panic`] in
/// debug builds and [`Policy::Warn`] in release builds with the `release-watchdog` feature.
///
/// # Panics
///
/// If `POLLGUARD` or `POLLGUARD_BUDGET` holds a bad value (see [`check_env`]).
pub fn policy() -> Policy {
    Policy::decode(policy_code())
}

/// Sets the budget of every watched future that has none of its own, overriding
/// `POLLGUARD_BUDGET`. A zero budget is taken as one nanosecond.
pub fn set_budget(budget: Duration) {
    BUDGET_NS.store(nanos(budget).max(1), Ordering::Relaxed);
}

/// The default budget in force: set by [`set_budget`], else by `POLLGUARD_BUDGET`, else
/// [`DEFAULT_BUDGET`].
///
/// # Panics
///
/// If `POLLGUARD` or `POLLGUARD_BUDGET` holds a bad value (see [`check_env`]).
pub fn budget() -> Duration {
    Duration::from_nanos(budget_ns())
}

pub(crate) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cold]
#[inline(never)]
fn env_slow() {
    if let Err(e) = load_env() {
        panic!("{e}");
    }
}

#[inline]
fn ensure_env() {
    if ENV.get().is_none_or(|r| r.is_err()) {
        env_slow();
    }
}

#[inline]
pub(crate) fn policy_code() -> usize {
    ensure_env();
    match POLICY.load(Ordering::Relaxed) {
        Policy::INHERIT if cfg!(debug_assertions) => 1,
        Policy::INHERIT => 2,
        p => p,
    }
}

#[inline]
pub(crate) fn budget_ns() -> u64 {
    ensure_env();
    budget_ns_fast()
}

/// [`budget_ns`] without the check of the environment, done at the thread's first watched poll.
#[inline]
pub(crate) fn budget_ns_fast() -> u64 {
    match BUDGET_NS.load(Ordering::Relaxed) {
        0 => DEFAULT_BUDGET_NS,
        b => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_budget_const() {
        assert_eq!(nanos(DEFAULT_BUDGET), DEFAULT_BUDGET_NS);
    }

    #[test]
    fn budgets_parse() {
        let ms = Duration::from_millis;
        assert_eq!(parse_budget("50ms"), Ok(ms(50)));
        assert_eq!(parse_budget("2s"), Ok(ms(2000)));
        assert_eq!(parse_budget("500us"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_budget("500µs"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_budget("1.5s"), Ok(ms(1500)));
        assert_eq!(parse_budget(" 0.25 s "), Ok(ms(250)));
        assert_eq!(parse_budget(".5ms"), Ok(Duration::from_micros(500)));
        assert_eq!(parse_budget("100ns"), Ok(Duration::from_nanos(100)));
        assert_eq!(parse_budget("1.0000000001s"), Ok(ms(1000)));
    }

    #[test]
    fn bad_budgets_name_the_variable_and_the_value() {
        for (value, hint) in [
            ("50", "no unit"),
            ("fast", "unknown unit"),
            ("50 minutes", "unknown unit"),
            ("1.2.3s", "not a duration"),
            ("ms", "not a duration"),
            ("0ms", "greater than zero"),
            ("0.0000000001s", "greater than zero"),
            ("99999999999999999999s", "too large"),
            ("-5ms", "unknown unit"),
        ] {
            let e = parse_budget(value).unwrap_err();
            assert_eq!(e.variable(), "POLLGUARD_BUDGET");
            assert_eq!(e.value(), value);
            let msg = e.to_string();
            assert!(
                msg.starts_with(&format!(
                    "pollguard: `POLLGUARD_BUDGET` is set to `{value}`, "
                )),
                "{msg}"
            );
            assert!(msg.contains(hint), "{value}: {msg}");
            assert!(!msg.ends_with('.'), "{msg}");
        }
    }

    #[test]
    fn policies_parse() {
        assert!(matches!("panic".parse(), Ok(Policy::Panic)));
        assert!(matches!("WARN".parse(), Ok(Policy::Warn)));
        assert!(matches!(" abort\n".parse(), Ok(Policy::Abort)));
        assert!(matches!("off".parse(), Ok(Policy::Off)));
        let e = "pnic".parse::<Policy>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "pollguard: `POLLGUARD` is set to `pnic`, which is not a policy; \
             use one of `panic`, `warn`, `abort`, `off`"
        );
    }

    #[test]
    fn env_values() {
        let (p, b) = from_env_values(Some("warn"), Some("20ms")).unwrap();
        assert!(matches!(p, Some(Policy::Warn)));
        assert_eq!(b, Some(Duration::from_millis(20)));
        let (p, b) = from_env_values(None, None).unwrap();
        assert!(p.is_none() && b.is_none());
        assert_eq!(
            from_env_values(Some("abort"), Some("2"))
                .unwrap_err()
                .variable(),
            BUDGET_VAR
        );
        assert_eq!(
            from_env_values(Some(""), Some("2s"))
                .unwrap_err()
                .variable(),
            POLICY_VAR
        );
    }

    #[test]
    fn policy_codes_round_trip() {
        fn cb(_: &Report) {}
        for p in [
            Policy::Panic,
            Policy::Warn,
            Policy::Abort,
            Policy::Off,
            Policy::Callback(cb),
        ] {
            assert_eq!(Policy::decode(p.encode()).encode(), p.encode());
        }
        assert!(matches!(
            Policy::decode(Policy::Callback(cb).encode()),
            Policy::Callback(_)
        ));
    }
}
