//! Generic I/O: code written over `R: Read` or `W: Write` blocks exactly
//! when the value it is given does.
//!
//! A library such as `csv`, `serde_json` or `flate2` never opens a file
//! itself in `from_reader`: it reads whatever it is handed. Its summary says
//! "does I/O through its type parameter" (a generic I/O root), and the call
//! site decides: `serde_json::from_reader(File::open(p)?)` reads a file,
//! `serde_json::from_reader(&bytes[..])` reads memory. Values carry what
//! they read from in their type (`csv::Reader(io=fs)`), so a reader built
//! over a file blocks when its records are read later.

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

    fn marker(self) -> &'static str {
        match self {
            IoKind::Fs => "(io=fs)",
            IoKind::Net => "(io=net)",
            IoKind::Stdin => "(io=stdin)",
            IoKind::Pipe => "(io=pipe)",
            IoKind::Generic => "(io=generic)",
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
pub(crate) fn required_methods(method: &str) -> &'static [&'static str] {
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

/// The pseudo type of a value whose type is an I/O type parameter.
pub(crate) const GENERIC_IO_TYPE: &str = "std::io::Read(io=generic)";

/// What a value of type `ty` (a walker type string) reads from.
pub(crate) fn io_kind(ty: &str) -> Option<IoKind> {
    if let Some(start) = ty.find("(io=") {
        let marker = &ty[start..];
        return [
            IoKind::Fs,
            IoKind::Net,
            IoKind::Stdin,
            IoKind::Pipe,
            IoKind::Generic,
        ]
        .into_iter()
        .find(|k| marker.starts_with(k.marker()));
    }
    match ty {
        "std::fs::File" => Some(IoKind::Fs),
        "std::net::TcpStream" | "std::os::unix::net::UnixStream" => Some(IoKind::Net),
        "std::io::Stdin" | "std::io::StdinLock" => Some(IoKind::Stdin),
        "std::process::ChildStdout" | "std::process::ChildStderr" | "std::process::ChildStdin" => {
            Some(IoKind::Pipe)
        }
        _ => None,
    }
}

/// `ty` marked as reading from `kind`, unless it says already.
pub(crate) fn with_io(ty: String, kind: IoKind) -> String {
    // Only library and crate types: a `Vec<File>` is not itself read from,
    // and std's own I/O types are the catalog's.
    if ty.contains("(io=")
        || ty.contains('(')
        || ty.starts_with("std::")
        || ty.starts_with("core::")
        || !ty.contains("::")
    {
        return ty;
    }
    let mut ty = ty;
    ty.push_str(kind.marker());
    ty
}

/// A type without its I/O marker.
pub(crate) fn strip_io(ty: &str) -> &str {
    ty.find("(io=").map_or(ty, |i| &ty[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_from_types_and_markers() {
        assert_eq!(io_kind("std::fs::File"), Some(IoKind::Fs));
        assert_eq!(io_kind("csv::Reader(io=net)"), Some(IoKind::Net));
        assert_eq!(io_kind(GENERIC_IO_TYPE), Some(IoKind::Generic));
        assert_eq!(io_kind("std::net::TcpStream(nonblocking)"), None);
        assert_eq!(io_kind("std::io::Cursor"), None);
        assert_eq!(
            with_io("csv::Reader".into(), IoKind::Fs),
            "csv::Reader(io=fs)"
        );
        assert_eq!(
            with_io("std::io::Cursor".into(), IoKind::Fs),
            "std::io::Cursor"
        );
        assert_eq!(strip_io("csv::Reader(io=fs)"), "csv::Reader");
    }
}
