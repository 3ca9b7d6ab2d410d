//! Facts about dependencies for the attribute, which cannot read them.
//!
//! `cargo pollguard --deps --write-facts` reads the workspace's dependencies
//! as source and writes the calls the workspace makes into them that block
//! (one per line: the path as the workspace's code resolves it, the rule of
//! the blocking call reached, and that call with its place). The attribute
//! finds the file (see [`FILE_NAME`]) and reports those calls inside the
//! items it checks, as the CLI does, so the two agree again.
//!
//! ```
//! use pollguard_analysis::facts::{self, DependencyFact};
//! use pollguard_analysis::catalog::FS_OPEN;
//!
//! let written = facts::render(&[DependencyFact {
//!     path: "csv::Reader::from_path".to_owned(),
//!     rule: &FS_OPEN,
//!     via: "`std::fs::File::open` at csv-1.3.1/src/reader.rs:384".to_owned(),
//! }]);
//! let read = facts::parse(&written).unwrap();
//! assert_eq!(read[0].path, "csv::Reader::from_path");
//! assert_eq!(read[0].rule.code, "PG112");
//! ```

use crate::catalog::Rule;

/// The file's name; the attribute looks for it in the package's directory
/// and its parents (the workspace root), unless `POLLGUARD_FACTS` names it.
pub const FILE_NAME: &str = "pollguard-facts.txt";

/// A call into a dependency that blocks.
#[derive(Clone, Debug)]
pub struct DependencyFact {
    /// The callee as the workspace's code resolves it (`csv::Reader::from_path`).
    pub path: String,
    /// The rule of the blocking call it reaches.
    pub rule: &'static Rule,
    /// That call and where it is (`` `std::fs::File::open` at csv-1.3.1/src/reader.rs:384 ``).
    pub via: String,
}

const HEADER: &str = "# pollguard facts: calls into dependencies that block, found by reading their sources.\n# Written by `cargo pollguard --deps --write-facts`; `#[pollguard::no_blocking]` reads it.\n# One per line, tab-separated: path, rule, what it reaches.\n";

/// The file's text: a header, then the facts sorted by path.
pub fn render(facts: &[DependencyFact]) -> String {
    let mut sorted: Vec<&DependencyFact> = facts.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out = HEADER.to_owned();
    for f in sorted {
        out.push_str(&format!("{}\t{}\t{}\n", f.path, f.rule.code, f.via));
    }
    out
}

/// Reads the file's text; an error names the line and what is wrong.
pub fn parse(text: &str) -> Result<Vec<DependencyFact>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.splitn(3, '\t');
        let (Some(path), Some(code), via) = (parts.next(), parts.next(), parts.next()) else {
            return Err(format!(
                "line {}: expected `path<TAB>rule<TAB>what it reaches`; write the file again with `cargo pollguard --deps --write-facts`",
                i + 1
            ));
        };
        let rule = Rule::find_blocking(code).ok_or_else(|| {
            format!(
                "line {}: `{code}` is not a blocking rule of this pollguard; write the file again with `cargo pollguard --deps --write-facts`",
                i + 1
            )
        })?;
        out.push(DependencyFact {
            path: path.trim().to_owned(),
            rule,
            via: via.unwrap_or("").trim().to_owned(),
        });
    }
    Ok(out)
}
