//! Generic I/O: code written over `R: Read` or `W: Write` blocks exactly
//! when the value it is given does.
//!
//! A library such as `csv`, `serde_json` or `flate2` never opens a file
//! itself in `from_reader`: it reads whatever it is handed. Its summary says
//! "does I/O through its type parameter" (a generic I/O root), and the call
//! site decides: `serde_json::from_reader(File::open(p)?)` reads a file,
//! `serde_json::from_reader(&bytes[..])` reads memory. Values carry what
//! they read from in their type (the `io` of the walker's `Ty`), so a
//! reader built over a file blocks when its records are read later.

use crate::catalog::{FS_CALL, NET_IO, PROCESS_WAIT, Rule, STDIN_READ};

/// What an I/O value reads from or writes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum IoKind {
    /// A file.
    Fs,
    /// A blocking socket.
    Net,
    /// Standard input.
    Stdin,
    /// A child process's pipe.
    Pipe,
    /// A type parameter bounded by `Read`, `Write` or `BufRead`: whatever the
    /// caller gives.
    Generic,
}

impl IoKind {
    /// The rule a blocking use of such a value is reported under; `None` for
    /// [`IoKind::Generic`], which only the caller can decide.
    pub fn rule(self) -> Option<&'static Rule> {
        match self {
            IoKind::Fs => Some(&FS_CALL),
            IoKind::Net => Some(&NET_IO),
            IoKind::Stdin => Some(&STDIN_READ),
            IoKind::Pipe => Some(&PROCESS_WAIT),
            IoKind::Generic => None,
        }
    }
}

/// What a value handed over as a `ToSocketAddrs` holds, as far as the
/// walker can tell. Code generic over `A: ToSocketAddrs` (actix's `bind`, a
/// test helper's `connect`) resolves names exactly when its caller gives it
/// one: the summary says so (a generic address root), and the call site
/// decides, as it does for generic I/O.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Addr {
    /// Nothing known: a host name, for all the walker can tell, so
    /// resolving it may ask the system's resolver.
    #[default]
    Name,
    /// An address written out (`"10.0.0.1:53"`, `("::1", 8080)`, a const
    /// holding one, a `SocketAddr`): std parses it without a resolver.
    Resolved,
    /// A parameter of the fn's own, generic over `ToSocketAddrs`: its
    /// callers decide.
    Generic,
}

/// Whether a string needs no resolver as a `ToSocketAddrs`: an address
/// with its port (`"10.0.0.1:53"`), or an IP address alone, which std
/// rejects without asking a resolver (it has no port).
pub(crate) fn is_address_literal(s: &str) -> bool {
    s.parse::<std::net::SocketAddr>().is_ok() || s.parse::<std::net::IpAddr>().is_ok()
}

/// The trait whose bound makes a type parameter an address its callers give.
pub(crate) const ADDR_TRAITS: &[&str] = &["ToSocketAddrs"];

/// Traits whose bound makes a type parameter an I/O value.
pub(crate) const IO_TRAITS: &[&str] = &["Read", "Write", "BufRead"];

/// `std::io` methods that move bytes through the value.
pub(crate) const IO_METHODS: &[&str] = &[
    "read",
    "read_exact",
    "read_to_end",
    "read_to_string",
    "read_vectored",
    "read_line",
    "read_until",
    "fill_buf",
    "bytes",
    "lines",
    "split",
    "write",
    "write_all",
    "write_vectored",
    "write_fmt",
    "flush",
];

/// The methods an `impl Read`/`Write`/`BufRead` writes that a provided
/// `std::io` method (`read_exact`, `write_all`, `read_line`, ..) moves its
/// bytes through; empty for other names.
pub fn required_methods(method: &str) -> &'static [&'static str] {
    match method {
        "read_exact" | "read_to_end" | "read_to_string" | "read_vectored" | "bytes" => &["read"],
        "read_line" | "read_until" | "lines" | "split" => &["fill_buf", "read"],
        "write_all" | "write_vectored" | "write_fmt" => &["write"],
        _ => &[],
    }
}

/// Iterator methods that pull every item: on an iterator over an I/O value,
/// they are where the reading happens.
pub(crate) const CONSUMERS: &[&str] = &[
    "next",
    "collect",
    "for_each",
    "try_for_each",
    "count",
    "last",
    "nth",
    "fold",
    "try_fold",
    "sum",
    "find",
    "any",
    "all",
    "position",
];
