//! The one lexer for comments and literals: where each starts and ends.
//!
//! Two scanners read source text without parsing it: the escape-hatch
//! comment finder (`// pollguard: allow(..)` counts only outside literals)
//! and the CLI's guard against nesting too deep for the parser. They step
//! over the same things with this module, so they cannot disagree on a
//! string prefix or a char escape.
//!
//! ```
//! use pollguard_analysis::lex::{Piece, piece_at};
//!
//! let src = r##"let s = br#"a "quoted" // not a comment"#; // a comment"##;
//! let start = src.find("br#").unwrap();
//! let (piece, end) = piece_at(src.as_bytes(), start).unwrap();
//! assert_eq!(piece, Piece::Str);
//! assert_eq!(&src[end..], "; // a comment");
//! let comment = src.rfind("//").unwrap();
//! assert_eq!(piece_at(src.as_bytes(), comment), Some((Piece::LineComment, src.len())));
//! // A lifetime is not a char literal.
//! assert_eq!(piece_at(b"&'a str", 1), None);
//! ```

/// What starts at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece {
    /// `// ..` to the end of the line (the newline not included).
    LineComment,
    /// `/* .. */`, nested.
    BlockComment,
    /// A string: `".."`, `r#".."#`, `b".."`, `br".."`, `c".."`, `cr#".."#`.
    Str,
    /// A char or byte: `'x'`, `'\n'`, `'\u{1F600}'`, `b'x'`.
    Char,
}

/// Whether byte `c` can be part of an identifier (non-ASCII counts: a
/// Unicode identifier's bytes are all at least 0x80).
pub fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// The comment or literal starting at byte `i` of `b`, and the index just
/// past it; `None` when none starts there (a lifetime, a raw identifier
/// `r#type`, an identifier that begins with `r`, `b` or `c`, code).
pub fn piece_at(b: &[u8], i: usize) -> Option<(Piece, usize)> {
    match b.get(i)? {
        b'/' => match b.get(i + 1) {
            Some(b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
                Some((Piece::LineComment, end))
            }
            Some(b'*') => Some((Piece::BlockComment, block_comment_end(b, i))),
            _ => None,
        },
        b'"' => Some((Piece::Str, string_end(b, i + 1, None))),
        b'\'' => char_end(b, i).map(|end| (Piece::Char, end)),
        b'r' | b'b' | b'c' if i == 0 || !is_ident_byte(b[i - 1]) => prefixed(b, i),
        _ => None,
    }
}

/// Past a `/* .. */` comment starting at `i`.
fn block_comment_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0usize;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// Past the closing quote of a string whose body starts at `i`; `raw` is
/// the number of `#` of a raw string, which has no escapes.
fn string_end(b: &[u8], mut i: usize, raw: Option<usize>) -> usize {
    while i < b.len() {
        match (b[i], raw) {
            (b'\\', None) => i += 2,
            (b'"', None) => return i + 1,
            (b'"', Some(hashes)) => {
                let end = i + 1 + hashes;
                if end <= b.len() && b[i + 1..end].iter().all(|&c| c == b'#') {
                    return end;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    b.len()
}

/// A char literal at `i` (its opening quote): past it, or `None` for a
/// lifetime or a label (`'a`, `'static`).
fn char_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i + 1) == Some(&b'\\') {
        // `'\n'`, `'\''`, `'\\'`, `'\u{10FFFF}'`: the escape, then the quote.
        let body = i + 2;
        let close = match b.get(body) {
            Some(b'u') => b[body..]
                .iter()
                .position(|&c| c == b'}')
                .map(|p| body + p + 1),
            Some(b'x') => Some(body + 3),
            Some(_) => Some(body + 1),
            None => None,
        }?;
        return (b.get(close) == Some(&b'\'')).then_some(close + 1);
    }
    let len = match b.get(i + 1)? {
        b'\'' | b'\n' => return None,
        &c if c < 0x80 => 1,
        &c if c >= 0xF0 => 4,
        &c if c >= 0xE0 => 3,
        _ => 2,
    };
    (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 2 + len)
}

/// `r".."`, `r#".."#`, `b".."`, `br#".."#`, `c".."`, `cr".."`, `b'x'`.
fn prefixed(b: &[u8], i: usize) -> Option<(Piece, usize)> {
    let mut j = i + 1;
    if b[i] == b'b' && b.get(j) == Some(&b'\'') {
        return char_end(b, j).map(|end| (Piece::Char, end));
    }
    if b[i] != b'r' && b.get(j) == Some(&b'r') {
        j += 1;
    }
    if b[j - 1] != b'r' {
        return (b.get(j) == Some(&b'"')).then(|| (Piece::Str, string_end(b, j + 1, None)));
    }
    let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
    let quote = j + hashes;
    // `r#type` is a raw identifier, not a string.
    (b.get(quote) == Some(&b'"')).then(|| (Piece::Str, string_end(b, quote + 1, Some(hashes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(src: &str) -> Vec<(Piece, &str)> {
        let b = src.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < b.len() {
            match piece_at(b, i) {
                Some((p, end)) => {
                    out.push((p, &src[i..end]));
                    i = end;
                }
                None => i += 1,
            }
        }
        out
    }

    #[test]
    fn literals_and_comments() {
        let cases: &[(&str, &[(Piece, &str)])] = &[
            ("a // b\nc", &[(Piece::LineComment, "// b")]),
            (
                "/* a /* b */ c */ d",
                &[(Piece::BlockComment, "/* a /* b */ c */")],
            ),
            (r#"x("a\"b") "#, &[(Piece::Str, r#""a\"b""#)]),
            (r##"r#"a"b"# z"##, &[(Piece::Str, r##"r#"a"b"#"##)]),
            (r#"r"a\" z"#, &[(Piece::Str, r#"r"a\""#)]),
            (
                r##"br#"//"# c"x" cr"y""##,
                &[
                    (Piece::Str, r##"br#"//"#"##),
                    (Piece::Str, r#"c"x""#),
                    (Piece::Str, r#"cr"y""#),
                ],
            ),
            (
                r"b'\'' '\u{1F600}' '\\' 'é' '\x7f'",
                &[
                    (Piece::Char, r"b'\''"),
                    (Piece::Char, r"'\u{1F600}'"),
                    (Piece::Char, r"'\\'"),
                    (Piece::Char, "'é'"),
                    (Piece::Char, r"'\x7f'"),
                ],
            ),
            ("fn f<'a>(x: &'a str) -> &'static str", &[]),
            ("let r#type = 1; br = 2; crab", &[]),
            ("'label: loop { break 'label; }", &[]),
        ];
        for (src, want) in cases {
            assert_eq!(pieces(src), *want, "{src}");
        }
    }
}
