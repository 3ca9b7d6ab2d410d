//! Reading a source file without trusting it: binary files, invalid UTF-8
//! and code nested too deeply for a recursive-descent parser are refused with
//! a reason instead of crashing the process.

use pollguard_analysis::lex;
use std::path::Path;

/// The nesting score above which a file is not parsed.
///
/// syn and the walker recurse once per nesting level, and a stack overflow
/// aborts the process (it cannot be caught). The worker threads get
/// [`STACK_SIZE`] bytes of stack; measured on a debug build, code at this
/// depth in its deepest shapes (the test `deepest_accepted_code_fits_the_stack`)
/// overflows 64 MiB and fits in 128 MiB, so 256 MiB keeps a 2x margin, and
/// far more in release builds. No hand-written code comes near the limit.
pub const MAX_NESTING: usize = 3000;

/// Stack size of the threads that parse and analyse files.
pub const STACK_SIZE: usize = 256 << 20;

/// Why a file was not analysed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The file could not be read.
    Io(String),
    /// The file contains NUL bytes.
    Binary,
    /// The file is not UTF-8; the byte offset of the first bad byte.
    InvalidUtf8(usize),
    /// The file's nesting score is above [`MAX_NESTING`]; the 1-based line where it was exceeded.
    TooDeep {
        /// The line.
        line: usize,
    },
}

impl Refusal {
    /// The message printed after the path, lowercase.
    pub fn message(&self) -> String {
        match self {
            Refusal::Io(e) => format!("cannot read: {e}"),
            Refusal::Binary => "skipped: binary file (it contains NUL bytes)".to_owned(),
            Refusal::InvalidUtf8(at) => {
                format!("skipped: not valid UTF-8 (first bad byte at offset {at})")
            }
            Refusal::TooDeep { line } => format!(
                "skipped: code nested too deeply to analyse safely (more than {MAX_NESTING} levels of brackets and operators at line {line}); split the expression or add the file to `skip`"
            ),
        }
    }
}

/// Reads a file as text, refusing binary and non-UTF-8 content.
pub fn read(path: &Path) -> Result<String, Refusal> {
    let bytes = std::fs::read(path).map_err(|e| Refusal::Io(e.to_string()))?;
    decode(bytes)
}

/// Turns bytes into text, refusing binary and non-UTF-8 content.
pub fn decode(bytes: Vec<u8>) -> Result<String, Refusal> {
    if bytes.contains(&0) {
        return Err(Refusal::Binary);
    }
    String::from_utf8(bytes).map_err(|e| Refusal::InvalidUtf8(e.utf8_error().valid_up_to()))
}

/// Checks that `text` is not nested beyond [`MAX_NESTING`].
///
/// The score is an upper bound on the depth of the syntax tree, from tokens
/// alone: every open bracket counts one level, and so does every operator,
/// `.`, `as` and `else` since the last `,` or `;` at the same level, because
/// chains such as `a + b + c`, `x.f().g()`, `!!!x` or `else if` ladders nest
/// the tree (and its recursive drop) as deep as they are long. Strings,
/// chars and comments are skipped. Over-counting (`->`, `&self`, generics)
/// only matters far above any real code.
pub fn check_nesting(text: &str) -> Result<(), Refusal> {
    scan_for_parser(text, None)
}

/// The text syn is given for `text`: checked by [`check_nesting`], with doc
/// comments (`///`, `//!`, `/** */`, `/*! */`) turned into plain comments by
/// one byte each, so that lines and columns stay the same.
///
/// Nothing pollguard does reads a doc comment, and syn turns each into an
/// attribute holding its whole text, built, kept and dropped: in tokio's
/// sources, 46% of the bytes (the examples in them are never analysed
/// either). The hatch comments are read from the original text.
pub fn for_parser(text: &str) -> Result<std::borrow::Cow<'_, str>, Refusal> {
    let mut docs = Vec::new();
    scan_for_parser(text, Some(&mut docs))?;
    if docs.is_empty() {
        return Ok(std::borrow::Cow::Borrowed(text));
    }
    let mut bytes = text.as_bytes().to_vec();
    for i in docs {
        bytes[i] = b' ';
    }
    // Only ASCII `/`, `!` and `*` were replaced, by an ASCII space.
    Ok(std::borrow::Cow::Owned(
        String::from_utf8(bytes).expect("ASCII for ASCII keeps UTF-8"),
    ))
}

/// The byte that makes the comment at `i` (from `start` to `end`) a doc
/// comment, if it is one: the third of `///` (not `////`), `//!`, `/**`
/// (not `/***` or `/**/`) and `/*!`.
fn doc_marker(b: &[u8], i: usize, end: usize) -> Option<usize> {
    let third = *b.get(i + 2)?;
    let fourth = b.get(i + 3).copied().filter(|_| i + 3 < end);
    let doc = match (b[i + 1], third) {
        (_, b'!') => true,
        (b'/', b'/') => fourth != Some(b'/'),
        (b'*', b'*') => !matches!(fourth, Some(b'*' | b'/')) && i + 4 <= end,
        _ => false,
    };
    doc.then_some(i + 2)
}

fn scan_for_parser(text: &str, mut docs: Option<&mut Vec<usize>>) -> Result<(), Refusal> {
    let b = text.as_bytes();
    let mut stack: Vec<usize> = Vec::new();
    let mut base = 0usize;
    let mut cur = 0usize;
    let mut i = 0usize;
    // Every file of a run goes through here: the line is counted only for
    // the error, and most bytes (spaces, names) are stepped over in runs.
    let too_deep = |at: usize| Refusal::TooDeep {
        line: 1 + b[..at].iter().filter(|&&c| c == b'\n').count(),
    };
    while i < b.len() {
        let c = b[i];
        // A comment or a literal: nothing in it nests. (`r`, `b` and `c`
        // start a literal only where a name starts, which is always here:
        // a name is stepped over whole.)
        if matches!(c, b'/' | b'"' | b'\'' | b'r' | b'b' | b'c') {
            if let Some((piece, end)) = lex::piece_at(b, i) {
                if let (Some(docs), lex::Piece::LineComment | lex::Piece::BlockComment) =
                    (docs.as_deref_mut(), piece)
                {
                    docs.extend(doc_marker(b, i, end));
                }
                i = end.max(i + 1);
                continue;
            }
        }
        match c {
            b'(' | b'[' | b'{' => {
                stack.push(cur);
                base += cur + 1;
                cur = 0;
            }
            b')' | b']' | b'}' => {
                if let Some(outer) = stack.pop() {
                    base -= outer + 1;
                    // A chain goes on after `)` (`a.f().g()`); after `}`
                    // a new statement or item usually starts.
                    cur = if c == b'}' { 0 } else { outer };
                }
                i += 1;
                continue;
            }
            b',' | b';' => {
                cur = 0;
                i += 1;
                continue;
            }
            b'.' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'!' | b'<' | b'>'
            | b'?' | b'=' => cur += 1,
            _ if lex::is_ident_byte(c) => {
                let start = i;
                while i < b.len() && lex::is_ident_byte(b[i]) {
                    i += 1;
                }
                if matches!(&b[start..i], b"as" | b"else") {
                    cur += 1;
                    if base + cur > MAX_NESTING {
                        return Err(too_deep(start));
                    }
                }
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        }
        if base + cur > MAX_NESTING {
            return Err(too_deep(i));
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_code_is_shallow() {
        let src = "fn f(a: &str) -> Vec<u8> { let s = \"((((\"; if a.len() > 3 { vec![1, 2] } else { vec![] } }";
        assert!(check_nesting(src).is_ok());
    }

    /// Literals the hatch scanner also steps over (the shared lexer): a raw
    /// byte string holding a quote, a C string, char escapes. Brackets in
    /// them do not nest.
    #[test]
    fn brackets_in_any_literal_do_not_nest() {
        let deep = "(".repeat(5000);
        for lit in [
            format!("br#\"a \" {deep}\"#"),
            format!("cr\"{deep}\""),
            format!("b\"\\\" {deep}\""),
            format!("/* /* {deep} */ */ '\\u{{28}}'"),
        ] {
            let src = format!("fn f() {{ let s = {lit}; let c = '\\''; let d = b'('; }}");
            assert!(check_nesting(&src).is_ok(), "{src:.60}");
        }
    }

    #[test]
    fn deep_code_is_refused() {
        let parens = format!("fn f() {{ {}1{} }}", "(".repeat(5000), ")".repeat(5000));
        assert!(matches!(
            check_nesting(&parens),
            Err(Refusal::TooDeep { line: 1 })
        ));
        // The line counts every newline before the place, in comments and
        // strings too.
        let later = format!(
            "/* a\nb */\nconst S: &str = \"x\ny\";\nfn f() {{\n {}1{} }}",
            "(".repeat(5000),
            ")".repeat(5000)
        );
        assert_eq!(check_nesting(&later), Err(Refusal::TooDeep { line: 6 }));
        let unary = format!("fn f() {{ let x = {}true; }}", "!".repeat(5000));
        assert!(check_nesting(&unary).is_err());
        let chain = format!("fn f() {{ let x = 1{}; }}", " + 1".repeat(5000));
        assert!(check_nesting(&chain).is_err());
        let flat = format!("const A: [u8; 5000] = [{}];", "1, ".repeat(5000));
        assert!(check_nesting(&flat).is_ok());
        let items = "fn f(&self) -> &u8 { &self.x }\n".repeat(5000);
        assert!(check_nesting(&items).is_ok());
    }

    /// Doc comments become plain comments byte for byte; plain comments,
    /// and doc-comment look-alikes in literals, stay as they are.
    #[test]
    fn doc_comments_reach_the_parser_as_plain_comments() {
        let src = "//! crate doc\n/// item doc\n//// plain\n/** block doc */\n/*! inner */\n\
                   /**/ /*** plain */ fn f() { let s = \"/// in a string\"; } ///";
        let out = for_parser(src).unwrap();
        assert_eq!(out.len(), src.len());
        assert_eq!(
            out,
            "//  crate doc\n//  item doc\n//// plain\n/*  block doc */\n/*  inner */\n\
             /**/ /*** plain */ fn f() { let s = \"/// in a string\"; } // "
        );
        assert!(matches!(
            for_parser("fn f() {}"),
            Ok(std::borrow::Cow::Borrowed(_))
        ));
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(5000), ")".repeat(5000));
        assert!(for_parser(&deep).is_err());
        // Without its doc comments the file parses to the same items.
        let parsed = syn::parse_file(&out).unwrap();
        assert_eq!(parsed.items.len(), 1);
        assert!(parsed.attrs.is_empty());
    }

    #[test]
    fn binary_and_bad_utf8() {
        assert_eq!(decode(b"fn\0".to_vec()), Err(Refusal::Binary));
        assert_eq!(
            decode(b"fn f() {}\xff".to_vec()),
            Err(Refusal::InvalidUtf8(9))
        );
    }
}
