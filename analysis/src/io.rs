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
