//! What the dependencies give the workspace, closed once per resolved set
//! of packages and read lazily.
//!
//! The dependencies' models and the closure over their fns do not depend on
//! the workspace's code, only on the crates read. A cold run stores them as
//! one view: a small header (which crates were read, every fn's unit,
//! whether the closure found it reaching anything, and its callees) and a
//! body of sections, each hashed in the header and decoded only when used:
//! a crate's items (for its model), the fns of one crate key (for lookups),
//! and the summaries of a crate's fns that reach something. A warm run
//! builds the models the workspace's code goes into and runs the closure on
//! the workspace's fns plus the dependency fns they reach, which gives every
//! fn the answer the closure over all of them gives (see
//! [`pollguard_analysis::transitive::reach`]).
//!
//! The view's key covers the graph (every crate's cache key, its deps, its
//! manifest data) and every crate's entry key (host `cfg`, pollguard's build),
//! so a change to any of them reads another view.

use crate::deps::{Cache, DepGraph};
use crate::diag::Pos;
use crate::scan::FileAnalysis;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use pollguard_analysis::FnSummary;
use pollguard_analysis::model::FileItems;
use pollguard_analysis::transitive::{Reach, key};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Bumped when the view's layout or meaning changes.
const VIEW_FORMAT: &str = "pollguard view 1";

/// Where a section is in the body, and the SHA-256 of its bytes.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Sect {
    at: u64,
    len: u64,
    sum: [u8; 32],
}

/// A fn kept for the closure: its summary when it reaches something, else
/// only its path (to its callers it is a name that a lookup stops at).
#[derive(Serialize, Deserialize)]
struct Record {
    /// Its number among all dependency fns.
    g: u32,
    /// The summary of an active fn.
    summary: Option<FnSummary<Pos>>,
    /// The path of an inactive one.
    path: String,
    /// What its crate's model answered for each path its calls look up.
    answers: Vec<(String, Resolved)>,
}

/// The view's header.
#[derive(Serialize, Deserialize)]
struct Header {
    format: String,
    /// The crates read, by index in [`DepGraph::crates`].
    needed: Vec<usize>,
    /// What could not be read.
    problems: Vec<String>,
    /// Bytes of source read.
    lines: usize,
    /// The cache key of the body.
    body: String,
    /// Each dependency file walked: its crate and how chains name it.
    units: Vec<(usize, String)>,
    /// Each fn's unit.
    fn_unit: Vec<u32>,
    /// Whether each fn reaches anything.
    active: Vec<bool>,
    /// Each active fn's callees: `edges[edges_at[g]..edges_at[g + 1]]`.
    edges_at: Vec<u32>,
    edges: Vec<u32>,
    /// The keys the dependency fns' lookups try that no dependency fn has
    /// and whose first part is not a dependency crate's key (`std` in an
    /// unresolved `std::Cow::from`): by first part, the sorted hashes of
    /// the rest ([`rest_hash`]), those of lookups with one candidate path
    /// and those of lookups with several (see [`lookup_paths`]). A
    /// workspace fn keyed the same is what those lookups find.
    collide: BTreeMap<String, Sect>,
    /// Each crate's items.
    models: BTreeMap<usize, Sect>,
    /// The fns of each first key part: `(rest, g)`.
    index: BTreeMap<String, Sect>,
    /// Each crate's records.
    records: BTreeMap<usize, Sect>,
}

/// One index section decoded: the rest of a key to its fn.
type Table = Arc<HashMap<String, u32>>;

/// What a crate's model resolves a path to: its crate key and inner path.
pub(crate) type Resolved = Option<(String, String)>;

/// Where the body is.
enum Body {
    /// Built by this run.
    Memory(Vec<u8>),
    /// In the cache.
    Cached(Cache, String),
}

/// A view, loaded.
pub(crate) struct View {
    head: Header,
    body: Body,
    /// Index sections decoded so far; `None` for one that failed.
    index: Mutex<HashMap<String, Option<Table>>>,
}

/// The dependency side of one closure: the dependency files with the fns
/// the workspace reaches, and the answers their crates' models gave.
#[derive(Default)]
pub(crate) struct DepPart {
    /// Each file: its crate, how chains name it, its fns kept.
    pub units: Vec<(usize, String, FileAnalysis)>,
    /// By crate, what its model resolved each path to.
    pub answers: HashMap<usize, HashMap<String, Resolved>>,
}

/// The key of the view of `graph` whose crates have these entry keys;
/// `None` if the graph cannot be encoded (then no view is kept).
pub(crate) fn view_key(graph: &DepGraph, entry_keys: &[String]) -> Option<String> {
    let mut h = Sha256::new();
    h.update(VIEW_FORMAT.as_bytes());
    h.update(crate::depscan::CATALOGUED.join(",").as_bytes());
    // Everything the graph says of each crate (name, lib name, links,
    // categories, root, deps): a manifest edit of a path dependency changes
    // it even when its sources do not change.
    h.update(rmp_serde::to_vec(&graph.crates).ok()?);
    let mut roots: Vec<_> = graph.roots.iter().collect();
    roots.sort();
    h.update(rmp_serde::to_vec(&roots).ok()?);
    for k in entry_keys {
        h.update(k.as_bytes());
        h.update([0]);
    }
    Some(format!("view-{:x}", h.finalize()))
}

/// What a view is built from: one run's reading of every crate it needed.
pub(crate) struct Parts<'a> {
    pub needed: Vec<usize>,
    pub problems: Vec<String>,
    pub lines: usize,
    /// Each crate's items, encoded.
    pub items: HashMap<usize, Vec<u8>>,
    /// Each file walked: its crate, display, fns.
    pub units: Vec<(usize, &'a str, &'a [FnSummary<Pos>])>,
    /// Each crate's key in the closure.
    pub keys: &'a HashMap<usize, String>,
    /// What [`pollguard_analysis::transitive::reach`] found for every fn.
    pub reach: Vec<Reach>,
    /// What crate `c`'s model resolves a path to.
    pub resolve: &'a dyn Fn(usize, &str) -> Resolved,
}

/// The paths a lookup of `path` may try: itself, and for a provided
/// `std::io` method the methods it moves its bytes through.
pub(crate) fn lookup_paths(path: &str) -> impl Iterator<Item = String> + '_ {
    let variants = path.rsplit_once("::").into_iter().flat_map(|(ty, method)| {
        pollguard_analysis::io::required_methods(method)
            .iter()
            .map(move |m| format!("{ty}::{m}"))
    });
    std::iter::once(path.to_owned()).chain(variants)
}

/// Builds the view (header and body, encoded) from a run's reading.
pub(crate) fn build(p: &Parts<'_>) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut body = Vec::new();
    let sect = |bytes: &[u8], body: &mut Vec<u8>| {
        let s = Sect {
            at: body.len() as u64,
            len: bytes.len() as u64,
            sum: Sha256::digest(bytes).into(),
        };
        body.extend_from_slice(bytes);
        s
    };
    let mut models = BTreeMap::new();
    for c in &p.needed {
        if let Some(b) = p.items.get(c) {
            models.insert(*c, sect(b, &mut body));
        }
    }
    // Every fn, numbered as `reach` numbers them.
    let mut fns: Vec<(usize, &FnSummary<Pos>)> = Vec::new();
    for (u, (_, _, unit_fns)) in p.units.iter().enumerate() {
        fns.extend(unit_fns.iter().map(|f| (u, f)));
    }
    if fns.len() != p.reach.len() || u32::try_from(fns.len()).is_err() {
        return None;
    }
    let krate_key = |u: usize| p.keys.get(&p.units[u].0).map_or("", String::as_str);
    let dep_keys: HashSet<&str> = p.keys.values().map(String::as_str).collect();
    // The closure's index: the last fn of a key wins, as in the closure.
    let mut by_key: HashMap<(&str, &str), u32> = HashMap::new();
    for (g, (u, f)) in fns.iter().enumerate() {
        by_key.insert(key(krate_key(*u), &f.path), g as u32);
    }
    // Every fn's lookups, inactive ones too: a workspace fn they found
    // could make them active, and they are kept as names only.
    let mut firsts: HashMap<String, (HashSet<u64>, HashSet<u64>)> = HashMap::new();
    for (u, f) in &fns {
        for call in &f.calls {
            let candidates: Vec<String> = lookup_paths(&call.path).collect();
            for x in &candidates {
                let k = key(krate_key(*u), x);
                if dep_keys.contains(k.0) || by_key.contains_key(&k) {
                    continue;
                }
                let (single, multi) = firsts.entry(k.0.to_owned()).or_default();
                let set = if candidates.len() > 1 { multi } else { single };
                set.insert(rest_hash(k.1));
            }
        }
    }
    let mut grouped: BTreeMap<&str, Vec<(&str, u32)>> = BTreeMap::new();
    for ((first, rest), g) in by_key {
        grouped.entry(first).or_default().push((rest, g));
    }
    let mut index = BTreeMap::new();
    for (first, mut entries) in grouped {
        entries.sort_unstable();
        index.insert(
            first.to_owned(),
            sect(&rmp_serde::to_vec(&entries).ok()?, &mut body),
        );
    }
    // Records: active fns with their answers, and the inactive fns an
    // active one calls (by path only).
    let mut stub = vec![false; fns.len()];
    for r in p.reach.iter().filter(|r| r.active) {
        for &c in &r.callees {
            if let Some(s) = stub.get_mut(c) {
                *s = true;
            }
        }
    }
    let mut records: BTreeMap<usize, Vec<Record>> = BTreeMap::new();
    for (g, (u, f)) in fns.iter().enumerate() {
        let krate = p.units[*u].0;
        let rec = if p.reach[g].active {
            let mut answers = Vec::new();
            let mut asked = HashSet::new();
            for call in &f.calls {
                for x in lookup_paths(&call.path) {
                    if asked.insert(x.clone()) {
                        let a = (p.resolve)(krate, &x);
                        answers.push((x, a));
                    }
                }
            }
            Record {
                g: g as u32,
                summary: Some((*f).clone()),
                path: String::new(),
                answers,
            }
        } else if stub[g] {
            Record {
                g: g as u32,
                summary: None,
                path: f.path.clone(),
                answers: Vec::new(),
            }
        } else {
            continue;
        };
        records.entry(krate).or_default().push(rec);
    }
    let mut record_sects = BTreeMap::new();
    for (krate, recs) in records {
        record_sects.insert(krate, sect(&rmp_serde::to_vec(&recs).ok()?, &mut body));
    }
    let mut edges_at = Vec::with_capacity(fns.len() + 1);
    let mut edges = Vec::new();
    for r in &p.reach {
        edges_at.push(u32::try_from(edges.len()).ok()?);
        if r.active {
            edges.extend(r.callees.iter().map(|&c| c as u32));
        }
    }
    edges_at.push(u32::try_from(edges.len()).ok()?);
    let mut collide = BTreeMap::new();
    for (first, (single, multi)) in firsts {
        let sorted = |h: HashSet<u64>| {
            let mut v: Vec<u64> = h.into_iter().collect();
            v.sort_unstable();
            v
        };
        let bytes = rmp_serde::to_vec(&(sorted(single), sorted(multi))).ok()?;
        collide.insert(first, sect(&bytes, &mut body));
    }
    let head = Header {
        format: VIEW_FORMAT.to_owned(),
        needed: p.needed.clone(),
        problems: p.problems.clone(),
        lines: p.lines,
        body: format!("viewbody-{:x}", Sha256::digest(&body)),
        units: p
            .units
            .iter()
            .map(|(c, d, _)| (*c, (*d).to_owned()))
            .collect(),
        fn_unit: fns.iter().map(|(u, _)| *u as u32).collect(),
        active: p.reach.iter().map(|r| r.active).collect(),
        edges_at,
        edges,
        collide,
        models,
        index,
        records: record_sects,
    };
    Some((rmp_serde::to_vec(&head).ok()?, body))
}

impl View {
    /// The view under `key` in the cache, when its header is there and
    /// sound; its body is checked section by section as it is read.
    pub(crate) fn load(cache: &Cache, key: &str) -> Option<View> {
        let bytes = cache.get(key)?;
        let head: Header = rmp_serde::from_slice(&bytes).ok()?;
        let view = View::with_body(head, Body::Cached(Cache::at(cache.dir()), String::new()))?;
        let body_key = view.head.body.clone();
        cache.touch(&body_key);
        Some(View {
            body: Body::Cached(Cache::at(cache.dir()), body_key),
            ..view
        })
    }

    /// A view built by this run, stored in `cache` when there is one.
    pub(crate) fn store(
        cache: Option<&Cache>,
        key: &str,
        head: Vec<u8>,
        body: Vec<u8>,
    ) -> Option<View> {
        let head: Header = rmp_serde::from_slice(&head).ok()?;
        if let Some(c) = cache {
            // The body first: a header is never there without its body.
            c.put(&head.body, &body);
            if let Ok(bytes) = rmp_serde::to_vec(&head) {
                c.put(key, &bytes);
            }
        }
        View::with_body(head, Body::Memory(body))
    }

    fn with_body(head: Header, body: Body) -> Option<View> {
        let n = head.fn_unit.len();
        let sound = head.format == VIEW_FORMAT
            && head.active.len() == n
            && head.edges_at.len() == n + 1
            && head.edges_at.windows(2).all(|w| w[0] <= w[1])
            && head
                .edges_at
                .last()
                .is_some_and(|&e| e as usize == head.edges.len())
            && head.edges.iter().all(|&e| (e as usize) < n)
            && head
                .fn_unit
                .iter()
                .all(|&u| (u as usize) < head.units.len());
        sound.then(|| View {
            head,
            body,
            index: Mutex::new(HashMap::new()),
        })
    }

    /// Whether every crate the view names is one it read, of a graph of `n`
    /// crates (a view is keyed by its graph; this keeps a mismatch from
    /// indexing out of it or naming a crate without a model).
    pub(crate) fn fits(&self, n: usize) -> bool {
        let needed: HashSet<usize> = self.head.needed.iter().copied().collect();
        needed.iter().all(|&c| c < n)
            && self.head.units.iter().all(|(c, _)| needed.contains(c))
            && self
                .head
                .models
                .keys()
                .chain(self.head.records.keys())
                .all(|c| needed.contains(c))
    }

    /// The crates read.
    pub(crate) fn needed(&self) -> &[usize] {
        &self.head.needed
    }

    /// What could not be read.
    pub(crate) fn problems(&self) -> &[String] {
        &self.head.problems
    }

    /// Bytes of source read.
    pub(crate) fn lines(&self) -> usize {
        self.head.lines
    }

    /// A section's bytes, when they hash as the header says.
    fn section(&self, s: &Sect) -> Option<Vec<u8>> {
        let bytes = match &self.body {
            Body::Memory(b) => {
                let end = s.at.checked_add(s.len)?;
                b.get(usize::try_from(s.at).ok()?..usize::try_from(end).ok()?)?
                    .to_vec()
            }
            Body::Cached(cache, key) => cache.get_range(key, s.at, s.len)?,
        };
        (Sha256::digest(&bytes).as_slice() == s.sum).then_some(bytes)
    }

    /// Crate `c`'s items, encoded as [`decode_items`] reads them.
    pub(crate) fn items(&self, c: usize) -> Option<Vec<(Vec<String>, FileItems)>> {
        let bytes = self.section(self.head.models.get(&c)?)?;
        rmp_serde::from_slice(&bytes).ok()
    }

    /// The fn a lookup key finds; `Err` when its section is unreadable.
    fn lookup(&self, first: &str, rest: &str) -> Result<Option<u32>, ()> {
        let Some(s) = self.head.index.get(first) else {
            return Ok(None);
        };
        let mut cached = self.index.lock().map_err(|_| ())?;
        let table = cached
            .entry(first.to_owned())
            .or_insert_with(|| {
                let bytes = self.section(s)?;
                let entries: Vec<(String, u32)> = rmp_serde::from_slice(&bytes).ok()?;
                Some(Arc::new(entries.into_iter().collect()))
            })
            .clone()
            .ok_or(())?;
        Ok(table.get(rest).copied())
    }

    /// What a workspace fn keyed `(first, rest)` is to the dependencies'
    /// lookups: found by none, found by lookups of one candidate path, or
    /// by one of several candidates; `None` when the section that says is
    /// unreadable.
    fn collides(&self, first: &str, rest: &str) -> Option<Found> {
        let Some(s) = self.head.collide.get(first) else {
            return Some(Found::No);
        };
        let (single, multi): (Vec<u64>, Vec<u64>) =
            rmp_serde::from_slice(&self.section(s)?).ok()?;
        let h = rest_hash(rest);
        Some(if multi.binary_search(&h).is_ok() {
            Found::AmongOthers
        } else if single.binary_search(&h).is_ok() {
            Found::Alone
        } else {
            Found::No
        })
    }

    /// The dependency side of the closure of workspace fns keyed as
    /// `ws_keys` whose calls look up `lookups` (each key a lookup may try,
    /// written or resolved), and the workspace keys that dependency lookups
    /// find: the answer holds only if no workspace fn of those keys reaches
    /// anything in the closure run with it (the caller checks). `None` when
    /// the view cannot answer: a workspace fn is one candidate of a
    /// dependency lookup of several (which one is found depends on what the
    /// workspace defines), or a section is unreadable.
    pub(crate) fn part<'k, 'w>(
        &self,
        ws_keys: &[(&'w str, &'w str)],
        lookups: impl IntoIterator<Item = (&'k str, &'k str)>,
    ) -> Option<(DepPart, Vec<(&'w str, &'w str)>)> {
        let mut found = Vec::new();
        for &(first, rest) in ws_keys {
            match self.collides(first, rest)? {
                Found::No => {}
                Found::Alone => found.push((first, rest)),
                Found::AmongOthers => return None,
            }
        }
        let n = self.head.fn_unit.len();
        let mut seen = vec![false; n];
        let mut paths: HashMap<u32, String> = HashMap::new();
        let mut stack = Vec::new();
        for (first, rest) in lookups {
            if let Some(g) = self.lookup(first, rest).ok()? {
                if g as usize >= n {
                    return None;
                }
                if !self.head.active[g as usize] {
                    let unit = self.head.units[self.head.fn_unit[g as usize] as usize].0;
                    let own = self.key_is_crate(first, unit);
                    let path = if own {
                        format!("crate::{rest}")
                    } else if first.is_empty() {
                        rest.to_owned()
                    } else {
                        format!("{first}::{rest}")
                    };
                    paths.insert(g, path);
                }
                stack.push(g);
            }
        }
        while let Some(g) = stack.pop() {
            let gi = g as usize;
            if std::mem::replace(&mut seen[gi], true) {
                continue;
            }
            if self.head.active[gi] {
                let (a, b) = (self.head.edges_at[gi], self.head.edges_at[gi + 1]);
                stack.extend(&self.head.edges[a as usize..b as usize]);
            }
        }
        // Records of the crates holding a fn kept.
        let mut crates: Vec<usize> = (0..n)
            .filter(|&g| seen[g] && (self.head.active[g] || !paths.contains_key(&(g as u32))))
            .map(|g| self.head.units[self.head.fn_unit[g] as usize].0)
            .collect();
        crates.sort_unstable();
        crates.dedup();
        let mut recs: HashMap<u32, Record> = HashMap::new();
        let mut answers: HashMap<usize, HashMap<String, _>> = HashMap::new();
        for c in crates {
            let bytes = self.section(self.head.records.get(&c)?)?;
            let list: Vec<Record> = rmp_serde::from_slice(&bytes).ok()?;
            for mut r in list {
                if seen.get(r.g as usize) == Some(&true) {
                    for (path, a) in std::mem::take(&mut r.answers) {
                        answers.entry(c).or_default().insert(path, a);
                    }
                    recs.insert(r.g, r);
                }
            }
        }
        let mut units: BTreeMap<u32, Vec<FnSummary<Pos>>> = BTreeMap::new();
        for g in (0..n).filter(|&g| seen[g]) {
            let summary = match recs.remove(&(g as u32)) {
                Some(Record {
                    summary: Some(s), ..
                }) => s,
                Some(Record { path, .. }) => stub(path),
                None => stub(paths.remove(&(g as u32))?),
            };
            units.entry(self.head.fn_unit[g]).or_default().push(summary);
        }
        let part = DepPart {
            units: units
                .into_iter()
                .map(|(u, fns)| {
                    let (c, display) = &self.head.units[u as usize];
                    (
                        *c,
                        display.clone(),
                        FileAnalysis {
                            fns,
                            ..FileAnalysis::default()
                        },
                    )
                })
                .collect(),
            answers,
        };
        Some((part, found))
    }

    /// Whether `first` is the closure key of crate `c` (`lib#index`).
    fn key_is_crate(&self, first: &str, c: usize) -> bool {
        first
            .rsplit_once('#')
            .is_some_and(|(_, i)| i.parse::<usize>().is_ok_and(|i| i == c))
    }
}

/// What a workspace fn's key is to the dependencies' lookups.
enum Found {
    /// No lookup tries it.
    No,
    /// Lookups with this one candidate path find it.
    Alone,
    /// A lookup tries it among other candidates.
    AmongOthers,
}

/// A stable 64-bit hash of the rest of a key (SHA-256's first bytes: the
/// same in every build, so a view written by one build reads in another).
fn rest_hash(rest: &str) -> u64 {
    let d = Sha256::digest(rest.as_bytes());
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

/// A fn the closure knows by name only: no calls, nothing blocking.
fn stub(path: String) -> FnSummary<Pos> {
    FnSummary {
        path,
        span: Pos { line: 0, column: 0 },
        marked: false,
        allowed: false,
        blocking: Vec::new(),
        calls: Vec::new(),
        generic_io: None,
        generic_addr: None,
        has_self: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pollguard_analysis::LocalCall;

    fn call(path: &str) -> LocalCall<Pos> {
        LocalCall::plain(path.to_owned(), path.to_owned(), Pos { line: 1, column: 1 })
    }

    fn fn_calling(path: &str, calls: &[&str]) -> FnSummary<Pos> {
        FnSummary {
            calls: calls.iter().map(|c| call(c)).collect(),
            ..stub(path.to_owned())
        }
    }

    /// A view of one dependency crate (`dep#0`) whose `label` calls the
    /// unresolved `std::borrow::Cow::from` and whose `drain` calls
    /// `std::io::Stdin::read_exact` (tried as itself, then as `read`).
    fn view() -> View {
        let fns = [
            fn_calling("crate::label", &["std::borrow::Cow::from"]),
            fn_calling("crate::drain", &["std::io::Stdin::read_exact"]),
        ];
        let keys: HashMap<usize, String> = [(0, "dep#0".to_owned())].into_iter().collect();
        let resolve = |_: usize, _: &str| None;
        let parts = Parts {
            needed: vec![0],
            problems: Vec::new(),
            lines: 0,
            items: HashMap::new(),
            units: vec![(0, "dep-0.1.0/src/lib.rs", &fns[..])],
            keys: &keys,
            reach: vec![Reach::default(), Reach::default()],
            resolve: &resolve,
        };
        let (head, body) = build(&parts).expect("built");
        View::store(None, "k", head, body).expect("view")
    }

    #[test]
    fn workspace_fns_that_dependency_lookups_find_are_named() {
        let v = view();
        let none: [(&str, &str); 0] = [];
        // Another key: the view answers alone.
        let (_, found) = v.part(&[("app", "Note::from")], none).expect("answers");
        assert!(found.is_empty());
        // The workspace defines what `label` looks up: named for the check.
        let (_, found) = v
            .part(&[("std", "borrow::Cow::from")], none)
            .expect("answers");
        assert_eq!(found, [("std", "borrow::Cow::from")]);
        // One of several candidates of `drain`'s lookup: the view cannot say.
        assert!(v.part(&[("std", "io::Stdin::read")], none).is_none());
        assert!(v.part(&[("std", "io::Stdin::read_exact")], none).is_none());
    }

    #[test]
    fn a_corrupt_section_is_not_an_answer() {
        let mut v = view();
        if let Body::Memory(b) = &mut v.body {
            for x in b.iter_mut() {
                *x ^= 0xff;
            }
        }
        let none: [(&str, &str); 0] = [];
        assert!(v.part(&[("std", "borrow::Cow::from")], none).is_none());
    }
}
