//! The catalog: every blocking call pollguard knows, as data.
//!
//! One [`Rule`] per kind of blocking call, each with a stable code, a
//! kebab-case name, a [`Category`], a default [`Level`], the shapes it matches
//! and the documentation shown by `cargo pollguard --explain`. The walker
//! never names a blocking API itself: it asks this table.
//!
//! Each rule is a named static ([`THREAD_SLEEP`], [`USER_BLOCKING`], ..) and
//! code refers to rules by these names, so that a mistyped or renamed rule
//! fails to compile instead of matching nothing; [`RULES`] lists them all.
//! Codes and names are for what users write: [`Rule::find`] looks them up.

use std::fmt;

/// A family of blocking calls; users allow or deny whole categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Category {
    /// `std::thread::sleep`.
    Sleep,
    /// Blocking file system calls: `std::fs`, `File`, `OpenOptions`, path metadata.
    Fs,
    /// Blocking sockets from `std::net`.
    Net,
    /// Blocking name resolution: `ToSocketAddrs`.
    Dns,
    /// Waiting for child processes: `std::process::Command`, `Child`.
    Process,
    /// Reading the process's standard input.
    Stdio,
    /// Driving a future to completion on the current thread: `block_on`.
    BlockOn,
    /// Tokio's `blocking_*` methods, which panic inside async context.
    TokioBlocking,
    /// Blocking channel receives and sends: `std::sync::mpsc`, crossbeam, flume.
    Channel,
    /// Waiting for threads: `JoinHandle::join`, `thread::scope`, `Barrier`, `Condvar`.
    ThreadJoin,
    /// Blocking HTTP clients: `reqwest::blocking`, `ureq`.
    HttpBlocking,
    /// Synchronous locks: `std::sync::Mutex`/`RwLock`, `parking_lot` (allowed by default).
    Lock,
    /// Synchronous database and cache clients: diesel, rusqlite, postgres,
    /// r2d2, the sync redis client.
    Db,
    /// Paths the user declared blocking: `blocking("..")` or `#[pollguard::blocking]`.
    Custom,
    /// A sync fn of the same workspace that blocks, directly or through other fns.
    Transitive,
    /// Pollguard's own diagnostics about its annotations and files (a malformed
    /// escape hatch, a stale baseline entry): no blocking call, so not in
    /// [`Category::ALL`] and not a key of levels or escape hatches.
    Pollguard,
}

impl Category {
    /// Every category of blocking calls, in catalog order: the keys users
    /// write in levels and escape hatches. [`Category::Pollguard`] is not one.
    pub const ALL: &'static [Category] = &[
        Category::Sleep,
        Category::Fs,
        Category::Net,
        Category::Dns,
        Category::Process,
        Category::Stdio,
        Category::BlockOn,
        Category::TokioBlocking,
        Category::Channel,
        Category::ThreadJoin,
        Category::HttpBlocking,
        Category::Lock,
        Category::Db,
        Category::Custom,
        Category::Transitive,
    ];

    /// The name users write in `allow(..)`, `deny(..)` and config files.
    pub fn name(self) -> &'static str {
        match self {
            Category::Sleep => "sleep",
            Category::Fs => "fs",
            Category::Net => "net",
            Category::Dns => "dns",
            Category::Process => "process",
            Category::Stdio => "stdio",
            Category::BlockOn => "block_on",
            Category::TokioBlocking => "tokio_blocking",
            Category::Channel => "channel",
            Category::ThreadJoin => "thread_join",
            Category::HttpBlocking => "http_blocking",
            Category::Lock => "lock",
            Category::Db => "db",
            Category::Custom => "custom",
            Category::Transitive => "transitive",
            Category::Pollguard => "pollguard",
        }
    }

    /// How bad blocking in this category is for an executor, higher is
    /// worse, each category of [`Category::ALL`] its own value: a chain shows the worst call it
    /// reaches. A network round trip
    /// or a nested runtime can stall a worker for seconds; a file read or a
    /// short critical section usually for far less.
    pub fn severity(self) -> u8 {
        match self {
            Category::HttpBlocking => 14,
            Category::Db => 13,
            Category::Net => 12,
            Category::BlockOn => 11,
            Category::TokioBlocking => 10,
            Category::Dns => 9,
            Category::Process => 8,
            Category::Stdio => 7,
            Category::Channel => 6,
            Category::ThreadJoin => 5,
            Category::Sleep => 4,
            Category::Custom => 3,
            Category::Fs => 2,
            Category::Lock => 1,
            // Neither reaches a blocking call of its own.
            Category::Transitive | Category::Pollguard => 0,
        }
    }

    /// The category of blocking calls called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Category> {
        Category::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Whether its rules report blocking calls: all but [`Category::Pollguard`].
    pub fn is_blocking(self) -> bool {
        self != Category::Pollguard
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a finding does to the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported as a warning.
    Warn,
    /// Reported as an error: the attribute fails the compile, the CLI exits 1.
    Deny,
}

impl Level {
    /// The name used in config files and flags.
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    /// The level called `name` (`allow`, `warn` or `deny`).
    pub fn from_name(name: &str) -> Option<Level> {
        match name {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

/// How sure the walker is that a call blocks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// Inferred from the shape of the code: a method of a blocking name whose
    /// result is used as a value (unwrapped, `?`-ed, matched) rather than awaited.
    Likely,
    /// The call resolves to a known blocking path or a value of a known blocking type.
    Certain,
}

impl Confidence {
    /// `certain` or `likely`.
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Certain => "certain",
            Confidence::Likely => "likely",
        }
    }

    /// The confidence called `name`.
    pub fn from_name(name: &str) -> Option<Confidence> {
        match name {
            "certain" => Some(Confidence::Certain),
            "likely" => Some(Confidence::Likely),
            _ => None,
        }
    }
}

/// When a method of a blocking name counts as a blocking call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Always, whatever the receiver and however the result is used; reserved
    /// for names that no async API uses (`blocking_recv`, `block_on`).
    Always,
    /// When the result is consumed as a value: unwrapped, `?`-ed, matched,
    /// iterated, or dropped as a statement. An async API's future would be
    /// awaited, passed on or stored instead.
    Consumed,
    /// Only when the receiver's type is known to be one of the rule's types.
    Typed,
    /// When the first argument is written `&mut conn` and the result is
    /// consumed, on an untyped receiver: the shape of diesel's and redis's
    /// sync query methods.
    MutConnArg,
}

/// What a rule matches.
#[derive(Clone, Copy, Debug)]
pub enum Matcher {
    /// A call of this fn or associated fn, after `use` resolution
    /// (`std::thread::sleep`, `std::fs::File::open`).
    Path(&'static str),
    /// A call of any fn below this path (`reqwest::blocking`).
    Prefix(&'static str),
    /// A method call by name.
    Method {
        /// The method's name.
        name: &'static str,
        /// The number of arguments, when the name alone is ambiguous.
        args: Option<usize>,
        /// Receiver types (resolved paths) that make the match certain.
        types: &'static [&'static str],
        /// When an untyped receiver matches.
        shape: Shape,
    },
}

const PATHS: &[&str] = &["std::path::Path", "std::path::PathBuf"];
const FILE: &[&str] = &["std::fs::File"];
/// Stream sockets: a Unix one waits for its peer as a TCP one does.
/// A child process's output pipes: a read waits until the child writes.
const CHILD_OUTPUT: &[&str] = &["std::process::ChildStdout", "std::process::ChildStderr"];

const TCP_STREAM: &[&str] = &["std::net::TcpStream", "std::os::unix::net::UnixStream"];
/// Datagram sockets.
const UDP_SOCKET: &[&str] = &["std::net::UdpSocket", "std::os::unix::net::UnixDatagram"];
const LISTENERS: &[&str] = &["std::net::TcpListener", "std::os::unix::net::UnixListener"];
const STDIN: &[&str] = &["std::io::Stdin", "std::io::StdinLock"];

/// console's terminal: its `read_*` methods read keys from the tty with a
/// raw `libc::read`, which reading the crate cannot tell from a read of a
/// non-blocking descriptor. Prompt crates built on it (dialoguer) are
/// followed down to these. Read as source, the type has its definition's path.
const TERM: &[&str] = &["console::Term", "console::term::Term"];
const GIT_REPO: &[&str] = &["git2::Repository"];
const SERIAL: &[&str] = &["serialport::SerialPort"];
const SQLITE: &[&str] = &["rusqlite::Connection", "rusqlite::Transaction"];
const POSTGRES: &[&str] = &["postgres::Client", "postgres::Transaction"];

/// Request builders of blocking HTTP clients: `send`/`call` does the round trip.
const HTTP_REQUESTS: &[&str] = &[
    "reqwest::blocking::RequestBuilder",
    "ureq::Request",
    "ureq::RequestBuilder",
    "attohttpc::RequestBuilder",
    "minreq::Request",
];
const RECEIVERS: &[&str] = &[
    "std::sync::mpsc::Receiver",
    "crossbeam_channel::Receiver",
    "flume::Receiver",
];

/// Any number of arguments, for [`Matcher::typed`] and friends.
const ANY: usize = usize::MAX;

impl Matcher {
    const fn method(
        name: &'static str,
        args: usize,
        types: &'static [&'static str],
        shape: Shape,
    ) -> Matcher {
        let args = if args == ANY { None } else { Some(args) };
        Matcher::Method {
            name,
            args,
            types,
            shape,
        }
    }

    /// A method that blocks on a receiver of one of `types`.
    const fn typed(name: &'static str, args: usize, types: &'static [&'static str]) -> Matcher {
        Matcher::method(name, args, types, Shape::Typed)
    }

    /// A method that blocks on `types`, and is likely blocking on an unknown
    /// receiver when its result is consumed as a value.
    const fn consumed(name: &'static str, args: usize, types: &'static [&'static str]) -> Matcher {
        Matcher::method(name, args, types, Shape::Consumed)
    }

    /// A method whose one argument is written `&mut conn` (see
    /// [`Shape::MutConnArg`]).
    const fn mut_conn(name: &'static str) -> Matcher {
        Matcher::method(name, 1, &[], Shape::MutConnArg)
    }

    /// A method name that only blocking APIs use.
    const fn always(name: &'static str) -> Matcher {
        Matcher::method(name, ANY, &[], Shape::Always)
    }

    /// A method name used by blocking APIs, certain on `types`, likely elsewhere.
    const fn always_on(name: &'static str, args: usize, types: &'static [&'static str]) -> Matcher {
        Matcher::method(name, args, types, Shape::Always)
    }
}

/// The documentation of a rule, in the style of a clippy lint.
#[derive(Clone, Copy, Debug)]
pub struct RuleDoc {
    /// What it does.
    pub what: &'static str,
    /// Why this is bad.
    pub why: &'static str,
    /// Example of code it reports.
    pub example: &'static str,
    /// Use instead.
    pub instead: &'static str,
    /// The languages of `example` and `instead`, for their code fences:
    /// `rust` but for what is not code (a baseline entry, a command).
    pub langs: [&'static str; 2],
    /// For a rule reported only when asked, the CLI flag that asks.
    pub on_request: Option<&'static str>,
}

/// One entry of the catalog.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, e.g. `PG101`; never reused.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `thread-sleep`.
    pub name: &'static str,
    /// The rule's category.
    pub category: Category,
    /// The level when no configuration says otherwise.
    pub default_level: Level,
    /// What the rule matches.
    pub matchers: &'static [Matcher],
    /// What is wrong, completing "`<call>` ...", lowercase, no trailing period.
    pub message: &'static str,
    /// What to do instead, lowercase, no trailing period.
    pub help: &'static str,
    /// Long documentation.
    pub doc: RuleDoc,
}

/// A rule is its code: two rules with one code are one rule.
impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.code == other.code
    }
}

impl Eq for Rule {}

impl Rule {
    /// The rule with this code (`PG101`) or name (`thread-sleep`), as a user
    /// writes it; code names the rule's static instead.
    pub fn find(code_or_name: &str) -> Option<&'static Rule> {
        RULES
            .iter()
            .copied()
            .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
    }

    /// What is wrong with this call in particular, completing "`<call>` ...":
    /// the rule's message, or a sharper one where the callee says what
    /// happens (Tokio's `block_on` panics; `futures`' blocks).
    pub fn message_for(&self, call: &str) -> &'static str {
        CALL_MESSAGES
            .iter()
            .find(|(rule, path, _)| *rule == self && *path == call)
            .map_or(self.message, |(_, _, m)| m)
    }

    /// Renders the documentation as Markdown.
    pub fn explain(&self) -> String {
        let when = match self.doc.on_request {
            Some(flag) => format!("reported with `{flag}`"),
            None => format!("{} by default", self.default_level.name()),
        };
        let [example_lang, instead_lang] = self.doc.langs;
        format!(
            "# {code} {name} ({category}, {when})\n\n\
             ## What it does\n{what}\n\n## Why is this bad\n{why}\n\n\
             ## Example\n```{example_lang}\n{example}\n```\n\n\
             ## Use instead\n```{instead_lang}\n{instead}\n```\n",
            code = self.code,
            name = self.name,
            category = self.category,
            what = self.doc.what,
            why = self.doc.why,
            example = self.doc.example,
            instead = self.doc.instead,
        )
    }

    /// The blocking-call rule with this code or name: what levels and escape
    /// hatches accept. Pollguard's own diagnostics are not among them.
    pub fn find_blocking(code_or_name: &str) -> Option<&'static Rule> {
        Rule::find(code_or_name).filter(|r| r.category.is_blocking())
    }
}

/// Messages for particular callees of a rule: (rule, resolved call, message).
static CALL_MESSAGES: &[(&Rule, &str, &str)] = &[
    (
        &BLOCK_ON,
        "tokio::runtime::Runtime::block_on",
        "panics in async context (\"cannot start a runtime from within a runtime\") instead of blocking",
    ),
    (
        &BLOCK_ON,
        "tokio::runtime::Handle::block_on",
        "panics in async context (\"cannot start a runtime from within a runtime\") instead of blocking",
    ),
    (
        &BLOCK_ON,
        "tokio_test::block_on",
        "panics in async context (\"cannot start a runtime from within a runtime\") instead of blocking",
    ),
    (
        &BLOCK_ON,
        "futures::executor::block_on",
        "blocks the executor thread until the future completes, and deadlocks if the future needs this thread",
    ),
    (
        &BLOCK_ON,
        "futures_executor::block_on",
        "blocks the executor thread until the future completes, and deadlocks if the future needs this thread",
    ),
    (
        &BLOCK_ON,
        "pollster::block_on",
        "blocks the executor thread until the future completes, and deadlocks if the future needs this thread",
    ),
];

/// A call that runs its closure argument off the executor: the closure's
/// body is sync context even when the call sits in async code.
#[derive(Debug, Clone, Copy)]
pub enum Offloader {
    /// A fn path (`tokio::task::spawn_blocking`).
    Path(&'static str),
    /// A method name (`Builder::spawn`, `Handle::spawn_blocking`, `Scope::spawn`).
    Method(&'static str),
}

/// Calls whose closure arguments run on another thread, or are allowed to block.
pub const OFFLOADERS: &[Offloader] = &[
    Offloader::Path("tokio::task::spawn_blocking"),
    Offloader::Path("tokio::task::block_in_place"),
    Offloader::Path("std::thread::spawn"),
    Offloader::Path("rayon::spawn"),
    Offloader::Path("rayon::spawn_fifo"),
    Offloader::Path("rayon::scope"),
    Offloader::Path("rayon::join"),
    Offloader::Path("async_std::task::spawn_blocking"),
    Offloader::Path("smol::unblock"),
    Offloader::Path("blocking::unblock"),
    Offloader::Path("actix_web::web::block"),
    Offloader::Path("tokio_rayon::spawn"),
    Offloader::Method("spawn_blocking"),
    // A `JoinSet`'s, on the runtime whose handle it is given.
    Offloader::Method("spawn_blocking_on"),
    // tokio's own, for `tokio::fs` work that must finish at shutdown.
    Offloader::Method("spawn_mandatory_blocking"),
    Offloader::Method("block_in_place"),
];

/// Fns that hand a future to GLib's main loop, which polls it on the GTK
/// thread: blocking there freezes the interface, not a Tokio worker.
pub const FOREIGN_SPAWNERS: &[&str] = &["glib::spawn_future_local", "glib::spawn_future"];

/// Methods of GLib's `MainContext` that hand it a future.
pub const FOREIGN_SPAWN_METHODS: &[&str] = &[
    "spawn",
    "spawn_local",
    "spawn_with_priority",
    "spawn_local_with_priority",
];

/// Whether `path` is one of [`FOREIGN_SPAWNERS`], also through a crate
/// that re-exports `glib` (`gtk::glib::spawn_future_local`).
pub fn is_foreign_spawner(path: &str) -> bool {
    FOREIGN_SPAWNERS
        .iter()
        .any(|s| path == *s || path.ends_with(&format!("::{s}")))
}

/// Whether a type is GLib's main context (`glib::MainContext`,
/// `gtk4::glib::MainContext`, `glib::main_context::MainContext` where the
/// dependency is read).
pub fn is_foreign_loop(ty: &str) -> bool {
    (ty.starts_with("glib::") || ty.contains("::glib::")) && ty.ends_with("::MainContext")
}

/// Methods on `std::thread::Builder` and scopes that take a closure to run on
/// a new thread; only offloaders when their receiver is not a tokio handle,
/// which the walker decides from the argument being a closure.
pub const THREAD_SPAWN_METHODS: &[&str] = &["spawn", "spawn_scoped"];

/// Constructors whose result type the walker knows, so that methods called on
/// the value can be matched with certainty.
pub const RETURN_TYPES: &[(&str, &str)] = &[
    ("std::io::stdin", "std::io::Stdin"),
    ("std::io::Stdin::lock", "std::io::StdinLock"),
    ("std::thread::spawn", "std::thread::JoinHandle"),
    ("std::thread::Builder::spawn", "std::thread::JoinHandle"),
    ("std::process::Command::new", "std::process::Command"),
    ("std::process::Command::spawn", "std::process::Child"),
    ("std::net::TcpListener::bind", "std::net::TcpListener"),
    ("std::net::TcpStream::connect", "std::net::TcpStream"),
    // An address's parts are addresses: `(addr.ip(), 53)` needs no resolver.
    ("std::net::SocketAddr::ip", "std::net::IpAddr"),
    ("std::net::TcpStream::peer_addr", "std::net::SocketAddr"),
    ("std::net::TcpStream::local_addr", "std::net::SocketAddr"),
    ("std::net::UdpSocket::bind", "std::net::UdpSocket"),
    ("std::fs::File::open", "std::fs::File"),
    ("std::fs::File::create", "std::fs::File"),
    ("std::path::Path::new", "std::path::Path"),
    ("std::path::PathBuf::from", "std::path::PathBuf"),
    ("std::path::PathBuf::new", "std::path::PathBuf"),
    ("std::path::Path::join", "std::path::PathBuf"),
    ("std::path::PathBuf::join", "std::path::PathBuf"),
    ("std::path::Path::to_path_buf", "std::path::PathBuf"),
    ("std::env::current_dir", "std::path::PathBuf"),
    ("std::env::temp_dir", "std::path::PathBuf"),
    ("std::sync::Mutex::new", "std::sync::Mutex"),
    ("std::sync::RwLock::new", "std::sync::RwLock"),
    ("std::sync::Condvar::new", "std::sync::Condvar"),
    ("std::sync::Barrier::new", "std::sync::Barrier"),
    ("parking_lot::Mutex::new", "parking_lot::Mutex"),
    ("parking_lot::RwLock::new", "parking_lot::RwLock"),
    ("tokio::sync::Mutex::new", "tokio::sync::Mutex"),
    ("tokio::sync::RwLock::new", "tokio::sync::RwLock"),
    ("tokio::spawn", "tokio::task::JoinHandle"),
    ("tokio::task::spawn", "tokio::task::JoinHandle"),
    ("tokio::task::spawn_blocking", "tokio::task::JoinHandle"),
    ("tokio::runtime::Runtime::new", "tokio::runtime::Runtime"),
    ("tokio::runtime::Handle::current", "tokio::runtime::Handle"),
    ("std::fs::OpenOptions::open", "std::fs::File"),
    ("std::fs::File::options", "std::fs::OpenOptions"),
    // Guards are not locks: `guard.lock()` is the inner value's own method.
    ("std::sync::Mutex::lock", "std::sync::MutexGuard"),
    ("std::sync::RwLock::read", "std::sync::RwLockReadGuard"),
    ("std::sync::RwLock::write", "std::sync::RwLockWriteGuard"),
    ("parking_lot::Mutex::lock", "parking_lot::MutexGuard"),
    ("parking_lot::RwLock::read", "parking_lot::RwLockReadGuard"),
    (
        "parking_lot::RwLock::write",
        "parking_lot::RwLockWriteGuard",
    ),
    ("tokio::sync::Mutex::lock", "tokio::sync::MutexGuard"),
    ("tokio::fs::File::into_std", "std::fs::File"),
    ("tempfile::tempfile", "std::fs::File"),
    ("tempfile::NamedTempFile::reopen", "std::fs::File"),
    ("tempfile::NamedTempFile::as_file", "std::fs::File"),
    ("walkdir::WalkDir::into_iter", "walkdir::WalkDir"),
    (
        "reqwest::blocking::Client::get",
        "reqwest::blocking::RequestBuilder",
    ),
    (
        "reqwest::blocking::Client::post",
        "reqwest::blocking::RequestBuilder",
    ),
    (
        "reqwest::blocking::Client::put",
        "reqwest::blocking::RequestBuilder",
    ),
    (
        "reqwest::blocking::Client::delete",
        "reqwest::blocking::RequestBuilder",
    ),
    (
        "reqwest::blocking::Client::head",
        "reqwest::blocking::RequestBuilder",
    ),
    (
        "reqwest::blocking::Client::patch",
        "reqwest::blocking::RequestBuilder",
    ),
    (
        "reqwest::blocking::Client::request",
        "reqwest::blocking::RequestBuilder",
    ),
    (
        "reqwest::blocking::ClientBuilder::build",
        "reqwest::blocking::Client",
    ),
    (
        "reqwest::blocking::Client::builder",
        "reqwest::blocking::ClientBuilder",
    ),
    ("ureq::get", "ureq::Request"),
    ("ureq::post", "ureq::Request"),
    ("ureq::put", "ureq::Request"),
    ("ureq::delete", "ureq::Request"),
    ("ureq::head", "ureq::Request"),
    ("ureq::patch", "ureq::Request"),
    ("ureq::request", "ureq::Request"),
    ("ureq::agent", "ureq::Agent"),
    ("ureq::AgentBuilder::build", "ureq::Agent"),
    ("ureq::Agent::get", "ureq::Request"),
    ("ureq::Agent::post", "ureq::Request"),
    ("ureq::Agent::put", "ureq::Request"),
    ("ureq::Agent::delete", "ureq::Request"),
    ("ureq::Agent::request", "ureq::Request"),
    ("attohttpc::get", "attohttpc::RequestBuilder"),
    ("attohttpc::post", "attohttpc::RequestBuilder"),
    ("attohttpc::put", "attohttpc::RequestBuilder"),
    ("attohttpc::delete", "attohttpc::RequestBuilder"),
    ("minreq::get", "minreq::Request"),
    ("minreq::post", "minreq::Request"),
    ("minreq::put", "minreq::Request"),
    ("minreq::delete", "minreq::Request"),
    ("image::open", "image::DynamicImage"),
    (
        "std::net::TcpStream::connect_timeout",
        "std::net::TcpStream",
    ),
    ("ureq::Request::call", "ureq::Response"),
    (
        "lettre::SmtpTransport::relay",
        "lettre::SmtpTransportBuilder",
    ),
    (
        "lettre::SmtpTransport::starttls_relay",
        "lettre::SmtpTransportBuilder",
    ),
    (
        "lettre::SmtpTransport::builder_dangerous",
        "lettre::SmtpTransportBuilder",
    ),
    (
        "lettre::SmtpTransportBuilder::build",
        "lettre::SmtpTransport",
    ),
    (
        "lettre::SmtpTransport::unencrypted_localhost",
        "lettre::SmtpTransport",
    ),
    ("tantivy::Index::writer", "tantivy::IndexWriter"),
    (
        "tantivy::Index::writer_with_num_threads",
        "tantivy::IndexWriter",
    ),
    ("tantivy::Index::reader", "tantivy::IndexReader"),
    ("serialport::new", "serialport::SerialPortBuilder"),
    (
        "serialport::SerialPortBuilder::open",
        "serialport::SerialPort",
    ),
    // An in-memory database does no I/O: its queries cost CPU time like any
    // other computation, so its connection matches none of the db rules.
    (
        "rusqlite::Connection::open_in_memory",
        "rusqlite::Connection(in_memory)",
    ),
    ("rusqlite::Connection::transaction", "rusqlite::Transaction"),
    ("rusqlite::Connection::prepare", "rusqlite::Statement"),
    ("rusqlite::Transaction::prepare", "rusqlite::Statement"),
    ("redis::cmd", "redis::Cmd"),
    ("redis::Cmd::new", "redis::Cmd"),
    ("redis::Client::open", "redis::Client"),
    ("r2d2::Pool::new", "r2d2::Pool"),
    ("r2d2::Builder::build", "r2d2::Pool"),
];

/// Builder types whose configuring methods return the builder itself, and the
/// methods that end the chain.
pub const BUILDERS: &[(&str, &[&str])] = &[
    ("std::process::Command", &["output", "status", "spawn"]),
    ("std::fs::OpenOptions", &["open"]),
    (
        "reqwest::blocking::RequestBuilder",
        &["send", "build", "try_clone"],
    ),
    ("reqwest::blocking::ClientBuilder", &["build"]),
    (
        "ureq::Request",
        &[
            "call",
            "send",
            "send_string",
            "send_json",
            "send_bytes",
            "send_form",
        ],
    ),
    (
        "ureq::RequestBuilder",
        &["call", "send", "send_json", "send_empty"],
    ),
    ("ureq::AgentBuilder", &["build"]),
    ("attohttpc::RequestBuilder", &["send", "prepare"]),
    ("minreq::Request", &["send", "send_lazy"]),
    ("walkdir::WalkDir", &[]),
    ("lettre::SmtpTransportBuilder", &["build"]),
    ("serialport::SerialPortBuilder", &["open", "open_native"]),
    (
        "redis::Cmd",
        &["query", "query_async", "exec", "exec_async"],
    ),
];

/// Types whose `for` loop blocks at each step, and the rule it breaks:
/// `for msg in rx` receives from a channel, `for e in WalkDir::new(dir)` reads
/// directories.
pub static BLOCKING_ITERABLES: &[(&str, &Rule)] = &[
    ("std::sync::mpsc::Receiver", &CHANNEL_RECV),
    ("crossbeam_channel::Receiver", &CHANNEL_RECV),
    ("flume::Receiver", &CHANNEL_RECV),
    ("walkdir::WalkDir", &FS_CALL),
];

/// Device nodes: opening one waits for no disk (crossterm opens `/dev/tty`
/// for every `terminal::size()`). Reading one may wait for long (`/dev/tty`
/// waits for the user), so reads on the file stay reported. Files of
/// `/proc` and `/sys` stay reported too: they answer from memory, but the
/// code that reads them usually reads other files the same way.
pub const DEVICE_DIR: &str = "/dev/";

/// Crates whose catalog entries stay when only the standard library's and
/// the runtimes' are used ([`crate::Config::std_catalog_only`]).
const STD_AND_RUNTIMES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "tokio",
    "async_std",
    "smol",
    "futures",
    "futures_executor",
];

/// Whether a catalog path belongs to the standard library or an async
/// runtime (`std::fs::read`, `tokio::task::block_in_place`), rather than a
/// third-party crate (`reqwest::blocking::Client`).
pub fn is_std_or_runtime(path: &str) -> bool {
    let head = path.split("::").next().unwrap_or(path);
    STD_AND_RUNTIMES.contains(&head)
}

/// A builder setting that turns off what the builder's last call would
/// block on.
#[derive(Debug)]
pub struct Disarm {
    /// The crate of the builder's type (`reqwest`).
    pub krate: &'static str,
    /// The last segment of the builder's type (`ClientBuilder`).
    pub builder: &'static str,
    /// The call that builds (`build`).
    pub build: &'static str,
    /// The setting, called on the builder before `build`.
    pub setting: &'static str,
    /// The argument the setting needs (`Some(true)`), or `None` for any.
    pub arg: Option<bool>,
    /// Why.
    pub evidence: &'static str,
}

/// Settings of builders, written in the builder's chain, after which its
/// `build()` does not block.
pub const DISARMS: &[Disarm] = &[
    Disarm {
        krate: "reqwest",
        builder: "ClientBuilder",
        build: "build",
        setting: "danger_accept_invalid_certs",
        arg: Some(true),
        evidence: "reqwest's `build()` loads the platform's CA certificates for its certificate verifier (`rustls-platform-verifier`, `rustls-native-certs`); with certificate verification off it installs a verifier that accepts any certificate and reads nothing (0.13 `async_impl/client.rs`, `if !config.certs_verification`)",
    },
    Disarm {
        krate: "reqwest",
        builder: "ClientBuilder",
        build: "build",
        setting: "use_preconfigured_tls",
        arg: None,
        evidence: "given a TLS configuration the caller built, reqwest's `build()` uses it as it is and builds no verifier of its own (`TlsBackend::BuiltRustls`, `BuiltNativeTls`)",
    },
];

/// Whether a call of `build` on a value of type `ty`, made after the
/// settings `chain` (method name, literal `bool` argument), is turned off
/// by one of [`DISARMS`].
pub fn disarmed<'a>(
    ty: &str,
    build: &str,
    mut chain: impl Iterator<Item = (&'a str, Option<bool>)>,
) -> bool {
    let head = ty.split("::").next().unwrap_or(ty);
    let last = ty.rsplit("::").next().unwrap_or(ty);
    let matching: Vec<&Disarm> = DISARMS
        .iter()
        .filter(|d| d.krate == head && d.builder == last && d.build == build)
        .collect();
    !matching.is_empty()
        && chain.any(|(setting, arg)| {
            matching
                .iter()
                .any(|d| d.setting == setting && (d.arg.is_none() || d.arg == arg))
        })
}

/// SQLite's name for a database held in memory: whoever is handed it (the
/// `sqlite` or `rusqlite` crate, or the code's own `Db::open`) opens no file.
pub const IN_MEMORY_DB: &str = ":memory:";

/// Whether calling `path` with the literal `file` touches no disk: it only
/// opens a device node (`File::open("/dev/tty")`,
/// `OpenOptions::open("/dev/null")`), or it opens an in-memory SQLite
/// database (`Connection::open(":memory:")`, any callee).
pub fn no_disk(path: &str, file: &str) -> bool {
    file == IN_MEMORY_DB
        || matches!(path, "std::fs::File::open" | "std::fs::OpenOptions::open")
            && file.starts_with(DEVICE_DIR)
}

/// Types that hold an address already resolved: `ToSocketAddrs` on them
/// (or on `(ip, port)`) asks no resolver.
pub const ADDRESS_TYPES: &[&str] = &[
    "std::net::SocketAddr",
    "std::net::SocketAddrV4",
    "std::net::SocketAddrV6",
    "std::net::IpAddr",
    "std::net::Ipv4Addr",
    "std::net::Ipv6Addr",
];

/// Receiver types that a method rule lists but whose match stays likely: a
/// crossbeam or flume `Sender` blocks on `send` only when its channel is
/// bounded, which the type does not say.
pub const LIKELY_TYPES: &[&str] = &["crossbeam_channel::Sender", "flume::Sender"];

/// Iterators whose items the walker knows: `for s in listener.incoming()`
/// binds `s` to a `Result<TcpStream>`, and `s?` is a `TcpStream`.
pub const ITEM_TYPES: &[(&str, &str)] = &[
    ("std::net::TcpListener::incoming", "std::net::TcpStream"),
    ("std::fs::read_dir", "std::fs::DirEntry"),
    ("std::path::Path::read_dir", "std::fs::DirEntry"),
    ("std::path::PathBuf::read_dir", "std::fs::DirEntry"),
];

/// Public fields of std types, and their types (behind an `Option`, which
/// the walker looks through): a child's pipes.
pub const STD_FIELDS: &[(&str, &str, &str)] = &[
    ("std::process::Child", "stdin", "std::process::ChildStdin"),
    ("std::process::Child", "stdout", "std::process::ChildStdout"),
    ("std::process::Child", "stderr", "std::process::ChildStderr"),
];

/// Collections whose elements the walker follows, and which of their type
/// arguments the elements are: a child process kept in a
/// `HashMap<Id, Kernel>` is still waited for after `map.get_mut(&id)`, in
/// a `for k in list.iter_mut()` loop or in `list.iter().for_each(|k| ..)`.
/// A map's `iter` hands out `(key, value)` pairs.
pub const COLLECTIONS: &[(&str, usize)] = &[
    ("std::vec::Vec", 0),
    ("std::collections::VecDeque", 0),
    ("std::collections::LinkedList", 0),
    ("std::collections::BinaryHeap", 0),
    ("std::collections::HashSet", 0),
    ("std::collections::BTreeSet", 0),
    ("std::collections::HashMap", 1),
    ("std::collections::BTreeMap", 1),
    ("hashbrown::HashMap", 1),
    ("hashbrown::HashSet", 0),
    ("indexmap::IndexMap", 1),
    ("indexmap::IndexSet", 0),
];

/// Methods of a [`COLLECTIONS`] type that hand out one element (behind a
/// reference or an `Option`, which the walker looks through). `entry(k)`
/// and `and_modify` lead to the `or_insert..` that does.
pub const ELEMENT_METHODS: &[&str] = &[
    "get",
    "get_mut",
    "first",
    "first_mut",
    "last",
    "last_mut",
    "front",
    "front_mut",
    "back",
    "back_mut",
    "pop",
    "pop_front",
    "pop_back",
    "peek",
    "peek_mut",
    "remove",
    "swap_remove",
    "take",
    "or_insert",
    "or_insert_with",
    "or_insert_with_key",
    "or_default",
];

/// Methods of a [`COLLECTIONS`] type that iterate its elements (a map's
/// `iter`, `iter_mut`, `into_iter` and `drain`: its pairs).
pub const ELEMENT_ITERATORS: &[&str] = &[
    "iter",
    "iter_mut",
    "into_iter",
    "drain",
    "values",
    "values_mut",
    "into_values",
];

/// Iterator adapters that keep the items as they are.
pub const ITER_SAME: &[&str] = &[
    "filter",
    "skip",
    "take",
    "rev",
    "skip_while",
    "take_while",
    "peekable",
    "cloned",
    "copied",
    "by_ref",
    "fuse",
    "step_by",
    "chain",
    "inspect",
];

/// Iterator methods that hand out one item.
pub const ITER_ITEM: &[&str] = &[
    "next",
    "next_back",
    "find",
    "last",
    "nth",
    "max_by_key",
    "min_by_key",
    "max_by",
    "min_by",
    "peek",
];

/// Methods whose closure argument is given each item (of an iterator), or
/// each element (of a [`COLLECTIONS`] type: `retain`, `sort_by_key`).
pub const ITEM_CLOSURES: &[&str] = &[
    "for_each",
    "try_for_each",
    "map",
    "filter",
    "filter_map",
    "flat_map",
    "find",
    "find_map",
    "position",
    "any",
    "all",
    "inspect",
    "take_while",
    "skip_while",
    "map_while",
    "max_by_key",
    "min_by_key",
    "partition",
    "retain",
    "retain_mut",
    "sort_by_key",
];

/// Calls that return a tuple whose element types the walker knows: channel
/// constructors return `(sender, receiver)`. The sender of an `unbounded`
/// constructor's channel never waits (the walker knows it by the name).
pub const TUPLE_RETURNS: &[(&str, &[&str])] = &[
    (
        "std::sync::mpsc::channel",
        &["std::sync::mpsc::Sender", "std::sync::mpsc::Receiver"],
    ),
    (
        "std::sync::mpsc::sync_channel",
        &["std::sync::mpsc::SyncSender", "std::sync::mpsc::Receiver"],
    ),
    (
        "crossbeam_channel::unbounded",
        &["crossbeam_channel::Sender", "crossbeam_channel::Receiver"],
    ),
    (
        "crossbeam_channel::bounded",
        &["crossbeam_channel::Sender", "crossbeam_channel::Receiver"],
    ),
    (
        "crossbeam::channel::unbounded",
        &["crossbeam_channel::Sender", "crossbeam_channel::Receiver"],
    ),
    (
        "crossbeam::channel::bounded",
        &["crossbeam_channel::Sender", "crossbeam_channel::Receiver"],
    ),
    ("flume::unbounded", &["flume::Sender", "flume::Receiver"]),
    ("flume::bounded", &["flume::Sender", "flume::Receiver"]),
    (
        "tokio::sync::mpsc::channel",
        &["tokio::sync::mpsc::Sender", "tokio::sync::mpsc::Receiver"],
    ),
    (
        "tokio::sync::mpsc::unbounded_channel",
        &[
            "tokio::sync::mpsc::UnboundedSender",
            "tokio::sync::mpsc::UnboundedReceiver",
        ],
    ),
    (
        "tokio::sync::oneshot::channel",
        &[
            "tokio::sync::oneshot::Sender",
            "tokio::sync::oneshot::Receiver",
        ],
    ),
    (
        "tokio::sync::broadcast::channel",
        &[
            "tokio::sync::broadcast::Sender",
            "tokio::sync::broadcast::Receiver",
        ],
    ),
    (
        "tokio::sync::watch::channel",
        &["tokio::sync::watch::Sender", "tokio::sync::watch::Receiver"],
    ),
    (
        "std::net::TcpListener::accept",
        &["std::net::TcpStream", "std::net::SocketAddr"],
    ),
    (
        "std::net::UdpSocket::recv_from",
        &["usize", "std::net::SocketAddr"],
    ),
    (
        "std::os::unix::net::UnixListener::accept",
        &[
            "std::os::unix::net::UnixStream",
            "std::os::unix::net::SocketAddr",
        ],
    ),
];

macro_rules! doc {
    ($what:expr, $why:expr, $example:expr, $instead:expr $(,)?) => {
        RuleDoc {
            what: $what,
            why: $why,
            example: $example,
            instead: $instead,
            langs: ["rust", "rust"],
            on_request: None,
        }
    };
}

const WHY_EXECUTOR: &str = "An async runtime runs many tasks on a few worker threads. A task that \
blocks holds its worker: every task queued behind it waits, and on Tokio's multi-thread runtime a \
task spawned into the blocked worker's LIFO slot cannot be stolen by an idle worker, so a busy \
server quietly degrades to single-thread processing.";

/// `PG101` `thread-sleep`.
pub static THREAD_SLEEP: Rule = Rule {
    code: "PG101",
    name: "thread-sleep",
    category: Category::Sleep,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("std::thread::sleep"),
        Matcher::Path("std::thread::sleep_ms"),
    ],
    message: "blocks the executor thread",
    help: "use `tokio::time::sleep(..).await`, or move it into `tokio::task::spawn_blocking`",
    doc: doc!(
        "Reports `std::thread::sleep` inside async code.",
        WHY_EXECUTOR,
        "async fn poll_later() {\n    std::thread::sleep(Duration::from_secs(1));\n}",
        "async fn poll_later() {\n    tokio::time::sleep(Duration::from_secs(1)).await;\n}",
    ),
};

/// `PG111` `fs-call`.
pub static FS_CALL: Rule = Rule {
    code: "PG111",
    name: "fs-call",
    category: Category::Fs,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("std::fs::read"),
        Matcher::Path("std::fs::read_to_string"),
        Matcher::Path("std::fs::write"),
        Matcher::Path("std::fs::copy"),
        Matcher::Path("std::fs::rename"),
        Matcher::Path("std::fs::remove_file"),
        Matcher::Path("std::fs::remove_dir"),
        Matcher::Path("std::fs::remove_dir_all"),
        Matcher::Path("std::fs::create_dir"),
        Matcher::Path("std::fs::create_dir_all"),
        Matcher::Path("std::fs::read_dir"),
        Matcher::Path("std::fs::metadata"),
        Matcher::Path("std::fs::symlink_metadata"),
        Matcher::Path("std::fs::canonicalize"),
        Matcher::Path("std::fs::read_link"),
        Matcher::Path("std::fs::hard_link"),
        Matcher::Path("std::fs::set_permissions"),
        Matcher::Path("std::fs::exists"),
        Matcher::Path("tempfile::tempfile"),
        Matcher::Path("tempfile::tempdir"),
        Matcher::Path("tempfile::TempDir::new"),
        Matcher::Path("tempfile::NamedTempFile::new"),
        Matcher::typed("reopen", 0, &["tempfile::NamedTempFile"]),
        Matcher::Path("actix_files::NamedFile::open"),
        // The `image` crate decodes and encodes from and to files, synchronously.
        Matcher::Path("image::open"),
        // git2, tantivy and serialport do their file and device I/O synchronously.
        Matcher::Path("git2::Repository::open"),
        Matcher::Path("git2::Repository::open_bare"),
        Matcher::Path("git2::Repository::init"),
        Matcher::Path("git2::Repository::init_bare"),
        Matcher::Path("git2::Repository::clone"),
        Matcher::Path("git2::Repository::discover"),
        Matcher::typed("head", 0, GIT_REPO),
        Matcher::typed("index", 0, GIT_REPO),
        Matcher::typed("statuses", 1, GIT_REPO),
        Matcher::typed("revwalk", 0, GIT_REPO),
        Matcher::typed("find_commit", 1, GIT_REPO),
        Matcher::typed("checkout_head", 1, GIT_REPO),
        Matcher::Path("tantivy::Index::open_in_dir"),
        Matcher::Path("tantivy::Index::create_in_dir"),
        Matcher::typed("commit", 0, &["tantivy::IndexWriter"]),
        Matcher::typed("reload", 0, &["tantivy::IndexReader"]),
        Matcher::typed("open", 0, &["serialport::SerialPortBuilder"]),
        Matcher::typed("read", 1, SERIAL),
        Matcher::typed("read_exact", 1, SERIAL),
        Matcher::typed("write", 1, SERIAL),
        Matcher::typed("write_all", 1, SERIAL),
        Matcher::typed(
            "save",
            1,
            &["image::DynamicImage", "image::RgbaImage", "image::RgbImage"],
        ),
        Matcher::Path("std::os::unix::fs::symlink"),
    ],
    message: "does blocking file system I/O on the executor thread",
    help: "use the `tokio::fs` function of the same name with `.await`, or move it into `tokio::task::spawn_blocking`",
    doc: doc!(
        "Reports `std::fs` functions called inside async code.",
        "File system calls block until the disk answers; on a network file system or a busy \
         disk that can take seconds, and the worker thread runs no other task meanwhile.",
        "async fn load() -> io::Result<String> {\n    std::fs::read_to_string(\"config.toml\")\n}",
        "async fn load() -> io::Result<String> {\n    tokio::fs::read_to_string(\"config.toml\").await\n}",
    ),
};

/// `PG112` `fs-open`.
pub static FS_OPEN: Rule = Rule {
    code: "PG112",
    name: "fs-open",
    category: Category::Fs,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("std::fs::File::open"),
        Matcher::Path("std::fs::File::create"),
        Matcher::Path("std::fs::File::create_new"),
        Matcher::typed("open", 1, &["std::fs::OpenOptions"]),
        Matcher::typed("sync_all", 0, FILE),
        Matcher::typed("sync_data", 0, FILE),
        Matcher::typed("set_len", 1, FILE),
        Matcher::typed("read", 1, FILE),
        Matcher::typed("read_exact", 1, FILE),
        Matcher::typed("read_to_end", 1, FILE),
        Matcher::typed("read_to_string", 1, FILE),
        Matcher::typed("write", 1, FILE),
        Matcher::typed("write_all", 1, FILE),
        Matcher::typed("read_line", 1, FILE),
        Matcher::typed("lines", 0, FILE),
        Matcher::typed("write_fmt", 1, FILE),
    ],
    message: "does blocking file I/O on the executor thread",
    help: "use `tokio::fs::File` / `tokio::fs::OpenOptions` with `.await`, or move the file work into `tokio::task::spawn_blocking`",
    doc: doc!(
        "Reports `std::fs::File::open`/`create`, `std::fs::OpenOptions::open`, and reads, writes and syncs on a `std::fs::File`, inside async code.",
        "Opening a file is a blocking system call, and so is every read and write on the \
         `std::fs::File` it returns.",
        "async fn append(line: &str) -> io::Result<()> {\n    let mut f = std::fs::OpenOptions::new().append(true).open(\"log\")?;\n    f.write_all(line.as_bytes())\n}",
        "async fn append(line: &str) -> io::Result<()> {\n    let mut f = tokio::fs::OpenOptions::new().append(true).open(\"log\").await?;\n    f.write_all(line.as_bytes()).await\n}",
    ),
};

/// `PG113` `path-metadata`.
pub static PATH_METADATA: Rule = Rule {
    code: "PG113",
    name: "path-metadata",
    category: Category::Fs,
    default_level: Level::Deny,
    matchers: &[
        Matcher::typed("exists", 0, PATHS),
        Matcher::typed("try_exists", 0, PATHS),
        Matcher::typed("is_file", 0, PATHS),
        Matcher::typed("is_dir", 0, PATHS),
        Matcher::typed("is_symlink", 0, PATHS),
        Matcher::consumed(
            "metadata",
            0,
            &[
                "std::path::Path",
                "std::path::PathBuf",
                "std::fs::File",
                "std::fs::DirEntry",
            ],
        ),
        Matcher::consumed("symlink_metadata", 0, PATHS),
        Matcher::consumed("canonicalize", 0, PATHS),
        Matcher::consumed("read_dir", 0, PATHS),
        Matcher::consumed("read_link", 0, PATHS),
    ],
    message: "queries the file system with a blocking call on the executor thread",
    help: "use `tokio::fs::metadata`, `tokio::fs::try_exists`, `tokio::fs::canonicalize` or `tokio::fs::read_dir` with `.await`",
    doc: doc!(
        "Reports `Path` and `File` methods that ask the file system (`exists`, `is_file`, \
         `metadata`, `canonicalize`, `read_dir`) inside async code.",
        "They look like cheap accessors but each one is a `stat` or `open` system call, which \
         blocks on slow or network disks.",
        "use std::path::Path;\n\nasync fn serve(path: &Path) {\n    if path.exists() { /* .. */ }\n}",
        "use std::path::Path;\n\nasync fn serve(path: &Path) {\n    if tokio::fs::try_exists(path).await.unwrap_or(false) { /* .. */ }\n}",
    ),
};

/// `PG121` `net-connect`.
pub static NET_CONNECT: Rule = Rule {
    code: "PG121",
    name: "net-connect",
    category: Category::Net,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("std::net::TcpStream::connect"),
        Matcher::Path("std::net::TcpStream::connect_timeout"),
    ],
    message: "connects a blocking socket on the executor thread",
    help: "use `tokio::net::TcpStream::connect(..).await`",
    doc: doc!(
        "Reports `std::net::TcpStream::connect` inside async code.",
        "A TCP connect waits for the peer, up to the system's connect timeout (often minutes).",
        "async fn ping(addr: &str) -> io::Result<()> {\n    let s = std::net::TcpStream::connect(addr)?;\n    Ok(())\n}",
        "async fn ping(addr: &str) -> io::Result<()> {\n    let s = tokio::net::TcpStream::connect(addr).await?;\n    Ok(())\n}",
    ),
};

/// `PG122` `net-io`.
pub static NET_IO: Rule = Rule {
    code: "PG122",
    name: "net-io",
    category: Category::Net,
    default_level: Level::Deny,
    matchers: &[
        Matcher::consumed("accept", 0, LISTENERS),
        Matcher::typed("incoming", 0, LISTENERS),
        Matcher::typed("recv", 1, UDP_SOCKET),
        Matcher::consumed("recv_from", 1, UDP_SOCKET),
        Matcher::typed("send", 1, UDP_SOCKET),
        Matcher::consumed("send_to", 2, UDP_SOCKET),
        Matcher::typed("read", 1, TCP_STREAM),
        Matcher::typed("read_exact", 1, TCP_STREAM),
        Matcher::typed("read_to_end", 1, TCP_STREAM),
        Matcher::typed("read_to_string", 1, TCP_STREAM),
        Matcher::typed("write", 1, TCP_STREAM),
        Matcher::typed("write_all", 1, TCP_STREAM),
        Matcher::typed("peek", 1, TCP_STREAM),
        Matcher::typed("read_line", 1, TCP_STREAM),
        Matcher::typed("peek", 1, UDP_SOCKET),
        Matcher::typed("peek_from", 1, UDP_SOCKET),
        Matcher::typed("send", 1, &["lettre::SmtpTransport"]),
        Matcher::typed("test_connection", 0, &["lettre::SmtpTransport"]),
    ],
    message: "does blocking network I/O on the executor thread",
    help: "use `tokio::net` sockets and their async methods with `.await`",
    doc: doc!(
        "Reports `accept`, `incoming`, reads and writes on `std::net` and `std::os::unix::net` sockets inside async code.",
        "A blocking socket waits for the peer: one slow client stops every task on the worker.",
        "async fn serve(listener: std::net::TcpListener) {\n    let (sock, _) = listener.accept().unwrap();\n}",
        "async fn serve(listener: tokio::net::TcpListener) {\n    let (sock, _) = listener.accept().await.unwrap();\n}",
    ),
};

/// `PG131` `dns-lookup`.
pub static DNS_LOOKUP: Rule = Rule {
    code: "PG131",
    name: "dns-lookup",
    category: Category::Dns,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("std::net::ToSocketAddrs::to_socket_addrs"),
        Matcher::always_on("to_socket_addrs", 0, &[]),
    ],
    message: "resolves a host name with a blocking system call on the executor thread",
    help: "use `tokio::net::lookup_host(..).await`",
    doc: doc!(
        "Reports `ToSocketAddrs::to_socket_addrs` inside async code.",
        "Name resolution through `getaddrinfo` blocks until the resolver answers or times out.",
        "async fn resolve(host: &str) -> io::Result<Vec<SocketAddr>> {\n    Ok((host, 443).to_socket_addrs()?.collect())\n}",
        "async fn resolve(host: &str) -> io::Result<Vec<SocketAddr>> {\n    Ok(tokio::net::lookup_host((host, 443)).await?.collect())\n}",
    ),
};

/// `PG141` `process-wait`.
pub static PROCESS_WAIT: Rule = Rule {
    code: "PG141",
    name: "process-wait",
    category: Category::Process,
    default_level: Level::Deny,
    matchers: &[
        Matcher::consumed("output", 0, &["std::process::Command"]),
        Matcher::typed("status", 0, &["std::process::Command"]),
        Matcher::typed("wait", 0, &["std::process::Child"]),
        Matcher::consumed("wait_with_output", 0, &["std::process::Child"]),
        Matcher::typed("read", 1, CHILD_OUTPUT),
        Matcher::typed("read_exact", 1, CHILD_OUTPUT),
        Matcher::typed("read_to_end", 1, CHILD_OUTPUT),
        Matcher::typed("read_to_string", 1, CHILD_OUTPUT),
        Matcher::typed("read_line", 1, CHILD_OUTPUT),
        Matcher::typed("write", 1, &["std::process::ChildStdin"]),
        Matcher::typed("write_all", 1, &["std::process::ChildStdin"]),
    ],
    message: "waits for a child process on the executor thread",
    help: "use `tokio::process::Command` and `.await` its `output()`, `status()` or `wait()`",
    doc: doc!(
        "Reports `std::process::Command::output`/`status`, `Child::wait`, and reads and writes on a child's pipes inside async code.",
        "They wait until the child exits, which may be never; a read of its output waits until it writes, a write to its input until it reads once the pipe is full.",
        "async fn git_head() -> io::Result<Output> {\n    std::process::Command::new(\"git\").arg(\"rev-parse\").output()\n}",
        "async fn git_head() -> io::Result<Output> {\n    tokio::process::Command::new(\"git\").arg(\"rev-parse\").output().await\n}",
    ),
};

/// `PG151` `stdin-read`.
pub static STDIN_READ: Rule = Rule {
    code: "PG151",
    name: "stdin-read",
    category: Category::Stdio,
    default_level: Level::Deny,
    matchers: &[
        Matcher::typed("read_line", 1, STDIN),
        Matcher::typed("lines", 0, STDIN),
        Matcher::typed("read_to_string", 1, STDIN),
        Matcher::typed("read_to_end", 1, STDIN),
        Matcher::typed("read", 1, STDIN),
        Matcher::Path("std::io::read_to_string"),
        Matcher::typed("read_key", 0, TERM),
        Matcher::typed("read_key_raw", 0, TERM),
        Matcher::typed("read_char", 0, TERM),
        Matcher::typed("read_line", 0, TERM),
        Matcher::typed("read_line_initial_text", 1, TERM),
        Matcher::typed("read_secure_line", 0, TERM),
        Matcher::consumed("interact", 0, &[]),
        Matcher::consumed("interact_text", 0, &[]),
        Matcher::consumed("interact_opt", 0, &[]),
    ],
    message: "waits for standard input on the executor thread",
    help: "use `tokio::io::stdin()` with `AsyncBufReadExt`, or read stdin on a dedicated thread and send lines over a channel",
    doc: doc!(
        "Reports reads from `std::io::stdin()` inside async code.",
        "Reading a terminal waits for the user to type; the worker runs nothing else meanwhile.",
        "async fn prompt() -> String {\n    let mut s = String::new();\n    std::io::stdin().read_line(&mut s).unwrap();\n    s\n}",
        "async fn prompt() -> String {\n    let mut s = String::new();\n    BufReader::new(tokio::io::stdin()).read_line(&mut s).await.unwrap();\n    s\n}",
    ),
};

/// `PG161` `block-on`.
pub static BLOCK_ON: Rule = Rule {
    code: "PG161",
    name: "block-on",
    category: Category::BlockOn,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("futures::executor::block_on"),
        Matcher::Path("futures_executor::block_on"),
        Matcher::Path("futures_lite::future::block_on"),
        Matcher::Path("pollster::block_on"),
        Matcher::Path("tokio_test::block_on"),
        Matcher::Path("async_std::task::block_on"),
        Matcher::Path("smol::block_on"),
        Matcher::Path("async_io::block_on"),
        Matcher::Path("async_global_executor::block_on"),
        Matcher::Path("tokio::runtime::Runtime::block_on"),
        Matcher::Path("tokio::runtime::Handle::block_on"),
        Matcher::always("block_on"),
        Matcher::typed("run_until", 1, &["futures::executor::LocalPool"]),
    ],
    message: "blocks on a future inside async context: Tokio's `block_on` panics (\"cannot start a runtime from within a runtime\"), other executors block the thread and deadlock if the future needs it",
    help: "`.await` the future instead",
    doc: doc!(
        "Reports `block_on` (Tokio's `Runtime`, `Handle` and `LocalSet`, `futures::executor`, \
         `async-std`, `smol`, `async-io`,
         `pollster`) inside async code.",
        "Tokio panics with \"Cannot start a runtime from within a runtime\"; other executors \
         block the worker until the inner future finishes, and deadlock when that future \
         needs the blocked worker to make progress.",
        "async fn handler(rt: &Runtime) {\n    rt.block_on(fetch());\n}",
        "async fn handler() {\n    fetch().await;\n}",
    ),
};

/// `PG171` `tokio-blocking-method`.
pub static TOKIO_BLOCKING_METHOD: Rule = Rule {
    code: "PG171",
    name: "tokio-blocking-method",
    category: Category::TokioBlocking,
    default_level: Level::Deny,
    matchers: &[
        Matcher::always("blocking_recv"),
        Matcher::always("blocking_recv_many"),
        Matcher::always("blocking_send"),
        Matcher::always("blocking_lock"),
        Matcher::always("blocking_lock_owned"),
        Matcher::always("blocking_read"),
        Matcher::always("blocking_write"),
        Matcher::always("blocking_acquire"),
        Matcher::always("blocking_acquire_many"),
    ],
    message: "panics in async context (\"cannot block the current thread from within a runtime\") instead of blocking: it is only for sync code",
    help: "use the async method without the `blocking_` prefix and `.await` it",
    doc: doc!(
        "Reports Tokio's `blocking_recv`, `blocking_send`, `blocking_lock`, `blocking_read`, \
         `blocking_write` and `blocking_acquire` inside async code.",
        "These methods exist so that sync code can talk to async code; called from async \
         context they panic with \"Cannot block the current thread from within a runtime\".",
        "async fn next(rx: &mut mpsc::Receiver<Job>) -> Option<Job> {\n    rx.blocking_recv()\n}",
        "async fn next(rx: &mut mpsc::Receiver<Job>) -> Option<Job> {\n    rx.recv().await\n}",
    ),
};

/// `PG181` `channel-recv`.
pub static CHANNEL_RECV: Rule = Rule {
    code: "PG181",
    name: "channel-recv",
    category: Category::Channel,
    default_level: Level::Deny,
    matchers: &[
        Matcher::consumed("recv", 0, RECEIVERS),
        Matcher::consumed("recv_timeout", 1, RECEIVERS),
        Matcher::consumed("recv_deadline", 1, RECEIVERS),
        Matcher::typed("iter", 0, RECEIVERS),
    ],
    message: "waits for a message on a blocking channel on the executor thread",
    help: "use `tokio::sync::mpsc` and `.recv().await`, or `flume`/`async-channel` with `.recv_async().await`",
    doc: doc!(
        "Reports `recv`, `recv_timeout` and `iter` on `std::sync::mpsc`, crossbeam and flume \
         receivers inside async code. A `recv_timeout` whose timeout is a literal of at most \
         1 ms (`Duration::from_nanos(1)`, `Duration::from_millis(1)`, `Duration::ZERO`) is a \
         poll, like `try_recv`, and is not reported; a longer or computed timeout is.",
        "A blocking receive parks the worker thread until a message arrives; if the sender \
         is a task on the same worker, it never arrives.",
        "async fn worker(rx: std::sync::mpsc::Receiver<Job>) {\n    while let Ok(job) = rx.recv() { run(job).await }\n}",
        "async fn worker(mut rx: tokio::sync::mpsc::Receiver<Job>) {\n    while let Some(job) = rx.recv().await { run(job).await }\n}",
    ),
};

/// `PG182` `channel-send`.
pub static CHANNEL_SEND: Rule = Rule {
    code: "PG182",
    name: "channel-send",
    category: Category::Channel,
    default_level: Level::Deny,
    matchers: &[Matcher::typed(
        "send",
        1,
        &[
            "std::sync::mpsc::SyncSender",
            "crossbeam_channel::Sender",
            "flume::Sender",
        ],
    )],
    message: "can wait for room in a bounded blocking channel on the executor thread",
    help: "use `tokio::sync::mpsc::Sender::send(..).await`, or `try_send` and handle a full channel",
    doc: doc!(
        "Reports `send` on a bounded `std::sync::mpsc::SyncSender`, crossbeam or flume sender \
         inside async code.",
        "A bounded channel's `send` blocks while the channel is full.",
        "async fn produce(tx: std::sync::mpsc::SyncSender<Job>, job: Job) {\n    tx.send(job).unwrap();\n}",
        "async fn produce(tx: tokio::sync::mpsc::Sender<Job>, job: Job) {\n    tx.send(job).await.unwrap();\n}",
    ),
};

/// `PG191` `thread-join`.
pub static THREAD_JOIN: Rule = Rule {
    code: "PG191",
    name: "thread-join",
    category: Category::ThreadJoin,
    default_level: Level::Deny,
    matchers: &[
        Matcher::consumed(
            "join",
            0,
            &["std::thread::JoinHandle", "std::thread::ScopedJoinHandle"],
        ),
        Matcher::Path("std::thread::scope"),
        Matcher::Path("crossbeam::scope"),
        Matcher::Path("crossbeam_utils::thread::scope"),
        // Rayon runs the closures on its pool and parks the caller on a
        // latch until they are done.
        Matcher::Path("rayon::join"),
        Matcher::Path("rayon::scope"),
        Matcher::Path("rayon::in_place_scope"),
        Matcher::Path("rayon_core::join"),
        Matcher::Path("rayon_core::scope"),
        Matcher::typed(
            "install",
            1,
            &["rayon::ThreadPool", "rayon_core::ThreadPool"],
        ),
        Matcher::typed("join", 2, &["rayon::ThreadPool", "rayon_core::ThreadPool"]),
        Matcher::typed("scope", 1, &["rayon::ThreadPool", "rayon_core::ThreadPool"]),
    ],
    message: "waits for a thread to finish on the executor thread",
    help: "use `tokio::task::spawn_blocking` and `.await` its `JoinHandle`, or join inside `spawn_blocking`",
    doc: doc!(
        "Reports `JoinHandle::join`, `std::thread::scope` and Rayon's `join`, `scope` and \
         `ThreadPool::install` inside async code.",
        "Joining waits for the other thread's whole run; Rayon parks the caller until its \
         pool has run the closures.",
        "async fn crunch(data: Vec<u8>) -> u64 {\n    std::thread::spawn(move || sum(&data)).join().unwrap()\n}",
        "async fn crunch(data: Vec<u8>) -> u64 {\n    tokio::task::spawn_blocking(move || sum(&data)).await.unwrap()\n}",
    ),
};

/// `PG192` `sync-wait`.
pub static SYNC_WAIT: Rule = Rule {
    code: "PG192",
    name: "sync-wait",
    category: Category::ThreadJoin,
    default_level: Level::Deny,
    matchers: &[
        Matcher::typed("wait", 0, &["std::sync::Barrier"]),
        Matcher::consumed("wait", 1, &["std::sync::Condvar", "parking_lot::Condvar"]),
        Matcher::consumed("wait_while", 2, &["std::sync::Condvar"]),
        Matcher::consumed("wait_timeout", 2, &["std::sync::Condvar"]),
        Matcher::Path("std::thread::park"),
        Matcher::Path("std::thread::park_timeout"),
    ],
    message: "parks the executor thread until another thread signals",
    help: "use `tokio::sync::Barrier` or `tokio::sync::Notify` and `.await` them",
    doc: doc!(
        "Reports `Barrier::wait` and `Condvar::wait` inside async code.",
        "They park the worker thread until other threads arrive or notify; if those are tasks \
         on the same worker, it never wakes up.",
        "async fn ready(pair: Arc<(Mutex<bool>, Condvar)>) {\n    let (m, cv) = &*pair;\n    let _g = cv.wait(m.lock().unwrap()).unwrap();\n}",
        "async fn ready(notify: Arc<tokio::sync::Notify>) {\n    notify.notified().await;\n}",
    ),
};

/// `PG201` `http-blocking`.
pub static HTTP_BLOCKING: Rule = Rule {
    code: "PG201",
    name: "http-blocking",
    category: Category::HttpBlocking,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("reqwest::blocking::get"),
        // The blocking client starts a runtime thread and waits for it.
        Matcher::Path("reqwest::blocking::Client::new"),
        Matcher::typed("build", 0, &["reqwest::blocking::ClientBuilder"]),
        Matcher::typed("send", 0, HTTP_REQUESTS),
        Matcher::consumed("call", 0, HTTP_REQUESTS),
        Matcher::typed("send_string", 1, HTTP_REQUESTS),
        Matcher::typed("send_json", 1, HTTP_REQUESTS),
        Matcher::typed("send_bytes", 1, HTTP_REQUESTS),
        Matcher::typed("send_form", 1, HTTP_REQUESTS),
        Matcher::typed("into_string", 0, &["ureq::Response"]),
        Matcher::typed("into_json", 0, &["ureq::Response"]),
        Matcher::typed("send", 1, &["ureq::Request", "ureq::RequestBuilder"]),
    ],
    message: "makes a blocking HTTP request on the executor thread",
    help: "use the async `reqwest::Client` with `.await`, or move the request into `tokio::task::spawn_blocking`",
    doc: doc!(
        "Reports requests made with `reqwest::blocking`, `ureq`, `attohttpc` and `minreq` inside async code: `reqwest::blocking::get`, `send`/`call` on their request builders, and building a `reqwest::blocking::Client`, which starts a thread and waits for it (building a request, or a `ureq` agent, does no I/O).",
        "A blocking HTTP client waits for the whole round trip; `reqwest::blocking` also \
         panics when dropped inside a runtime.",
        "async fn fetch(url: &str) -> String {\n    reqwest::blocking::get(url).unwrap().text().unwrap()\n}",
        "async fn fetch(url: &str) -> String {\n    reqwest::get(url).await.unwrap().text().await.unwrap()\n}",
    ),
};

/// `PG211` `sync-lock`.
pub static SYNC_LOCK: Rule = Rule {
    code: "PG211",
    name: "sync-lock",
    category: Category::Lock,
    default_level: Level::Allow,
    matchers: &[
        Matcher::consumed(
            "lock",
            0,
            &[
                "std::sync::Mutex",
                "parking_lot::Mutex",
                "parking_lot::ReentrantMutex",
            ],
        ),
        Matcher::consumed("read", 0, &["std::sync::RwLock", "parking_lot::RwLock"]),
        Matcher::consumed("write", 0, &["std::sync::RwLock", "parking_lot::RwLock"]),
        Matcher::consumed("try_lock_for", 1, &["parking_lot::Mutex"]),
        Matcher::consumed("try_lock_until", 1, &["parking_lot::Mutex"]),
        Matcher::consumed("try_read_for", 1, &["parking_lot::RwLock"]),
        Matcher::consumed("try_write_for", 1, &["parking_lot::RwLock"]),
        Matcher::typed("upgradable_read", 0, &["parking_lot::RwLock"]),
    ],
    message: "takes a blocking lock on the executor thread",
    help: "keep the critical section short and never hold the guard across `.await`, or use `tokio::sync::Mutex` with `.lock().await`",
    doc: doc!(
        "Reports `std::sync::Mutex`/`RwLock` and `parking_lot` locks inside async code. \
         Allowed by default: Tokio's documentation recommends a std `Mutex` for short \
         critical sections that never cross an `.await`. Deny it to enforce async locks.",
        "Waiting for a contended lock parks the worker; holding a std guard across an \
         `.await` can deadlock the task with itself.",
        "async fn bump(counter: Arc<std::sync::Mutex<u64>>) {\n    *counter.lock().unwrap() += 1;\n}",
        "async fn bump(counter: Arc<tokio::sync::Mutex<u64>>) {\n    *counter.lock().await += 1;\n}",
    ),
};

/// `PG221` `sync-db`.
pub static SYNC_DB: Rule = Rule {
    code: "PG221",
    name: "sync-db",
    category: Category::Db,
    default_level: Level::Deny,
    matchers: &[
        Matcher::Path("rusqlite::Connection::open"),
        Matcher::Path("postgres::Client::connect"),
        Matcher::Path("redis::Client::get_connection"),
        Matcher::typed("get_connection", 0, &["redis::Client"]),
        Matcher::typed("get", 0, &["r2d2::Pool"]),
        Matcher::typed("query", 1, &["redis::Cmd"]),
        // diesel's query methods take the connection as `&mut conn`;
        // diesel-async's have the same names and are awaited.
        Matcher::mut_conn("load"),
        Matcher::mut_conn("get_result"),
        Matcher::mut_conn("get_results"),
        Matcher::mut_conn("execute"),
        Matcher::mut_conn("first"),
        Matcher::mut_conn("query"),
        Matcher::typed("execute", 2, SQLITE),
        Matcher::typed("execute_batch", 1, SQLITE),
        Matcher::typed("prepare", 1, SQLITE),
        Matcher::typed("query_row", 3, SQLITE),
        Matcher::typed("commit", 0, &["rusqlite::Transaction"]),
        Matcher::typed("query_map", 2, &["rusqlite::Statement"]),
        Matcher::typed("query_row", 2, &["rusqlite::Statement"]),
        Matcher::typed("execute", 1, &["rusqlite::Statement"]),
        Matcher::typed("query", 2, POSTGRES),
        Matcher::typed("query_one", 2, POSTGRES),
        Matcher::typed("query_opt", 2, POSTGRES),
        Matcher::typed("execute", 2, POSTGRES),
        Matcher::typed("batch_execute", 1, POSTGRES),
    ],
    message: "queries a database or cache with a synchronous client on the executor thread",
    help: "use the client's async variant (`diesel-async`, `tokio-postgres`, `sqlx`, `redis` with `tokio-comp`), or move the call into `tokio::task::spawn_blocking`",
    doc: doc!(
        "Reports synchronous database and cache clients inside async code: diesel's \
         `load`/`get_result`/`execute(&mut conn)`, `rusqlite`, the sync `postgres` client, \
         `r2d2::Pool::get` and the sync `redis` client.",
        "A query waits for the database's round trip, a pool `get` for a free connection: the \
         worker thread runs no other task meanwhile.",
        "async fn list(pool: Pool<ConnectionManager<PgConnection>>) -> Vec<User> {\n    let mut conn = pool.get().unwrap();\n    users::table.load(&mut conn).unwrap()\n}",
        "async fn list(pool: Pool<ConnectionManager<PgConnection>>) -> Vec<User> {\n    tokio::task::spawn_blocking(move || users::table.load(&mut pool.get().unwrap()).unwrap()).await.unwrap()\n}",
    ),
};

/// `PG901` `user-blocking`.
pub static USER_BLOCKING: Rule = Rule {
    code: "PG901",
    name: "user-blocking",
    category: Category::Custom,
    default_level: Level::Deny,
    matchers: &[],
    message: "is declared blocking",
    help: "move it into `tokio::task::spawn_blocking`, or call an async equivalent",
    doc: doc!(
        "Reports calls of paths the user declared blocking: `blocking(\"my::db::query\")` in \
         the attribute, `blocking` in the CLI config, or fns marked `#[pollguard::blocking]`.",
        "The user knows this fn blocks.",
        "#[pollguard::blocking]\nfn query(sql: &str) -> Rows { /* .. */ }\n\nasync fn handler() {\n    query(\"select 1\");\n}",
        "#[pollguard::blocking]\nfn query(sql: &str) -> Rows { /* .. */ }\n\nasync fn handler() {\n    tokio::task::spawn_blocking(|| query(\"select 1\")).await.unwrap();\n}",
    ),
};

/// `PG902` `transitive-blocking`.
pub static TRANSITIVE_BLOCKING: Rule = Rule {
    code: "PG902",
    name: "transitive-blocking",
    category: Category::Transitive,
    default_level: Level::Deny,
    matchers: &[],
    message: "calls blocking code",
    help: "make the callee async, or call it inside `tokio::task::spawn_blocking`",
    doc: doc!(
        "Reports calls, in async code, of sync fns of the same workspace that block, directly \
         or through other sync fns: `cargo pollguard` follows them across the whole workspace, the attribute within the annotated item.",
        "A helper hides the blocking call from a reader of the async fn, not from the executor.",
        "fn load_config() -> Config {\n    toml::from_str(&std::fs::read_to_string(\"app.toml\").unwrap()).unwrap()\n}\n\nasync fn handler() {\n    let cfg = load_config();\n}",
        "fn load_config() -> Config {\n    toml::from_str(&std::fs::read_to_string(\"app.toml\").unwrap()).unwrap()\n}\n\nasync fn handler() {\n    let cfg = tokio::task::spawn_blocking(load_config).await.unwrap();\n}",
    ),
};

/// `PG001` `invalid-allow`.
pub static INVALID_ALLOW: Rule = Rule {
    code: "PG001",
    name: "invalid-allow",
    category: Category::Pollguard,
    default_level: Level::Deny,
    matchers: &[],
    message: "cannot be honoured: it gives no reason, or names an unknown category or rule",
    help: "give a reason and known categories: `// pollguard: allow(fs) why this call may block here`",
    doc: doc!(
        "Reports an escape hatch that pollguard cannot honour: \
         `#[pollguard::allow_blocking]` or `// pollguard: allow(..)` without a reason, or \
         naming a category or rule that does not exist.",
        "A suppression must tell a reviewer why the call may block; a misspelt category \
         suppresses nothing.",
        "async fn load() {\n    // pollguard: allow(fs)\n    let s = std::fs::read_to_string(\"app.toml\");\n}",
        "async fn load() {\n    // pollguard: allow(fs) read once at startup, before the server accepts connections\n    let s = std::fs::read_to_string(\"app.toml\");\n}",
    ),
};

/// `PG002` `unused-allow`.
pub static UNUSED_ALLOW: Rule = Rule {
    code: "PG002",
    name: "unused-allow",
    category: Category::Pollguard,
    default_level: Level::Warn,
    matchers: &[],
    message: "suppresses nothing",
    help: "remove the escape hatch",
    doc: RuleDoc {
        on_request: Some("--report-unused-allows"),
        ..doc!(
            "Reports an escape hatch (attribute or comment) that suppressed no finding.",
            "Stale suppressions hide the next blocking call written under them.",
            "async fn tick() {\n    // pollguard: allow(sleep) rate limit\n    tokio::time::sleep(d).await;\n}",
            "async fn tick() {\n    tokio::time::sleep(d).await;\n}",
        )
    },
};

/// `PG003` `stale-baseline`.
pub static STALE_BASELINE: Rule = Rule {
    code: "PG003",
    name: "stale-baseline",
    category: Category::Pollguard,
    default_level: Level::Warn,
    matchers: &[],
    message: "matches no finding any more",
    help: "remove the entry: `cargo pollguard --write-baseline` rewrites the file without it",
    doc: RuleDoc {
        langs: ["json", "sh"],
        on_request: Some("--report-stale-baseline"),
        ..doc!(
            "Reports an entry of the baseline file whose finding no longer exists: the call was \
             fixed, moved to another fn or removed.",
            "A stale entry would hide the next identical call written in the same fn; removing \
             entries as code is fixed makes the baseline shrink to nothing.",
            "{\"fingerprint\": \"..\", \"rule\": \"PG101\", \"file\": \"src/main.rs\", \"item\": \
             \"main\", \"code\": \"std::thread::sleep(d)\", \"occurrence\": 0}",
            "cargo pollguard --write-baseline",
        )
    },
};

/// `PG004` `unparsed-file`.
pub static UNPARSED_FILE: Rule = Rule {
    code: "PG004",
    name: "unparsed-file",
    category: Category::Pollguard,
    default_level: Level::Warn,
    matchers: &[],
    message: "was not analysed",
    help: "fix the syntax error; if rustc accepts the file, report the parse error to pollguard and add the file to `skip` meanwhile",
    doc: doc!(
        "Reports a file pollguard could not analyse: a syntax error (or syntax newer than \
         pollguard's parser), a binary or non-UTF-8 file, code nested too deeply to analyse \
         safely. It is a warning and cannot be made an error: a real syntax error fails \
         `cargo build` anyway, and a file rustc accepts but pollguard's parser rejects should \
         not fail CI. A file rustc accepts can be left out with `skip`.",
        "A file that is not analysed is lost coverage: a blocking call in it is not reported, \
         and calls of its fns from other files are not followed.",
        "async fn handler() {\n    let x = ;\n}",
        "async fn handler() {\n    let x = 1;\n}",
    ),
};

/// Every rule: the blocking calls in code order (the walker asks them in
/// this order), then pollguard's own diagnostics, which the CLI reports.
pub static RULES: &[&Rule] = &[
    &THREAD_SLEEP,
    &FS_CALL,
    &FS_OPEN,
    &PATH_METADATA,
    &NET_CONNECT,
    &NET_IO,
    &DNS_LOOKUP,
    &PROCESS_WAIT,
    &STDIN_READ,
    &BLOCK_ON,
    &TOKIO_BLOCKING_METHOD,
    &CHANNEL_RECV,
    &CHANNEL_SEND,
    &THREAD_JOIN,
    &SYNC_WAIT,
    &HTTP_BLOCKING,
    &SYNC_LOCK,
    &SYNC_DB,
    &USER_BLOCKING,
    &TRANSITIVE_BLOCKING,
    &INVALID_ALLOW,
    &UNUSED_ALLOW,
    &STALE_BASELINE,
    &UNPARSED_FILE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for rule in RULES {
            assert!(codes.insert(rule.code), "duplicate code {}", rule.code);
            assert!(names.insert(rule.name), "duplicate name {}", rule.name);
            assert!(
                rule.code.starts_with("PG") && rule.code.len() == 5,
                "{}",
                rule.code
            );
            assert!(
                rule.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-'),
                "{} is not kebab-case",
                rule.name
            );
            for text in [rule.message, rule.help] {
                assert!(
                    !text.ends_with('.'),
                    "{}: trailing period in {text:?}",
                    rule.code
                );
                assert!(
                    !text.starts_with(|c: char| c.is_ascii_uppercase()),
                    "{}: {text:?}",
                    rule.code
                );
            }
        }
    }

    #[test]
    fn every_category_but_none_has_a_rule() {
        for cat in Category::ALL {
            assert!(
                RULES.iter().any(|r| r.category == *cat),
                "{cat} has no rule"
            );
            assert_eq!(Category::from_name(cat.name()), Some(*cat));
        }
    }

    #[test]
    fn pollguard_rules_are_found_but_are_no_level_keys() {
        for rule in [
            &INVALID_ALLOW,
            &UNUSED_ALLOW,
            &STALE_BASELINE,
            &UNPARSED_FILE,
        ] {
            assert_eq!(Rule::find(rule.code), Some(rule));
            assert_eq!(Rule::find(rule.name), Some(rule));
            assert!(Rule::find_blocking(rule.code).is_none());
            assert!(rule.matchers.is_empty());
        }
        assert_eq!(Rule::find_blocking("PG101"), Some(&THREAD_SLEEP));
        assert!(Category::from_name("pollguard").is_none());
        assert!(!Category::ALL.contains(&Category::Pollguard));
    }

    #[test]
    fn find_by_code_or_name() {
        assert_eq!(Rule::find("PG101").unwrap().name, "thread-sleep");
        assert_eq!(Rule::find("pg101").unwrap().name, "thread-sleep");
        assert_eq!(Rule::find("fs-open").unwrap().code, "PG112");
        assert!(Rule::find("nope").is_none());
        assert!(
            Rule::find("PG101")
                .unwrap()
                .explain()
                .contains("## Use instead")
        );
    }
}

/// A rule stored by its code (the CLI's dependency cache).
#[cfg(feature = "serde")]
pub mod by_code {
    use super::Rule;

    /// Writes the rule's code.
    pub fn serialize<S: serde::Serializer>(rule: &&'static Rule, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(rule.code)
    }

    /// Reads a code back into the registry's rule; an unknown code is an
    /// error, so an entry written by another version is not used.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static Rule, D::Error> {
        let code = <String as serde::Deserialize>::deserialize(d)?;
        Rule::find(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown rule `{code}`")))
    }
}
