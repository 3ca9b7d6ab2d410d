//! What the walker knows of a value's type: a resolved path and the few
//! facts about the value that decide whether its methods block.

use crate::io::{Addr, IoKind};

/// The path of [`Ty::iterator`]'s pseudo type.
const ITERATOR: &str = "std::iter::Iterator";

/// The path of [`Ty::pair`]'s pseudo type.
const PAIR: &str = "(_, _)";

/// A value's type as the walker knows it, without the compiler: the path
/// of its type (`std::net::TcpStream`, `crate::db::Pool`), what a lock
/// guards, what a reader reads from, and what was done to the value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Ty {
    /// The type's full path, generic arguments left out.
    pub path: String,
    /// For a lock (`Mutex<Conn>`), what it guards: `m.lock()` has its methods.
    pub inner: Option<Box<Ty>>,
    /// For a library's reader or writer built over a file or socket
    /// (`csv::Reader<File>`), what its reads and writes reach.
    pub io: Option<IoKind>,
    /// `set_nonblocking(true)` was called on it: its I/O returns at once.
    pub nonblocking: bool,
    /// The sending end of a channel made without a bound: a send never waits.
    pub unbounded: bool,
    /// As a `ToSocketAddrs`: an address written out, or a generic parameter.
    pub addr: Addr,
    /// The type arguments, where they resolve (`Pool<SqliteConnectionManager>`):
    /// a method's return type and a `Deref` target may name them. Inside a
    /// library's generic impl, its parameters are written `$0`, `$1`, ..
    /// (positions in the impl's self type), replaced by the receiver's own
    /// arguments at the call ([`Ty::substituted`]).
    pub args: Vec<Ty>,
}

impl Ty {
    /// A type known by its path alone.
    pub fn new(path: impl Into<String>) -> Ty {
        Ty {
            path: path.into(),
            ..Ty::default()
        }
    }

    /// The pseudo type of a value whose type is an I/O type parameter
    /// (`r: R` with `R: Read`): whatever the caller gives.
    pub fn generic_io() -> Ty {
        Ty {
            io: Some(IoKind::Generic),
            ..Ty::new("std::io::Read")
        }
    }

    /// The pseudo type of a value written out as an address (`"10.0.0.1:53"`,
    /// a const holding one).
    pub fn address_literal() -> Ty {
        Ty {
            addr: Addr::Resolved,
            ..Ty::new("str")
        }
    }

    /// The pseudo type of a parameter generic over `ToSocketAddrs`.
    pub fn generic_addr() -> Ty {
        Ty {
            addr: Addr::Generic,
            ..Ty::new("std::net::ToSocketAddrs")
        }
    }

    /// The pseudo type of an iterator whose items are `item`, made from a
    /// collection the walker follows (`list.iter_mut()`, `map.values()`).
    pub fn iterator(item: Ty) -> Ty {
        Ty {
            args: vec![item],
            ..Ty::new(ITERATOR)
        }
    }

    /// The pseudo type of a pair, a map's `(key, value)` item: a tuple
    /// pattern binds each half.
    pub fn pair(a: Ty, b: Ty) -> Ty {
        Ty {
            args: vec![a, b],
            ..Ty::new(PAIR)
        }
    }

    /// Whether it is the pseudo type of an iterator (see [`Ty::iterator`]).
    pub fn is_iterator(&self) -> bool {
        self.path == ITERATOR
    }

    /// The halves of a pair (see [`Ty::pair`]), each when known.
    pub fn halves(&self) -> Option<[Option<Ty>; 2]> {
        if self.path != PAIR {
            return None;
        }
        let half = |i: usize| self.args.get(i).filter(|t| t.is_known()).cloned();
        Some([half(0), half(1)])
    }

    /// A lock and what it guards.
    pub fn guarding(path: impl Into<String>, inner: Ty) -> Ty {
        Ty {
            inner: Some(Box::new(inner)),
            ..Ty::new(path)
        }
    }

    /// Whether the catalog's rules apply to it as to any value of its type:
    /// not when something done to this value (`set_nonblocking`, an
    /// unbounded channel) makes its calls return at once.
    pub fn is_plain(&self) -> bool {
        !self.nonblocking && !self.unbounded
    }

    /// What a value of this type reads from or writes to, if anything.
    pub fn io_kind(&self) -> Option<IoKind> {
        if self.nonblocking {
            return None;
        }
        if self.io.is_some() {
            return self.io;
        }
        match self.path.as_str() {
            "std::fs::File" => Some(IoKind::Fs),
            "std::net::TcpStream" | "std::os::unix::net::UnixStream" => Some(IoKind::Net),
            "std::io::Stdin" | "std::io::StdinLock" => Some(IoKind::Stdin),
            "std::process::ChildStdout"
            | "std::process::ChildStderr"
            | "std::process::ChildStdin" => Some(IoKind::Pipe),
            _ => None,
        }
    }

    /// The type marked as reading from `kind`, unless it says already. Only
    /// library and crate types take it: a `Vec<File>` is not itself read
    /// from, and std's own I/O types are the catalog's.
    pub fn with_io(mut self, kind: IoKind) -> Ty {
        let marked = self.io.is_some()
            || self.inner.is_some()
            || self.nonblocking
            || self.unbounded
            || self.path.starts_with("std::")
            || self.path.starts_with("core::")
            || !self.path.contains("::");
        if !marked {
            self.io = Some(kind);
        }
        self
    }

    /// Whether the type is known: not an argument that did not resolve, nor
    /// an impl parameter the receiver did not fill.
    pub fn is_known(&self) -> bool {
        !self.path.is_empty() && !self.path.starts_with('$')
    }

    /// The type with the impl parameters it names (`$0`, see [`Ty::args`])
    /// replaced by `args`; a parameter `args` does not hold stays as it is.
    pub fn substituted(&self, args: &[Ty]) -> Ty {
        if let Some(i) = self
            .path
            .strip_prefix('$')
            .and_then(|i| i.parse::<usize>().ok())
        {
            if let Some(a) = args.get(i) {
                return a.clone();
            }
        }
        Ty {
            inner: self.inner.as_ref().map(|t| Box::new(t.substituted(args))),
            args: self.args.iter().map(|t| t.substituted(args)).collect(),
            ..self.clone()
        }
    }

    /// The same type with every path renamed (`crate::x` of a dependency to
    /// the name the caller knows it by).
    pub fn renamed(&self, rename: &dyn Fn(&str) -> String) -> Ty {
        Ty {
            path: rename(&self.path),
            inner: self.inner.as_ref().map(|i| Box::new(i.renamed(rename))),
            args: self.args.iter().map(|a| a.renamed(rename)).collect(),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_comes_from_the_type_or_the_mark() {
        assert_eq!(Ty::new("std::fs::File").io_kind(), Some(IoKind::Fs));
        assert_eq!(
            Ty::new("csv::Reader").with_io(IoKind::Net).io_kind(),
            Some(IoKind::Net)
        );
        assert_eq!(Ty::generic_io().io_kind(), Some(IoKind::Generic));
        let nonblocking = Ty {
            nonblocking: true,
            ..Ty::new("std::net::TcpStream")
        };
        assert_eq!(nonblocking.io_kind(), None);
        assert_eq!(Ty::new("std::io::Cursor").io_kind(), None);
        // Only library and crate types are marked.
        assert_eq!(Ty::new("std::vec::Vec").with_io(IoKind::Fs).io, None);
        assert_eq!(Ty::new("Reader").with_io(IoKind::Fs).io, None);
        let marked = Ty::new("csv::Reader").with_io(IoKind::Fs);
        assert_eq!(marked.clone().with_io(IoKind::Net), marked);
    }

    #[test]
    fn renaming_reaches_what_a_lock_guards() {
        let t = Ty::guarding("crate::Lock", Ty::new("crate::Conn"));
        let r = t.renamed(&|p| p.replacen("crate", "dep", 1));
        assert_eq!(r.path, "dep::Lock");
        assert_eq!(r.inner.map(|i| i.path), Some("dep::Conn".to_owned()));
    }
}
