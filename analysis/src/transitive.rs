//! Blocking through helpers: a sync fn whose body blocks, directly or through
//! other sync fns of the same workspace, makes its call sites in async code
//! findings. Only the CLI sees a whole crate, so only the CLI calls this.

use crate::catalog::{
    CHANNEL_RECV, CHANNEL_SEND, Category, DNS_LOOKUP, HTTP_BLOCKING, Level, NET_IO, PROCESS_WAIT,
    Rule, SYNC_DB, TRANSITIVE_BLOCKING, USER_BLOCKING,
};
use crate::io::{Addr, IoKind};
use crate::{Analysis, Confidence, Config, Construction, Finding, FnSummary, LocalCall};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use proc_macro2::Span;
use std::collections::VecDeque;

/// What the closure reads of one analysed file. [`Analysis`] provides it with
/// the parser's spans; a caller that moved its results between threads can
/// provide it with positions of its own.
pub trait Summaries<P> {
    /// The file's sync fns.
    fn fns(&self) -> &[FnSummary<P>];
    /// Its calls, in async context, of paths the catalog does not know.
    fn async_calls(&self) -> &[LocalCall<P>];
    /// The categories or rules escape hatch number `hatch` allows (empty: all).
    fn hatch_keys(&self, hatch: usize) -> &[String];
    /// The channel ends the file makes.
    fn constructed(&self) -> &[Construction] {
        &[]
    }
}

impl Summaries<Span> for Analysis {
    fn fns(&self) -> &[FnSummary] {
        &self.fns
    }
    fn async_calls(&self) -> &[LocalCall] {
        &self.async_calls
    }
    fn hatch_keys(&self, hatch: usize) -> &[String] {
        self.hatches.get(hatch).map_or(&[], |h| &h.keys)
    }
    fn constructed(&self) -> &[Construction] {
        &self.constructed
    }
}

/// One analysed file, the crate it belongs to and its configuration.
#[derive(Clone, Copy)]
pub struct Unit<'a, P = Span> {
    /// The crate's name as code spells it (`my_app`, dashes made underscores).
    pub krate: &'a str,
    /// The file's summaries.
    pub file: &'a dyn Summaries<P>,
    /// The configuration of the file's package: levels and allowed calls
    /// apply where async code makes the call.
    pub config: &'a Config,
    /// A file of a dependency, read from its source: its fns are followed,
    /// its own async code is not reported on (that is its authors' lint).
    pub dependency: bool,
    /// What the file's crate is for, when its package says.
    pub kind: CrateKind,
    /// The whole file is test code: a test target, a file of `tests/`, the
    /// file of a `#[cfg(test)] mod tests;` (its calls count as
    /// [`LocalCall::in_test`]).
    pub test: bool,
}

/// What a crate is for, as its package's crates.io categories say: the
/// file or socket I/O a database engine does is database I/O to its
/// callers, and the socket I/O of an HTTP client is a blocking HTTP request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CrateKind {
    /// Anything else: calls are reported as what they are.
    #[default]
    Other,
    /// `database`, `database-implementations`, or a keyword that names a
    /// database ([`DATABASE_KEYWORDS`]).
    Database,
    /// `web-programming::http-client`.
    HttpClient,
    /// A channel: the keyword `channel`.
    Channel,
    /// A DNS client: the keyword `dns`.
    Dns,
    /// Any other network client: `network-programming`, or a keyword that
    /// names a wire protocol ([`NETWORK_KEYWORDS`]).
    Network,
    /// A crate that drives another program through a pseudo-terminal or
    /// its pipes (rexpect): a keyword in [`PROCESS_KEYWORDS`].
    Process,
}

/// Keywords of crates that drive another program (`pty`, `expect`): what
/// such a crate waits for, polling with a sleep or reading its terminal,
/// is that program.
pub const PROCESS_KEYWORDS: &[&str] = &["pty", "pexpect", "expect", "subprocess"];

/// Keywords that name a database, for a client that does not say
/// `database` in its categories (redis's are `redis`, `valkey`, `cluster`,
/// `sentinel`, `pubsub`): its waits are on the database, as the catalog's
/// entries for such clients say.
pub const DATABASE_KEYWORDS: &[&str] = &[
    "cassandra",
    "clickhouse",
    "database",
    "mongodb",
    "mysql",
    "odbc",
    "postgres",
    "postgresql",
    "redis",
    "sql",
    "sqlite",
    "valkey",
];

/// Keywords that name a wire protocol or a networked service's client,
/// for crates that do not say `network-programming` (crates.io has no
/// category for MQTT, Modbus or ZooKeeper): paho-mqtt's `MQTT`,
/// tokio-modbus's `modbus`, zookeeper's `zookeeper`, zbus's `D-Bus`.
pub const NETWORK_KEYWORDS: &[&str] = &[
    "amqp",
    "d-bus",
    "dbus",
    "grpc",
    "kafka",
    "ldap",
    "modbus",
    "mqtt",
    "nats",
    "networking",
    "ntp",
    "rabbitmq",
    "rpc",
    "smtp",
    "snmp",
    "ssh",
    "zookeeper",
];

impl CrateKind {
    /// The kind a package's `categories` give.
    pub fn from_categories<S: AsRef<str>>(categories: &[S]) -> CrateKind {
        CrateKind::of::<S, &str>(categories, &[])
    }

    /// The kind a package's `categories` and `keywords` give: crates.io has
    /// no category for channels, and channel crates say so in a keyword.
    pub fn of<S: AsRef<str>, K: AsRef<str>>(categories: &[S], keywords: &[K]) -> CrateKind {
        let has = |c: &str| categories.iter().any(|x| x.as_ref() == c);
        let keyword = |list: &[&str]| {
            keywords
                .iter()
                .any(|k| list.iter().any(|n| k.as_ref().eq_ignore_ascii_case(n)))
        };
        if has("database") || has("database-implementations") || keyword(DATABASE_KEYWORDS) {
            CrateKind::Database
        } else if has("web-programming::http-client") {
            CrateKind::HttpClient
        } else if keywords.iter().any(|k| k.as_ref() == "channel") {
            CrateKind::Channel
        } else if keywords
            .iter()
            .any(|k| k.as_ref().eq_ignore_ascii_case("dns"))
        {
            CrateKind::Dns
        } else if has("network-programming") || keyword(NETWORK_KEYWORDS) {
            CrateKind::Network
        } else if keyword(PROCESS_KEYWORDS) {
            CrateKind::Process
        } else {
            CrateKind::Other
        }
    }

    /// The rule a blocking call made inside such a crate is reported under.
    /// Only I/O and waits change (a sync client that is a facade over an
    /// async one, `postgres` over `tokio-postgres`, waits in a `block_on` on
    /// the database's I/O): a sleep or a child process is one whoever makes
    /// it, and an HTTP client reading a certificate file does file I/O, not
    /// a request.
    ///
    /// ```
    /// use pollguard_analysis::catalog::{BLOCK_ON, FS_CALL, NET_IO, SYNC_WAIT, THREAD_SLEEP};
    /// use pollguard_analysis::transitive::CrateKind;
    ///
    /// let db = CrateKind::from_categories(&["data-structures", "database-implementations"]);
    /// assert_eq!(db.report_as(&FS_CALL).category.name(), "db");
    /// assert_eq!(db.report_as(&THREAD_SLEEP).category.name(), "sleep");
    /// let http = CrateKind::from_categories(&["web-programming::http-client"]);
    /// assert_eq!(http.report_as(&NET_IO).category.name(), "http_blocking");
    /// assert_eq!(http.report_as(&FS_CALL).category.name(), "fs");
    /// // A sync facade over an async client waits on its I/O in a `block_on`.
    /// assert_eq!(db.report_as(&BLOCK_ON).category.name(), "db");
    /// // A channel crate's receiver parks until a message comes.
    /// let channel = CrateKind::of(&["concurrency"], &["channel", "mpmc"]);
    /// assert_eq!(channel.report_as(&SYNC_WAIT).category.name(), "channel");
    /// assert_eq!(channel.report_as(&THREAD_SLEEP).category.name(), "sleep");
    /// // A DNS client's socket I/O is a lookup, as the system resolver's is.
    /// let dns = CrateKind::of(&["network-programming"], &["DNS", "resolver"]);
    /// assert_eq!(dns.report_as(&NET_IO).category.name(), "dns");
    /// assert_eq!(dns.report_as(&FS_CALL).category.name(), "fs");
    /// // A sync MQTT client waits for its broker's reply in a `block_on`.
    /// let mqtt = CrateKind::of::<&str, _>(&[], &["MQTT", "IoT"]);
    /// assert_eq!(mqtt.report_as(&BLOCK_ON).category.name(), "net");
    /// assert_eq!(mqtt.report_as(&THREAD_SLEEP).category.name(), "sleep");
    /// // redis says what it is in its keywords only.
    /// let redis = CrateKind::of::<&str, _>(&[], &["redis", "valkey", "pubsub"]);
    /// assert_eq!(redis.report_as(&NET_IO).category.name(), "db");
    /// // A pty driver polls its program's output with a sleep.
    /// let pty = CrateKind::of(&["os::unix-apis"], &["pty", "expect", "automation"]);
    /// assert_eq!(pty.report_as(&THREAD_SLEEP).category.name(), "process");
    /// ```
    pub fn report_as(self, rule: &'static Rule) -> &'static Rule {
        use Category::*;
        match (self, rule.category) {
            (CrateKind::Database, Fs | Net | Dns | Lock | Channel | ThreadJoin | BlockOn) => {
                &SYNC_DB
            }
            (CrateKind::HttpClient, Net | Dns | Channel | ThreadJoin | BlockOn) => &HTTP_BLOCKING,
            // A channel waits for the other end by parking or on a condvar.
            (CrateKind::Channel, Lock | ThreadJoin) => &CHANNEL_RECV,
            // A DNS client's queries go over a socket, or through an async
            // resolver driven by `block_on`: a lookup either way.
            (CrateKind::Dns, Net | Channel | ThreadJoin | BlockOn) => &DNS_LOOKUP,
            // A sync client over an async one (paho-mqtt, tokio-modbus's
            // `sync`, zbus's `blocking`) waits in a `block_on`; one with an
            // I/O thread (zookeeper, amiquip) waits on a channel or a lock
            // for its reply: what the caller waits for is the network.
            (CrateKind::Network, Lock | Channel | ThreadJoin | BlockOn) => &NET_IO,
            // rexpect's `exp_string` polls the program's output with a
            // sleep until a pattern shows: the wait is for the program.
            (CrateKind::Process, Sleep | Fs | Net | Lock | Channel | ThreadJoin | BlockOn) => {
                &PROCESS_WAIT
            }
            _ => rule,
        }
    }
}

/// Where a call leads when its path is not one of the units' own fns as
/// written: a dependency's item behind a re-export (`csv::Reader::from_path`
/// is `reader::Reader::from_path` of the `csv` crate read). Given the index
/// of the calling unit and the path, it answers the crate key and the path
/// inside it (without `crate::`).
pub type Resolve<'r> = &'r (dyn Fn(usize, &str) -> Option<(String, String)> + Sync);

/// One call on the way from a called fn down to a blocking call.
#[derive(Clone, Debug)]
pub struct ChainStep<P = Span> {
    /// The fn that makes the call (`crate::config::load_config`).
    pub caller: String,
    /// What it calls: another fn of the workspace, or the blocking call itself.
    pub callee: String,
    /// The unit (index into the slice given to [`findings`]) holding the call.
    pub unit: usize,
    /// Where the call is.
    pub span: P,
    /// On the last step, the rule of the blocking call reached.
    pub rule: Option<&'static Rule>,
    /// A test build of the caller's crate skips this call
    /// ([`crate::LocalCall::not_in_tests`]).
    pub not_in_tests: bool,
    /// The call sits behind an optional setting ([`crate::LocalCall::opt_in`]).
    pub opt_in: bool,
}

/// A transitive finding and the unit it belongs to.
#[derive(Clone, Debug)]
pub struct UnitFinding<P = Span> {
    /// Index into the units.
    pub unit: usize,
    /// The finding; its `chain` names the way down.
    pub finding: Finding<P>,
}

/// What made a fn blocking.
#[derive(Clone, Debug)]
enum Why<P> {
    /// Marked `#[pollguard::blocking]`.
    Marked,
    /// A blocking call in its own body, or a call of a blocking fn.
    Calls(ChainStep<P>, Option<usize>),
    /// A call that hands a file or socket to a fn doing generic I/O, or a
    /// host name to a fn resolving a generic address (the index), which
    /// then blocks in the rule's way.
    Via(ChainStep<P>, usize, &'static Rule, Given),
}

/// What a fn does through a value its caller hands it: I/O through a
/// generic reader or writer, or name resolution through a generic address.
/// The caller's value decides whether it blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Given {
    Io,
    Addr,
}

impl Given {
    const BOTH: [Given; 2] = [Given::Io, Given::Addr];

    /// Where the fn itself does it, if it does.
    fn root<P>(self, s: &FnSummary<P>) -> Option<&(String, P)> {
        match self {
            Given::Io => s.generic_io.as_ref(),
            Given::Addr => s.generic_addr.as_ref(),
        }
    }

    /// Whether `call` hands on a value of its own caller's choosing.
    fn handed_on<P>(self, call: &LocalCall<P>) -> bool {
        match self {
            Given::Io => call.io == Some(IoKind::Generic),
            Given::Addr => call.addr == Addr::Generic,
        }
    }

    /// The rule of what `call` hands over, when it makes such a fn block: a
    /// file or socket, or anything but an address written out.
    fn blocks_with<P>(self, call: &LocalCall<P>) -> Option<&'static Rule> {
        match self {
            Given::Io => call.io.and_then(IoKind::rule),
            Given::Addr => (call.addr == Addr::Name).then_some(&DNS_LOOKUP),
        }
    }
}

/// For each fn, the way down to what it does through a value its caller
/// hands it (see [`Given`]): a step, and the next fn unless the step is
/// the root.
type GivenWay<P> = Vec<Option<(ChainStep<P>, Option<usize>)>>;

/// The sender types the workspace makes only through `unbounded`
/// constructors (and makes at least once): on such a channel a send never
/// waits for room. Which channel a value belongs to is not followed; the
/// type stands for all of them, so one bounded constructor of the type
/// anywhere in the workspace keeps every send of it followed.
struct QuietSends<'a>(std::collections::HashSet<&'a str>);

impl<'a> QuietSends<'a> {
    fn of<P>(units: &[Unit<'a, P>]) -> QuietSends<'a> {
        let mut made: HashMap<&'a str, bool> = HashMap::new();
        for unit in units.iter().filter(|u| !u.dependency) {
            for c in unit.file.constructed() {
                *made.entry(c.ty.as_str()).or_insert(true) &= c.unbounded;
            }
        }
        QuietSends(
            made.into_iter()
                .filter_map(|(ty, unbounded)| unbounded.then_some(ty))
                .collect(),
        )
    }

    /// Whether the workspace's call `path` in unit `u` is a method of such
    /// a sender: it returns at once.
    fn call<P>(&self, units: &[Unit<'_, P>], u: usize, path: &str) -> bool {
        !self.0.is_empty()
            && !units[u].dependency
            && crate::split_last(path).is_some_and(|(ty, _)| self.0.contains(ty))
    }
}

/// Which fns block, and how: each fn's chain down to its worst blocking
/// call ([`Why`]), its generic I/O, and every category it reaches.
struct Closed<P> {
    /// Reversed call edges: the callers of each fn, with the call's index.
    callers: Vec<Vec<(usize, usize)>>,
    why: Vec<Option<Why<P>>>,
    /// By [`Given`]: generic I/O, then generic addresses.
    given: [GivenWay<P>; 2],
    /// Every category each fn reaches, as a mask.
    cats: Vec<u32>,
}

/// The fns of the units, indexed by crate and path.
struct Graph<'a> {
    index: HashMap<(&'a str, &'a str), usize>,
    /// (unit, index of the fn in the unit's summaries).
    fns: Vec<(usize, usize)>,
}

impl<'a> Graph<'a> {
    /// Every unit's fns in order, then the next unit's.
    fn of<P>(units: &[Unit<'a, P>]) -> Graph<'a> {
        let mut index: HashMap<(&str, &str), usize> = HashMap::new();
        let mut fns: Vec<(usize, usize)> = Vec::new();
        for (u, unit) in units.iter().enumerate() {
            for (f, summary) in unit.file.fns().iter().enumerate() {
                index.insert(key(unit.krate, &summary.path), fns.len());
                fns.push((u, f));
            }
        }
        Graph { index, fns }
    }
}

/// What the closure found for one fn of [`reach`]'s units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reach {
    /// Whether it reaches anything: a blocking call, generic I/O, or a
    /// category. A fn that does not is, to its callers, only a name.
    pub active: bool,
    /// The fns its followed calls lead to, numbered as [`reach`] numbers
    /// them. With the callees' own, these are all the fns the closure reads
    /// to decide this fn: a caller that keeps only a fn's callees (and the
    /// names of inactive fns) gets the same answer for it.
    pub callees: Vec<usize>,
}

/// The closure of `units` alone, per fn (every unit's fns in order, then
/// the next unit's): what lets a caller keep the closure of a fixed set
/// of units (dependencies) and later run [`findings_with`] on a slice of
/// them that holds every fn reached, with the same answers. (A test's view
/// only drops calls and blocking calls, so a fn inactive here is inactive
/// in it too.)
pub fn reach<P: Copy>(units: &[Unit<'_, P>], resolve: Resolve<'_>) -> Vec<Reach> {
    let graph = Graph::of(units);
    let quiet = QuietSends::of(units);
    let c = close(
        units,
        &graph,
        resolve,
        &|u, p| quiet.call(units, u, p),
        false,
    );
    let mut out: Vec<Reach> = (0..graph.fns.len())
        .map(|id| Reach {
            active: c.why[id].is_some()
                || c.given.iter().any(|g| g[id].is_some())
                || c.cats[id] != 0,
            callees: Vec::new(),
        })
        .collect();
    for (callee, callers) in c.callers.iter().enumerate() {
        for &(caller, _) in callers {
            out[caller].callees.push(callee);
        }
    }
    for r in &mut out {
        r.callees.sort_unstable();
        r.callees.dedup();
    }
    out
}

/// Computes [`Closed`] over the units' fns. With `for_tests`, what sits
/// behind an optional setting ([`LocalCall::opt_in`]) is left out: the view
/// of a test, which builds its own inputs.
fn close<P: Copy>(
    units: &[Unit<'_, P>],
    graph: &Graph<'_>,
    resolve: Resolve<'_>,
    quiet_call: &dyn Fn(usize, &str) -> bool,
    for_tests: bool,
) -> Closed<P> {
    let none = HashSet::new();
    let first = close_without(units, graph, resolve, quiet_call, for_tests, &none);
    // Calls that pass `None` or `false` where the callee needs the
    // parameter set before it blocks (or `Some(..)`, `true` where it needs
    // it unset): once the callees' reach is known, the calls that reach
    // nothing are taken out and the closure redone.
    let mut dead = HashSet::new();
    for (id, &(u, f)) in graph.fns.iter().enumerate() {
        for (c, call) in units[u].file.fns()[f].calls.iter().enumerate() {
            if !call.decides() {
                continue;
            }
            let callee = lookup(&graph.index, resolve, units, u, &call.path);
            if callee.is_some_and(|k| !live_under(units, graph, resolve, &first, k, call)) {
                dead.insert((id, c));
            }
        }
    }
    if dead.is_empty() {
        first
    } else {
        close_without(units, graph, resolve, quiet_call, for_tests, &dead)
    }
}

/// Whether fn `id`, called by `call`, may still block with what the call
/// passes: through something it does or calls that no parameter passed as
/// `None`/`false` gates and none passed as `Some(..)`/`true` rules out, as
/// `closed` found it.
fn live_under<P: Copy>(
    units: &[Unit<'_, P>],
    graph: &Graph<'_>,
    resolve: Resolve<'_>,
    closed: &Closed<P>,
    id: usize,
    call: &LocalCall<P>,
) -> bool {
    live_with(
        units,
        graph,
        resolve,
        closed,
        id,
        (call.on_args, call.off_args),
        &call.variant_args,
        call.by_path,
        LIVE_DEPTH,
    )
}

impl<P> LocalCall<P> {
    /// Whether what the call passes may rule out some of the callee's
    /// calls: `None`, `false`, `Some(..)`, `true` or an enum variant.
    fn decides(&self) -> bool {
        (self.off_args | self.on_args) != 0 || !self.variant_args.is_empty()
    }
}

/// Whether code that runs only for the variants `arms` says (see
/// [`LocalCall::arms`]) runs with the variants a call passes.
fn arms_open(arms: &[(u8, Vec<String>)], passed: &[(u8, String)]) -> bool {
    arms.iter().all(|(param, names)| {
        passed
            .iter()
            .find(|(at, _)| at == param)
            .is_none_or(|(_, v)| names.contains(v))
    })
}

/// How many calls deep a parameter handed on as it is (see
/// [`LocalCall::passes`]) is followed to the test that gates on it.
const LIVE_DEPTH: u32 = 4;

/// [`live_under`] with the argument positions given set (`on`) and unset
/// (`off`), followed `depth` calls further where the fn hands those
/// parameters on.
#[allow(clippy::too_many_arguments)]
fn live_with<P: Copy>(
    units: &[Unit<'_, P>],
    graph: &Graph<'_>,
    resolve: Resolve<'_>,
    closed: &Closed<P>,
    id: usize,
    (on, off): (u64, u64),
    variants: &[(u8, String)],
    by_path: bool,
    depth: u32,
) -> bool {
    let (u, f) = graph.fns[id];
    let s = &units[u].file.fns()[f];
    // `Type::f(x, None)` of a method: `x` is the receiver.
    let shifted: Vec<(u8, String)>;
    let (on, off, variants) = if by_path && s.has_self {
        shifted = variants
            .iter()
            .filter(|(at, _)| *at > 0)
            .map(|(at, v)| (at - 1, v.clone()))
            .collect();
        (on >> 1, off >> 1, &shifted[..])
    } else {
        (on, off, variants)
    };
    let reaches = |k: usize| closed.why[k].is_some() || closed.given.iter().any(|g| g[k].is_some());
    let open = |gates: u64, ungates: u64, arms: &[(u8, Vec<String>)]| {
        gates & off == 0 && ungates & on == 0 && arms_open(arms, variants)
    };
    if s.marked
        || s.generic_io.is_some()
        || s.generic_addr.is_some()
        || s.blocking.iter().any(|b| open(b.gates, b.ungates, &b.arms))
    {
        return true;
    }
    s.calls.iter().any(|c| {
        if !open(c.gates, c.ungates, &c.arms) {
            return false;
        }
        let Some(k) = lookup(&graph.index, resolve, units, u, &c.path).filter(|&k| reaches(k))
        else {
            return false;
        };
        // What this fn was given, handed on to the callee's positions.
        let (mut on2, mut off2) = (c.on_args, c.off_args);
        let mut variants2 = c.variant_args.clone();
        for &(arg, param) in &c.passes {
            if let Some((_, v)) = variants.iter().find(|(at, _)| *at == param) {
                variants2.push((arg, v.clone()));
            }
            let (arg, param) = (u64::from(arg), u64::from(param));
            on2 |= ((on >> param) & 1) << arg;
            off2 |= ((off >> param) & 1) << arg;
        }
        on2 | off2 == 0 && variants2.is_empty()
            || depth == 0
            || live_with(
                units,
                graph,
                resolve,
                closed,
                k,
                (on2, off2),
                &variants2,
                c.by_path,
                depth - 1,
            )
    })
}

/// [`close`], the calls in `dead` (fn, call index) left out.
fn close_without<P: Copy>(
    units: &[Unit<'_, P>],
    graph: &Graph<'_>,
    resolve: Resolve<'_>,
    quiet_call: &dyn Fn(usize, &str) -> bool,
    for_tests: bool,
    dead: &HashSet<(usize, usize)>,
) -> Closed<P> {
    let Graph { index, fns } = graph;
    let summary = |id: usize| {
        let (u, f) = fns[id];
        &units[u].file.fns()[f]
    };
    // Reversed call edges, and each fn's own worst blocking call.
    let mut callers: Vec<Vec<(usize, usize)>> = vec![Vec::new(); fns.len()];
    let mut seeds: Vec<Vec<usize>> = vec![Vec::new(); 32];
    let mut cats: Vec<u32> = vec![0; fns.len()];
    for (id, &(u, _)) in fns.iter().enumerate() {
        let s = summary(id);
        if s.allowed {
            continue;
        }
        // A dependency's fn blocks only through what it does on every path:
        // a fallback, an opt-in branch or an error path inside a library is
        // not what its callers pay for in normal use. Nor is it what a test
        // runs, in any crate: a test sets up the path it checks, and a
        // logger's fallback to syslog over TCP when its Unix socket fails,
        // in the arm for a syslog target, is not the path of a test that
        // logs to stderr (review 13's krill and rotonda).
        let dependency = units[u].dependency;
        let followed = |conditional: bool, opt_in: bool| {
            !(conditional && (dependency || for_tests) || for_tests && opt_in)
        };
        for b in s
            .blocking
            .iter()
            .filter(|b| followed(b.conditional, b.opt_in))
        {
            cats[id] |= 1 << b.rule.category.severity();
        }
        if s.marked {
            cats[id] |= 1 << Category::Custom.severity();
            seeds[usize::from(Category::Custom.severity()) * 2 + 1].push(id);
        } else if let Some(worst) = s
            .blocking
            .iter()
            .filter(|b| followed(b.conditional, b.opt_in))
            .map(|b| rank(b.rule))
            .max()
        {
            seeds[worst].push(id);
        }
        for (c, call) in s.calls.iter().enumerate() {
            // Generic I/O and addresses are followed on every path: the
            // caller handing over a file or a host name is what makes them
            // block.
            let hands_on = Given::BOTH.iter().any(|g| g.handed_on(call));
            if !followed(call.conditional, false) && !hands_on
                || for_tests && call.opt_in
                || quiet_call(u, &call.path)
                || dead.contains(&(id, c))
            {
                continue;
            }
            if let Some(callee) = lookup(index, resolve, units, u, &call.path) {
                callers[callee].push((id, c));
            }
        }
    }
    // The fns that read or write through a value their caller gives them,
    // or resolve an address it gives, and the way down (through calls that
    // pass such a value on).
    let given = Given::BOTH.map(|g| {
        let mut way: GivenWay<P> = vec![None; fns.len()];
        let mut queue = VecDeque::new();
        for (id, &(u, _)) in fns.iter().enumerate() {
            let s = summary(id);
            if let (false, Some((display, span))) = (s.allowed, g.root(s)) {
                way[id] = Some((
                    ChainStep {
                        caller: s.path.clone(),
                        callee: display.clone(),
                        unit: u,
                        span: *span,
                        rule: None,
                        not_in_tests: false,
                        opt_in: false,
                    },
                    None,
                ));
                queue.push_back(id);
            }
        }
        while let Some(id) = queue.pop_front() {
            for &(caller, c) in &callers[id] {
                let s = summary(caller);
                let call = &s.calls[c];
                if way[caller].is_some() || s.allowed || !g.handed_on(call) {
                    continue;
                }
                way[caller] = Some((call_step(s, call, fns[caller].0), Some(id)));
                queue.push_back(caller);
            }
        }
        way
    });
    // A call handing a file or socket (a host name) to such a fn blocks: a
    // seed like a blocking call of that rule.
    let mut io_hits: Vec<Vec<(usize, usize, &'static Rule, Given)>> = vec![Vec::new(); fns.len()];
    for (g, way) in Given::BOTH.iter().zip(&given) {
        for (callee, w) in way.iter().enumerate() {
            if w.is_none() {
                continue;
            }
            for &(caller, c) in &callers[callee] {
                let s = summary(caller);
                if s.allowed {
                    continue;
                }
                if let Some(rule) = g.blocks_with(&s.calls[c]) {
                    cats[caller] |= 1 << rule.category.severity();
                    io_hits[caller].push((c, callee, rule, *g));
                }
            }
        }
    }
    for (id, hits) in io_hits.iter().enumerate() {
        let s = summary(id);
        let own = s.blocking.iter().map(|b| rank(b.rule)).max();
        let io = hits.iter().map(|h| rank(h.2)).max();
        if let (false, Some(io)) = (s.marked, io) {
            if own.is_none_or(|o| io > o) {
                seeds[io].push(id);
            }
        }
    }
    // Worst first (by [`rank`]): once every fn that reaches a call of rank `s` has its
    // chain, the next round only reaches fns whose worst call is milder.
    let mut why: Vec<Option<Why<P>>> = vec![None; fns.len()];
    let mut queue = VecDeque::new();
    for severity in (0..seeds.len()).rev() {
        for &id in &seeds[severity] {
            if why[id].is_some() {
                continue;
            }
            let s = summary(id);
            why[id] = Some(if s.marked {
                Why::Marked
            } else {
                // Of the calls of that severity, one made on every path
                // first: it names what the fn costs each time.
                let dependency = units[fns[id].0].dependency;
                let of_severity = |b: &&crate::BlockingCall<P>| {
                    rank(b.rule) == severity
                        && !((dependency || for_tests) && b.conditional)
                        && !(for_tests && b.opt_in)
                };
                let b = s
                    .blocking
                    .iter()
                    .filter(of_severity)
                    .find(|b| !b.conditional)
                    .or_else(|| s.blocking.iter().find(of_severity))
                    .or(s.blocking.first());
                let io = io_hits[id].iter().find(|h| rank(h.2) == severity);
                match (b, io) {
                    (b, Some(&(c, callee, rule, g)))
                        if b.is_none_or(|b| rank(b.rule) != severity) =>
                    {
                        Why::Via(call_step(s, &s.calls[c], fns[id].0), callee, rule, g)
                    }
                    (Some(b), _) => Why::Calls(
                        ChainStep {
                            caller: s.path.clone(),
                            callee: b.call.clone(),
                            unit: fns[id].0,
                            span: b.span,
                            rule: Some(units[fns[id].0].kind.report_as(b.rule)),
                            not_in_tests: b.not_in_tests,
                            opt_in: b.opt_in,
                        },
                        None,
                    ),
                    (None, _) => Why::Marked,
                }
            });
            queue.push_back(id);
        }
        while let Some(id) = queue.pop_front() {
            for &(caller, c) in &callers[id] {
                let s = summary(caller);
                if why[caller].is_some() || s.allowed {
                    continue;
                }
                let call = &s.calls[c];
                why[caller] = Some(Why::Calls(call_step(s, call, fns[caller].0), Some(id)));
                queue.push_back(caller);
            }
        }
    }
    // Every category each fn reaches: masks grow along reversed edges until
    // nothing changes; a mask only grows, at most once per category.
    let mut work: VecDeque<usize> = (0..fns.len()).filter(|&id| cats[id] != 0).collect();
    while let Some(id) = work.pop_front() {
        for &(caller, _) in &callers[id] {
            if summary(caller).allowed {
                continue;
            }
            let merged = cats[caller] | cats[id];
            if merged != cats[caller] {
                cats[caller] = merged;
                work.push_back(caller);
            }
        }
    }

    Closed {
        callers,
        why,
        given,
        cats,
    }
}

/// A fn's key in the closure's index: its crate and its path inside it,
/// borrowed, so that indexing a workspace allocates nothing per fn or call.
pub fn key<'a>(krate: &'a str, path: &'a str) -> (&'a str, &'a str) {
    if let Some(rest) = path.strip_prefix("crate::") {
        return (krate, rest);
    }
    path.split_once("::").unwrap_or(("", path))
}

/// Computes the transitive findings of a set of units, and the escape
/// hatches they used (unit, hatch index).
///
/// Each blocking fn keeps one chain: down to the most severe blocking call
/// it reaches (see [`crate::Category::severity`]), by the fewest calls
/// among those. The cost is linear in the number of fns and calls.
pub fn findings<P: Copy>(units: &[Unit<'_, P>]) -> (Vec<UnitFinding<P>>, Vec<(usize, usize)>) {
    findings_with(units, &|_, _| None)
}

/// [`findings`], with calls that do not name a unit's fn as written
/// resolved by `resolve` (into dependencies). A call that reaches a
/// dependency's blocking fn is reported under the rule of the blocking call
/// at the chain's end (a `std::fs::File::open` inside `csv` is an `fs`
/// finding), with the chain through the dependency.
pub fn findings_with<P: Copy>(
    units: &[Unit<'_, P>],
    resolve: Resolve<'_>,
) -> (Vec<UnitFinding<P>>, Vec<(usize, usize)>) {
    findings_of(units, resolve, None)
}

/// [`findings_with`] for the calls made in tests only (`tests`), or
/// outside them only: the two halves share nothing, so a caller with two
/// cores computes them side by side, and together they are
/// [`findings_with`]'s findings and hatches.
pub fn findings_of_calls<P: Copy>(
    units: &[Unit<'_, P>],
    resolve: Resolve<'_>,
    tests: bool,
) -> (Vec<UnitFinding<P>>, Vec<(usize, usize)>) {
    findings_of(units, resolve, Some(tests))
}

/// Whether a unit makes a call from async code in a test, which only
/// [`findings_of_calls`] with `tests` reports.
pub fn calls_from_tests<P>(unit: &Unit<'_, P>) -> bool {
    !unit.dependency && (unit.test || unit.file.async_calls().iter().any(|c| c.in_test))
}

fn findings_of<P: Copy>(
    units: &[Unit<'_, P>],
    resolve: Resolve<'_>,
    only_tests: Option<bool>,
) -> (Vec<UnitFinding<P>>, Vec<(usize, usize)>) {
    let graph = Graph::of(units);
    let quiet = QuietSends::of(units);
    let quiet_call = |u: usize, path: &str| quiet.call(units, u, path);
    // Each view is computed when a call first needs it.
    let mut main_reach: Option<Closed<P>> = None;
    // A test's view, computed when a test first calls something.
    let mut test_reach: Option<Closed<P>> = None;
    let mut out = Vec::new();
    let mut used = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        if unit.dependency {
            continue;
        }
        let config = unit.config;
        // Whether the call before was reported: its other way (`alt`) is
        // then not.
        let mut reported = false;
        for call in unit.file.async_calls() {
            let skip_alt = call.alt && reported;
            reported = false;
            let in_test = call.in_test || unit.test;
            // The other half's call: not even looked up.
            if only_tests.is_some_and(|t| t != in_test) {
                continue;
            }
            if skip_alt || call.awaited || quiet_call(u, &call.path) {
                continue;
            }
            let Some(id) = lookup(&graph.index, resolve, units, u, &call.path) else {
                continue;
            };
            let closed: &Closed<P> = if in_test {
                test_reach.get_or_insert_with(|| close(units, &graph, resolve, &quiet_call, true))
            } else {
                main_reach.get_or_insert_with(|| close(units, &graph, resolve, &quiet_call, false))
            };
            // `input.key_event(key, None)`: what the callee does only with
            // a terminal given does not happen here.
            if call.decides() && !live_under(units, &graph, resolve, closed, id, call) {
                continue;
            }
            let Closed {
                why, given, cats, ..
            } = closed;
            // A file or socket handed to a fn that does generic I/O, a host
            // name to one that resolves a generic address.
            let via = Given::BOTH.iter().zip(given).find_map(|(g, way)| {
                way[id].as_ref()?;
                g.blocks_with(call).map(|rule| (rule, way))
            });
            let chain = match (&why[id], via) {
                (Some(_), _) => chain_of(why, given, id),
                (None, Some((rule, way))) => given_chain(way, id, rule),
                (None, None) => continue,
            };
            // Found (whether a hatch or a level then drops it): the call's
            // other way is not looked at.
            reported = true;
            // A unit test reaches nothing its crate's code skips under
            // `cfg!(test)`. (Only the chain kept is checked: another way down
            // that a test build does take is not looked for.)
            if in_test
                && chain
                    .iter()
                    .any(|s| s.not_in_tests && units[s.unit].krate == unit.krate)
            {
                continue;
            }
            let into_dependency = units[graph.fns[id].0].dependency;
            let rule: &'static Rule = match &why[id] {
                Some(Why::Marked) => &USER_BLOCKING,
                // Into a dependency: the call blocks the way its root does;
                // a channel's send waits for room, not for a message.
                _ if into_dependency => match chain.last().and_then(|s| s.rule) {
                    Some(r) if std::ptr::eq(r, &CHANNEL_RECV) && is_send(&call.path) => {
                        &CHANNEL_SEND
                    }
                    Some(r) => r,
                    None => &TRANSITIVE_BLOCKING,
                },
                _ => &TRANSITIVE_BLOCKING,
            };
            let level = config.level(rule);
            if level == Level::Allow || config.call_allowed(&call.path) {
                continue;
            }
            let hatch = call.hatches.iter().rev().find(|&&h| {
                let keys = &unit.file.hatch_keys(h);
                crate::hatch::Allow {
                    keys: keys.to_vec(),
                }
                .covers(rule)
            });
            if let Some(&h) = hatch {
                used.push((u, h));
                continue;
            }
            let mut notes: Vec<String> = chain
                .iter()
                .map(|s| format!("`{}` calls `{}`", short_name(&s.caller), s.callee))
                .collect();
            let reached: Vec<&str> = Category::ALL
                .iter()
                .filter(|c| cats[id] & (1 << c.severity()) != 0)
                .map(|c| c.name())
                .collect();
            if reached.len() > 1 {
                notes.push(format!(
                    "it reaches blocking calls of {}",
                    reached.join(", ")
                ));
            }
            out.push(UnitFinding {
                unit: u,
                finding: Finding {
                    rule,
                    call: call.path.clone(),
                    display: call.display.clone(),
                    span: call.span,
                    end_span: call.end_span,
                    confidence: Confidence::Certain,
                    level,
                    help: rule.help.to_owned(),
                    notes,
                    chain,
                    inside_closure_of: call.closure_of.clone(),
                    async_fn: call.async_fn.clone(),
                },
            });
        }
    }
    (out, used)
}

/// Whether a call is a channel's send (`send`, `send_blocking`, `send_timeout`).
fn is_send(path: &str) -> bool {
    crate::last_segment(path).starts_with("send")
}

/// Which blocking call a chain leads to first: the more severe category
/// (see [`crate::Category::severity`]), and within the file system, a read,
/// write or directory listing before a `stat` (a client that loads the
/// system's certificates probes their directories, then reads them all).
fn rank(rule: &Rule) -> usize {
    let stat = std::ptr::eq(rule, &crate::catalog::PATH_METADATA);
    usize::from(rule.category.severity()) * 2 + usize::from(!stat)
}

/// The step of a chain that is `call`, made by the fn `s` in unit `unit`.
fn call_step<P: Copy>(s: &FnSummary<P>, call: &LocalCall<P>, unit: usize) -> ChainStep<P> {
    ChainStep {
        caller: s.path.clone(),
        callee: call.path.clone(),
        unit,
        span: call.span,
        rule: None,
        not_in_tests: call.not_in_tests,
        opt_in: call.opt_in,
    }
}

/// The fn a call names: as written, or resolved into a dependency.
fn lookup<P>(
    index: &HashMap<(&str, &str), usize>,
    resolve: Resolve<'_>,
    units: &[Unit<'_, P>],
    u: usize,
    path: &str,
) -> Option<usize> {
    let found = |path: &str| {
        if let Some(&id) = index.get(&key(units[u].krate, path)) {
            return Some(id);
        }
        let (krate, inner) = resolve(u, path)?;
        index.get(&(krate.as_str(), inner.as_str())).copied()
    };
    found(path).or_else(|| {
        // `stream.read_exact(..)` on a type of the code's own that
        // implements `Read`: the provided method moves its bytes through the
        // impl's `read` (or `write`, `fill_buf`).
        let (ty, method) = path.rsplit_once("::")?;
        crate::io::required_methods(method)
            .iter()
            .find_map(|m| found(&format!("{ty}::{m}")))
    })
}

/// The way from fn `id` down to the blocking call it reaches.
fn chain_of<P: Copy>(
    why: &[Option<Why<P>>],
    given: &[GivenWay<P>; 2],
    mut id: usize,
) -> Vec<ChainStep<P>> {
    let mut chain = Vec::new();
    // Chains are acyclic by construction (each fn is reached once), but cap
    // the walk anyway so a bug can never loop.
    for _ in 0..why.len() {
        match &why[id] {
            Some(Why::Calls(step, next)) => {
                chain.push(step.clone());
                match next {
                    Some(n) => id = *n,
                    None => break,
                }
            }
            Some(Why::Via(step, callee, rule, g)) => {
                chain.push(step.clone());
                chain.extend(given_chain(&given[*g as usize], *callee, rule));
                break;
            }
            _ => break,
        }
    }
    chain
}

/// The way from fn `id` down to the generic I/O or name resolution it
/// does, the last step carrying the rule of the value given to it.
fn given_chain<P: Copy>(
    way: &GivenWay<P>,
    mut id: usize,
    rule: &'static Rule,
) -> Vec<ChainStep<P>> {
    let mut chain = Vec::new();
    for _ in 0..way.len() {
        let Some((step, next)) = &way[id] else { break };
        chain.push(step.clone());
        match next {
            Some(n) => id = *n,
            None => break,
        }
    }
    if let Some(last) = chain.last_mut() {
        last.rule = Some(rule);
    }
    chain
}

/// `crate::config::load_config` -> `load_config`; `crate::a::Db::get` -> `Db::get`.
pub fn short_name(path: &str) -> &str {
    let mut parts = path.rsplitn(3, "::");
    let last = parts.next().unwrap_or(path);
    match parts.next() {
        Some(parent) if parent.starts_with(|c: char| c.is_ascii_uppercase()) => {
            &path[path.len() - last.len() - parent.len() - 2..]
        }
        _ => last,
    }
}
