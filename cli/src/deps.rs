//! Reading the source of the workspace's dependencies (issue 8).
//!
//! The engine derives which third-party fns block from their source, so the
//! CLI reads dependencies the way it reads the workspace: as text, parsed by
//! syn, never built. No build script, proc macro or `cargo build` runs.
//!
//! The pieces, in the order the caller uses them:
//! - [`graph`]: the dependency graph from `cargo metadata` (with the resolve,
//!   filtered to the host platform), each crate after its dependencies;
//! - [`Cfg`]: the host's `cfg` values, to drop code a normal build on this
//!   machine does not compile (most of the cost of reading dependencies is
//!   other platforms' modules);
//! - [`read_crate`]: one crate's module tree, followed from its root the way
//!   rustc follows `mod x;`, with `cfg`-false items removed;
//! - [`Cache`]: what the caller derived from a crate, stored under
//!   [`DepCrate::cache_key`] so an unchanged dependency is not read again;
//! - [`Progress`]: a progress bar on stderr while crates are read.

use crate::expand::MacroRules;
use crate::source;
use foldhash::{HashMap, HashMapExt, HashSet};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use sha2::{Digest, Sha256};
use std::collections::VecDeque;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use syn::ext::IdentExt;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Attribute, Item, Meta, Token};

/// The version of pollguard that derived a cached entry: part of every
/// [`DepCrate::cache_key`], so a new release never reads an old one's results.
const POLLGUARD_VERSION: &str = env!("CARGO_PKG_VERSION");

/// How deep `mod` declarations may nest across files: real crates stay
/// under ten; the limit only stops a `#[path]` trick from recursing forever.
const MAX_MODULE_DEPTH: usize = 64;

/// How many modules one file may be read as (see `Reader::seen`).
const MAX_READS_OF_A_FILE: usize = 4;

/// How many macro invocations one crate's reading expands: enough for the
/// methods an API writes with a macro, bounded for a macro that expands to
/// itself.
const MAX_EXPANSIONS: usize = 5_000;

/// The `cargo metadata` flags the caller passes through (`--offline`,
/// `--locked`, `--frozen`): resolving dependencies may touch the network or
/// `Cargo.lock`, and the user decides whether it may.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DepOptions {
    /// `--offline`: use only the registry cache already on disk.
    pub offline: bool,
    /// `--locked`: fail rather than change `Cargo.lock`.
    pub locked: bool,
    /// `--frozen`: both of the above.
    pub frozen: bool,
}

/// A dependency to read: one library crate of a package that is not a
/// workspace member.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DepCrate {
    /// Cargo's package id (opaque, unique in the graph).
    pub id: String,
    /// The package's name, as in its `Cargo.toml`.
    pub name: String,
    /// The package's version.
    pub version: String,
    /// The crate's name as code spells it by default: the lib target's name,
    /// dashes turned to underscores.
    pub lib_name: String,
    /// The lib target's root file (`src/lib.rs` usually).
    pub root: PathBuf,
    /// The lib target's edition (`2015`, `2018`, `2021`, `2024`).
    pub edition: String,
    /// The features enabled for it in the resolve graph, sorted.
    pub features: Vec<String>,
    /// `links =` of its manifest, when any.
    pub links: Option<String>,
    /// Its crates.io categories (`database`, `web-programming::http-client`):
    /// what it is for, which names the I/O it does to its callers.
    #[serde(default)]
    pub categories: Vec<String>,
    /// Its crates.io keywords: a channel crate says `channel` there (the
    /// categories have none for it).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// Its normal dependencies that are read too: the extern name as this
    /// crate's code spells it (a rename in its `Cargo.toml` honoured), and the
    /// index in [`DepGraph::crates`].
    pub deps: Vec<(String, usize)>,
    /// Identifies what was derived from this crate in the [`Cache`]: its id,
    /// features and pollguard's version, and for a path or git package the
    /// content of its `.rs` files too, since those can change in place.
    pub cache_key: String,
    /// Whether it comes from a path or git source (editable in place),
    /// rather than an immutable registry release.
    pub local: bool,
}

impl DepCrate {
    /// What the crate is for, as its categories and keywords say.
    pub fn kind(&self) -> pollguard_analysis::transitive::CrateKind {
        pollguard_analysis::transitive::CrateKind::of(&self.categories, &self.keywords)
    }
}

/// The dependencies of a workspace, ready to read.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct DepGraph {
    /// Every dependency crate to read, each after all of its own
    /// dependencies, so a caller going in order always has the summaries of
    /// what a crate calls. Workspace members are not here: they are scanned
    /// already.
    pub crates: Vec<DepCrate>,
    /// Each workspace member's (by package id) direct dependencies, normal
    /// and dev (tests are scanned too), by the extern name the member's code
    /// spells, with the index in [`DepGraph::crates`].
    pub roots: HashMap<String, Vec<(String, usize)>>,
    /// Packages that could not be read, one line each, for the caller to
    /// report; the rest of the graph is still usable.
    pub problems: Vec<String>,
    /// The files the graph was resolved from: the local manifests and the
    /// lock file (see [`graph_cached`]).
    pub inputs: Vec<PathBuf>,
    /// Each path or git crate: its index in [`DepGraph::crates`], its cache
    /// key without its sources, and its package directory. Its sources can
    /// change under an unchanged manifest and lock file, so a graph read
    /// back from the cache hashes them again (see [`graph_cached`]).
    #[serde(default)]
    pub local: Vec<(usize, String, PathBuf)>,
}

/// Reads the dependency graph of the workspace around `cwd` (or at
/// `manifest_path`) with `cargo metadata --filter-platform <host>`.
///
/// Only crates a normal build of the members on this machine links are
/// kept: normal dependencies (and the members' dev-dependencies), no
/// proc-macro crate and nothing that only a build script uses. A package
/// whose lib root is missing is left out and named in
/// [`DepGraph::problems`].
///
/// The error, when cargo cannot resolve the graph (offline without the
/// sources, an unreadable manifest), is one line suggesting `--no-deps`;
/// the caller reports it once and scans without dependencies.
pub fn graph(
    cwd: &Path,
    manifest_path: Option<&Path>,
    opts: &DepOptions,
) -> Result<DepGraph, String> {
    let triple = host_triple()?;
    let mut cmd = cargo_metadata::MetadataCommand::new();
    cmd.current_dir(cwd);
    crate::metadata::same_toolchain_metadata(&mut cmd);
    if let Some(m) = manifest_path {
        cmd.manifest_path(m);
    }
    let mut other = vec!["--filter-platform".to_owned(), triple.to_owned()];
    for (on, flag) in [
        (opts.offline, "--offline"),
        (opts.locked, "--locked"),
        (opts.frozen, "--frozen"),
    ] {
        if on {
            other.push(flag.to_owned());
        }
    }
    cmd.other_options(other);
    let md = cmd.exec().map_err(|e| {
        format!(
            "cannot resolve the dependencies with `cargo metadata`: {}; pass `--no-deps` to scan without reading them",
            one_line(&e.to_string())
        )
    })?;
    // What the answer depends on, for [`graph_cached`]: every local
    // manifest (members and path dependencies) and the lock file.
    let mut inputs: Vec<PathBuf> = md
        .packages
        .iter()
        .filter(|p| p.source.is_none())
        .map(|p| p.manifest_path.clone().into_std_path_buf())
        .collect();
    inputs.push(md.workspace_root.join("Cargo.lock").into_std_path_buf());
    let resolve = md.resolve.as_ref().ok_or_else(|| {
        "`cargo metadata` returned no dependency graph; pass `--no-deps` to scan without reading dependencies"
            .to_owned()
    })?;
    let packages: HashMap<&str, &cargo_metadata::Package> = md
        .packages
        .iter()
        .map(|p| (p.id.repr.as_str(), p))
        .collect();
    let nodes: HashMap<&str, &cargo_metadata::Node> = resolve
        .nodes
        .iter()
        .map(|n| (n.id.repr.as_str(), n))
        .collect();
    let members: HashSet<&str> = md
        .workspace_members
        .iter()
        .map(|m| m.repr.as_str())
        .collect();
    let mut builder = GraphBuilder {
        packages,
        nodes,
        members: members.clone(),
        index: HashMap::new(),
        out: DepGraph::default(),
    };
    let mut sorted_members: Vec<&str> = members.iter().copied().collect();
    sorted_members.sort_unstable();
    for member in sorted_members {
        let Some(node) = builder.nodes.get(member).copied() else {
            continue;
        };
        let deps = builder.edges(node, true);
        builder.out.roots.insert(member.to_owned(), deps);
    }
    builder.out.inputs = inputs;
    Ok(builder.out)
}

/// [`graph`], answered from `cache` when nothing it depends on changed:
/// the lock file and every local manifest (members, path dependencies)
/// have the contents they had, cargo's configuration files too, and every
/// crate root still exists. Saves `cargo metadata` on a warm run (a
/// quarter of a second on a 400-package graph). Without a `Cargo.lock`
/// nothing is stored: the resolution could change under it.
pub fn graph_cached(
    cwd: &Path,
    manifest_path: Option<&Path>,
    opts: &DepOptions,
    cache: Option<&Cache>,
) -> Result<DepGraph, String> {
    let Some(cache) = cache else {
        return graph(cwd, manifest_path, opts);
    };
    let key = graph_key(cwd, manifest_path, opts, rustc_version()?, host_triple()?);
    if let Some(g) = graph_stored(cache, &key) {
        return Ok(g);
    }
    let g = graph(cwd, manifest_path, opts)?;
    let hashes: Vec<Option<String>> = g.inputs.iter().map(|p| content_hash(p)).collect();
    if hashes.last().is_some_and(Option::is_some) {
        let stored = StoredGraph { graph: g, hashes };
        if let Ok(bytes) = rmp_serde::to_vec(&stored) {
            cache.put(&key, &bytes);
        }
        return Ok(stored.graph);
    }
    Ok(g)
}

/// The cache key of the graph around `cwd` resolved with the compiler
/// whose `rustc -vV` is `version`.
fn graph_key(
    cwd: &Path,
    manifest_path: Option<&Path>,
    opts: &DepOptions,
    version: &str,
    triple: &str,
) -> String {
    let start = manifest_path.map_or_else(|| cwd.to_path_buf(), Path::to_path_buf);
    let start = start.canonicalize().unwrap_or(start);
    format!(
        "graph-{}",
        hex(&Sha256::digest(
            format!(
                "{} {GRAPH_FORMAT} {triple} {:?} {:?} {:?} {:?} {:?}",
                env!("CARGO_PKG_VERSION"),
                // Another toolchain's cargo may resolve the graph otherwise.
                version,
                start,
                (opts.offline, opts.locked, opts.frozen),
                std::env::var_os("CARGO_HOME"),
                config_files(&start),
            )
            .as_bytes()
        ))
    )
}

/// The graph stored under `key`, if its inputs are unchanged.
fn graph_stored(cache: &Cache, key: &str) -> Option<DepGraph> {
    if let Some(stored) = cache
        .get(key)
        .and_then(|b| rmp_serde::from_slice::<StoredGraph>(&b).ok())
    {
        let unchanged = stored.graph.inputs.len() == stored.hashes.len()
            && stored
                .graph
                .inputs
                .iter()
                .zip(&stored.hashes)
                .all(|(p, h)| content_hash(p) == *h)
            && stored.graph.crates.iter().all(|c| c.root.is_file());
        if unchanged {
            let mut g = stored.graph;
            // Sources of path and git crates are not among the inputs.
            for (i, base, dir) in &g.local {
                if let Some(c) = g.crates.get_mut(*i) {
                    c.cache_key = hex(&Sha256::digest(local_key(base, dir).as_bytes()));
                }
            }
            return Some(g);
        }
    }
    None
}

/// [`graph_cached`] from the cache alone, with the answers `rustc` gave
/// before the workspace was read, and the host's `cfg` from them: what a
/// thread started with the run can find while the workspace is being read.
/// `None` on a miss; the caller compares keys before using anything built
/// on it, since the workspace's toolchain may turn out to be another.
pub fn graph_early(
    cwd: &Path,
    manifest_path: Option<&Path>,
    opts: &DepOptions,
    cache: &Cache,
) -> Option<(DepGraph, Cfg)> {
    let (version, cfg) = early_raw()?;
    let (version, cfg) = (version.as_ref().ok()?, cfg.as_ref().ok()?);
    let triple = triple_of(version)?;
    let key = graph_key(cwd, manifest_path, opts, version, triple);
    Some((graph_stored(cache, &key)?, Cfg::parse(cfg)))
}

/// A graph as the cache keeps it, with the hashes of its inputs.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredGraph {
    graph: DepGraph,
    hashes: Vec<Option<String>>,
}

/// The SHA-256 of a file's contents; `None` when it cannot be read.
fn content_hash(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|b| hex(&Sha256::digest(&b)))
}

/// Cargo's configuration files that apply from `dir` (its ancestors' and
/// `$CARGO_HOME`'s), with the hashes of their contents: a `[patch]` or a
/// source replacement there changes the graph.
fn config_files(dir: &Path) -> Vec<(PathBuf, Option<String>)> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    dir.ancestors()
        .map(|d| d.join(".cargo"))
        .chain(home)
        .flat_map(|d| [d.join("config.toml"), d.join("config")])
        .filter(|p| p.is_file())
        .map(|p| {
            let h = content_hash(&p);
            (p, h)
        })
        .collect()
}

/// The state of the depth-first walk that orders [`DepGraph::crates`].
struct GraphBuilder<'a> {
    packages: HashMap<&'a str, &'a cargo_metadata::Package>,
    nodes: HashMap<&'a str, &'a cargo_metadata::Node>,
    members: HashSet<&'a str>,
    /// Package id to its index in `out.crates`, or `None` when it is left
    /// out (proc macro, no lib, missing root) or still being visited.
    index: HashMap<&'a str, Option<usize>>,
    out: DepGraph,
}

impl<'a> GraphBuilder<'a> {
    /// The dependencies of `node` that are read, visiting each first.
    fn edges(&mut self, node: &'a cargo_metadata::Node, dev: bool) -> Vec<(String, usize)> {
        use cargo_metadata::DependencyKind as K;
        let mut deps = Vec::new();
        for d in &node.deps {
            let wanted = d
                .dep_kinds
                .iter()
                .any(|k| k.kind == K::Normal || (dev && k.kind == K::Development));
            if !wanted || self.members.contains(d.pkg.repr.as_str()) {
                continue;
            }
            if let Some(i) = self.visit(d.pkg.repr.as_str()) {
                deps.push((d.name.clone(), i));
            }
        }
        deps.sort();
        deps.dedup();
        deps
    }

    /// Adds the crate of package `id` after its dependencies; its index.
    fn visit(&mut self, id: &'a str) -> Option<usize> {
        if let Some(done) = self.index.get(id) {
            return *done;
        }
        // Normal dependencies have no cycles (cargo refuses them); marking
        // the package first keeps a malformed graph from recursing forever.
        self.index.insert(id, None);
        let pkg = *self.packages.get(id)?;
        let node = *self.nodes.get(id)?;
        use cargo_metadata::TargetKind as T;
        if pkg.targets.iter().any(|t| t.is_kind(T::ProcMacro)) {
            return None;
        }
        let lib = pkg.targets.iter().find(|t| {
            t.kind
                .iter()
                .any(|k| matches!(k, T::Lib | T::RLib | T::DyLib))
        })?;
        let deps = self.edges(node, false);
        let root = lib.src_path.clone().into_std_path_buf();
        if !root.is_file() {
            self.out.problems.push(format!(
                "cannot read dependency `{} {}`: its library root `{}` does not exist; run `cargo fetch`, or pass `--no-deps`",
                pkg.name,
                pkg.version,
                root.display()
            ));
            return None;
        }
        let mut features = node.features.clone();
        features.sort();
        features.dedup();
        let local = pkg
            .source
            .as_ref()
            .is_none_or(|s| s.repr.starts_with("git+") || s.repr.starts_with("path+"));
        let mut key = format!("{id}|{}|{POLLGUARD_VERSION}", features.join(","));
        if local {
            let dir = pkg
                .manifest_path
                .parent()
                .map_or_else(|| root.clone(), |p| p.as_std_path().to_path_buf());
            self.out
                .local
                .push((self.out.crates.len(), key.clone(), dir.clone()));
            key = local_key(&key, &dir);
        }
        let krate = DepCrate {
            id: id.to_owned(),
            name: pkg.name.clone(),
            version: pkg.version.to_string(),
            lib_name: lib.name.replace('-', "_"),
            root,
            edition: lib.edition.as_str().to_owned(),
            features,
            links: pkg.links.clone(),
            categories: pkg.categories.clone(),
            keywords: pkg.keywords.clone(),
            deps,
            cache_key: hex(&Sha256::digest(key.as_bytes())),
            local,
        };
        let i = self.out.crates.len();
        self.out.crates.push(krate);
        self.index.insert(id, Some(i));
        Some(i)
    }
}

/// The key of a path or git crate: `base` (id, features, version) and the
/// hash of its sources.
fn local_key(base: &str, dir: &Path) -> String {
    format!("{base}|{}", hash_sources(dir))
}

/// A hash of every `.rs` file under `dir` (its relative path and content,
/// in path order), so an edit to a path or git dependency changes its key.
/// `target/` and hidden directories are not part of the package's source.
fn hash_sources(dir: &Path) -> String {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            // `file_type` does not follow symlinks: a link loop cannot trap the walk.
            match entry.file_type() {
                Ok(t) if t.is_dir() && !name.starts_with('.') && name != "target" => {
                    stack.push(path);
                }
                Ok(t) if !t.is_dir() && name.ends_with(".rs") => files.push(path),
                _ => {}
            }
        }
    }
    files.sort();
    let mut h = Sha256::new();
    for f in &files {
        let rel = f.strip_prefix(dir).unwrap_or(f);
        h.update(rel.to_string_lossy().as_bytes());
        h.update([0]);
        match std::fs::read(f) {
            Ok(bytes) => {
                h.update((bytes.len() as u64).to_le_bytes());
                h.update(&bytes);
            }
            // An unreadable file still changes the key when it becomes readable.
            Err(_) => h.update(u64::MAX.to_le_bytes()),
        }
    }
    hex(&h.finalize())
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The items of a file that parse, and the error of each one that does
/// not (`line 140: expected ;`). 2015-edition crates still use syntax syn 2
/// refuses (bare trait objects, anonymous parameters in trait fns, `try` as
/// a name). The first two are written as 2018 would first ([`modernized`]):
/// signal-hook-registry (in most Tokio applications' graphs) and fxhash
/// then parse whole. What still fails should not hide the rest of the
/// file: an item that fails is skipped to just past its first `;` or
/// `{ .. }`. `None` when the text does not even lex.
fn parse_leniently(text: &str) -> Option<(syn::File, Vec<String>)> {
    use proc_macro2::{Delimiter, TokenTree};
    use syn::parse::discouraged::Speculative as _;
    let tokens = modernized(text.parse().ok()?);
    let parser = |input: syn::parse::ParseStream<'_>| {
        let attrs = input.call(Attribute::parse_inner)?;
        let mut items = Vec::new();
        let mut skipped = Vec::new();
        while !input.is_empty() {
            let fork = input.fork();
            match fork.parse::<Item>() {
                Ok(item) => {
                    input.advance_to(&fork);
                    items.push(item);
                }
                Err(e) => {
                    skipped.push(format!("line {}: {e}", e.span().start().line));
                    input.step(|cursor| {
                        let mut rest = *cursor;
                        while let Some((tt, next)) = rest.token_tree() {
                            rest = next;
                            match &tt {
                                TokenTree::Punct(p) if p.as_char() == ';' => break,
                                TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => break,
                                _ => {}
                            }
                        }
                        Ok(((), rest))
                    })?;
                }
            }
        }
        Ok((attrs, items, skipped))
    };
    let (attrs, items, skipped) = syn::parse::Parser::parse2(parser, tokens).ok()?;
    Some((
        syn::File {
            shebang: None,
            attrs,
            items,
        },
        skipped,
    ))
}

/// 2015-edition syntax in 2018's words, token by token: `dyn` before a bare
/// `Fn(..)`, `FnMut(..)` or `FnOnce(..)` where a type starts (`Box<Fn()>`,
/// `&Fn(u8)`, `type A = Fn() + Send;`; not in a bound, after `:` or `+`),
/// and `_: ` before an anonymous parameter of a fn (`fn hash_word(&mut
/// self, Self);`). Spans are kept, so errors and lines stay where they were.
fn modernized(tokens: TokenStream) -> TokenStream {
    use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let is_punct =
        |t: Option<&TokenTree>, c: char| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c);
    let is_ident =
        |t: Option<&TokenTree>, name: &str| matches!(t, Some(TokenTree::Ident(i)) if i == name);
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(id)
                if (id == "Fn" || id == "FnMut" || id == "FnOnce")
                    && matches!(trees.get(i + 1), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis) =>
            {
                let prev = out.last();
                // `->` ends in `>`: a return type. A lone `>` closes
                // generics (`for<'a> Fn`), a bound: left alone.
                let arrow = is_punct(prev, '>')
                    && matches!(out.len().checked_sub(2).and_then(|j| out.get(j)), Some(TokenTree::Punct(p)) if p.as_char() == '-' && p.spacing() == Spacing::Joint);
                let starts_type = arrow
                    || ['<', '=', '&', ','].iter().any(|c| is_punct(prev, *c))
                    || is_ident(prev, "mut")
                        && out.len() >= 2
                        && is_punct(out.get(out.len() - 2), '&');
                if starts_type {
                    out.push(TokenTree::Ident(Ident::new("dyn", id.span())));
                }
                out.push(tree.clone());
            }
            TokenTree::Group(g) => {
                // A fn's parameter list: `fn name(..)` or `fn name<..>(..)`.
                let params = g.delimiter() == Delimiter::Parenthesis
                    && {
                        let mut j = i;
                        let mut depth = 0i32;
                        while j > 0 {
                            j -= 1;
                            match &trees[j] {
                                TokenTree::Punct(p)
                                    if p.as_char() == '>'
                                        && !matches!(trees.get(j.wrapping_sub(1)), Some(TokenTree::Punct(q)) if q.as_char() == '-') =>
                                {
                                    depth += 1
                                }
                                TokenTree::Punct(p) if p.as_char() == '>' => {}
                                TokenTree::Punct(p) if p.as_char() == '<' => depth -= 1,
                                _ if depth > 0 => {}
                                TokenTree::Ident(_) => break,
                                _ => {
                                    j = usize::MAX;
                                    break;
                                }
                            }
                        }
                        j != usize::MAX && j > 0 && depth == 0 && is_ident(trees.get(j - 1), "fn")
                    };
                let stream = if params {
                    named_params(g.stream())
                } else {
                    modernized(g.stream())
                };
                let mut group = Group::new(g.delimiter(), stream);
                group.set_span(g.span());
                out.push(TokenTree::Group(group));
            }
            _ => out.push(tree.clone()),
        }
    }
    return out.into_iter().collect();

    /// Each parameter without a pattern (no `:` of its own at its top
    /// level, not `self`) gets `_: `.
    fn named_params(stream: TokenStream) -> TokenStream {
        let trees: Vec<TokenTree> = modernized(stream).into_iter().collect();
        // Split at the commas outside `<..>` (`HashMap<K, V>`); the `>` of
        // `->` closes nothing.
        let mut params: Vec<&[TokenTree]> = Vec::new();
        let (mut start, mut depth) = (0, 0i32);
        for (k, t) in trees.iter().enumerate() {
            let TokenTree::Punct(p) = t else { continue };
            match p.as_char() {
                '<' => depth += 1,
                '>' if !matches!(k.checked_sub(1).and_then(|k| trees.get(k)), Some(TokenTree::Punct(q)) if q.as_char() == '-') => {
                    depth -= 1
                }
                ',' if depth <= 0 => {
                    params.push(&trees[start..k]);
                    start = k + 1;
                }
                _ => {}
            }
        }
        params.push(&trees[start..]);
        let mut out = Vec::with_capacity(trees.len() + 2);
        for param in params {
            if !out.is_empty() {
                out.push(TokenTree::Punct(Punct::new(',', Spacing::Alone)));
            }
            let colon = param.iter().enumerate().any(|(k, t)| {
                matches!(t, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Alone)
                    && !matches!(k.checked_sub(1).and_then(|k| param.get(k)), Some(TokenTree::Punct(q)) if q.as_char() == ':' && q.spacing() == Spacing::Joint)
            });
            let receiver = param
                .iter()
                .any(|t| matches!(t, TokenTree::Ident(i) if i == "self"));
            if !param.is_empty() && !colon && !receiver {
                let span = param[0].span();
                out.push(TokenTree::Ident(Ident::new("_", span)));
                let mut c = Punct::new(':', Spacing::Alone);
                c.set_span(span);
                out.push(TokenTree::Punct(c));
            }
            out.extend(param.iter().cloned());
        }
        out.into_iter().collect()
    }
}

/// Removes from fn bodies what a false `#[cfg(..)]` turns off, as rustc
/// does: statements, struct-literal fields and match arms (tauri builds its
/// asset scope in a field under `#[cfg(feature = "protocol-asset")]`).
struct CfgBodies<'a> {
    cfg: &'a Cfg,
    features: &'a [String],
}

impl syn::visit_mut::VisitMut for CfgBodies<'_> {
    fn visit_block_mut(&mut self, b: &mut syn::Block) {
        b.stmts
            .retain(|s| self.cfg.enabled(stmt_attrs(s), self.features));
        syn::visit_mut::visit_block_mut(self, b);
    }

    fn visit_expr_struct_mut(&mut self, e: &mut syn::ExprStruct) {
        e.fields = std::mem::take(&mut e.fields)
            .into_iter()
            .filter(|f| self.cfg.enabled(&f.attrs, self.features))
            .collect();
        syn::visit_mut::visit_expr_struct_mut(self, e);
    }

    fn visit_expr_match_mut(&mut self, m: &mut syn::ExprMatch) {
        m.arms.retain(|a| self.cfg.enabled(&a.attrs, self.features));
        syn::visit_mut::visit_expr_match_mut(self, m);
    }
}

/// The outer attributes of a statement (those a `#[cfg]` can sit in).
fn stmt_attrs(s: &syn::Stmt) -> &[Attribute] {
    use syn::Expr;
    match s {
        syn::Stmt::Local(l) => &l.attrs,
        syn::Stmt::Item(i) => item_attrs(i),
        syn::Stmt::Macro(m) => &m.attrs,
        syn::Stmt::Expr(e, _) => match e {
            Expr::Call(x) => &x.attrs,
            Expr::MethodCall(x) => &x.attrs,
            Expr::Block(x) => &x.attrs,
            Expr::Unsafe(x) => &x.attrs,
            Expr::If(x) => &x.attrs,
            Expr::Match(x) => &x.attrs,
            Expr::Macro(x) => &x.attrs,
            Expr::Assign(x) => &x.attrs,
            Expr::ForLoop(x) => &x.attrs,
            Expr::While(x) => &x.attrs,
            Expr::Loop(x) => &x.attrs,
            Expr::Return(x) => &x.attrs,
            Expr::Path(x) => &x.attrs,
            Expr::Try(x) => &x.attrs,
            Expr::Await(x) => &x.attrs,
            _ => &[],
        },
    }
}

/// Drops the fields whose `#[cfg(..)]` is false for the host and features.
fn retain_fields(fields: &mut syn::Fields, cfg: &Cfg, features: &[String]) {
    let list = match fields {
        syn::Fields::Named(n) => &mut n.named,
        syn::Fields::Unnamed(u) => &mut u.unnamed,
        syn::Fields::Unit => return,
    };
    *list = std::mem::take(list)
        .into_iter()
        .filter(|f| cfg.enabled(&f.attrs, features))
        .collect();
}

/// A tool's message on one line, without the backtrace `RUST_BACKTRACE` adds.
fn one_line(s: &str) -> String {
    s.lines()
        .take_while(|l| !l.trim_start().starts_with("Stack backtrace:"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(": ")
}

/// The compiler cargo would use: `$RUSTC`, else `rustc` on the `PATH`.
fn rustc() -> Command {
    let mut cmd = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()));
    crate::metadata::same_toolchain(&mut cmd);
    cmd
}

/// Runs `rustc` with `args`; its stdout, or a one-line error.
fn rustc_output(args: &[&str]) -> Result<String, String> {
    let what = format!("rustc {}", args.join(" "));
    let out = rustc().args(args).output().map_err(|e| {
        format!("cannot run `{what}`: {e}; pass `--no-deps` to scan without reading dependencies")
    })?;
    if !out.status.success() {
        return Err(format!(
            "`{what}` failed: {}; pass `--no-deps` to scan without reading dependencies",
            one_line(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{what}` printed invalid UTF-8"))
}

/// The answers of `rustc -vV` and `rustc --print cfg` asked early, while
/// the workspace is read (see [`prefetch_host`]).
type Early = (Result<String, String>, Result<String, String>);

static EARLY: std::sync::Mutex<Option<std::thread::JoinHandle<Early>>> =
    std::sync::Mutex::new(None);

/// Starts asking `rustc` for the host's triple and `cfg` values on other
/// threads: two `rustc` starts cost about 30 ms, as much as the rest of a
/// warm run's reading of dependencies, and the workspace can be read
/// meanwhile. The answers are used only if the workspace is read with the
/// toolchain they were asked with (see [`crate::metadata::fallback`]).
///
/// When the compiler can be named without running it (see
/// `toolchain_stamp`), the answers come from the cache, which keeps them
/// under that name: a warm run on a small project spends a third of its CPU
/// starting `rustc` otherwise.
pub fn prefetch_host() {
    let handle = std::thread::spawn(|| {
        let stored = toolchain_stamp().zip(Cache::open()).map(|(stamp, cache)| {
            let key = format!("rustc-{}", hex(&Sha256::digest(stamp.as_bytes())));
            let answers = cache.get(&key).and_then(|b| {
                let (version, cfg) = rmp_serde::from_slice::<(String, String)>(&b).ok()?;
                Some((Ok(version), Ok(cfg)))
            });
            (cache, key, answers)
        });
        if let Some((_, _, Some(answers))) = stored {
            return answers;
        }
        let cfg = std::thread::spawn(|| rustc_output(&["--print", "cfg"]));
        let version = rustc_output(&["-vV"]);
        let cfg = cfg
            .join()
            .unwrap_or_else(|_| Err("`rustc --print cfg` panicked".to_owned()));
        if let (Some((cache, key, None)), Ok(v), Ok(c)) = (&stored, &version, &cfg) {
            if let Ok(bytes) = rmp_serde::to_vec(&(v, c)) {
                cache.put(key, &bytes);
            }
        }
        (version, cfg)
    });
    if let Ok(mut early) = EARLY.lock() {
        *early = Some(handle);
    }
}

/// What names the compiler [`rustc`] runs without running it, as cargo
/// names it to reuse its own answers (`rustc_fingerprint`): the binary's
/// path, modification time and size, and for a rustup proxy the toolchain
/// rustup gave this process (`RUSTUP_HOME`, `RUSTUP_TOOLCHAIN`, set for
/// `cargo pollguard` by the proxied `cargo`) with that toolchain's own
/// `rustc`. `None` when that cannot be told: no `rustc` found, or a proxy
/// run without rustup's variables, which would pick a toolchain from
/// overrides and files this does not read.
fn toolchain_stamp() -> Option<String> {
    toolchain_stamp_with(
        |k| std::env::var_os(k),
        &std::env::var_os("PATH").unwrap_or_default(),
    )
}

fn toolchain_stamp_with(
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
    path_var: &std::ffi::OsStr,
) -> Option<String> {
    let exe = |name: &str| format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let rustc = match env("RUSTC") {
        Some(r) if Path::new(&r).components().count() > 1 => PathBuf::from(r),
        named => {
            let name = named.map_or_else(|| exe("rustc"), |n| n.to_string_lossy().into_owned());
            std::env::split_paths(path_var)
                .map(|d| d.join(&name))
                .find(|p| p.is_file())?
        }
    };
    let stamp = |p: &Path| -> Option<String> {
        let m = std::fs::metadata(p).ok()?;
        Some(format!(
            "{} {:?} {}\n",
            p.display(),
            m.modified().ok()?,
            m.len()
        ))
    };
    let mut out = stamp(&rustc)?;
    // A symlink to rustup, or a hard link or copy of it beside it.
    let beside = rustc.with_file_name(exe("rustup"));
    let proxy = std::fs::canonicalize(&rustc)
        .ok()
        .and_then(|c| c.file_stem().map(|s| s == "rustup"))
        .unwrap_or(false)
        || std::fs::metadata(&beside)
            .ok()
            .zip(std::fs::metadata(&rustc).ok())
            .is_some_and(|(a, b)| a.len() == b.len());
    if proxy {
        let home = env("RUSTUP_HOME")?;
        let toolchain = crate::metadata::fallback()
            .map(std::ffi::OsString::from)
            .or_else(|| env("RUSTUP_TOOLCHAIN"))?;
        let real = Path::new(&home)
            .join("toolchains")
            .join(toolchain)
            .join("bin")
            .join(exe("rustc"));
        out += &stamp(&real)?;
    }
    Some(out)
}

/// The early answers, when they were asked with the toolchain in use now.
fn early() -> Option<&'static Early> {
    early_raw().filter(|_| crate::metadata::fallback().is_none())
}

/// The early answers, whichever toolchain the workspace is then read with.
fn early_raw() -> Option<&'static Early> {
    static TAKEN: OnceLock<Option<Early>> = OnceLock::new();
    TAKEN
        .get_or_init(|| {
            let handle = EARLY.lock().ok()?.take()?;
            handle.join().ok()
        })
        .as_ref()
}

/// What `rustc -vV` prints (its version, commit, host and LLVM), asked
/// once per process.
fn rustc_version() -> Result<&'static str, String> {
    static VERSION: OnceLock<Result<String, String>> = OnceLock::new();
    VERSION
        .get_or_init(|| match early() {
            Some((version, _)) => version.clone(),
            None => rustc_output(&["-vV"]),
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// The host triple from `rustc -vV`.
fn host_triple() -> Result<&'static str, String> {
    triple_of(rustc_version()?).ok_or_else(|| "`rustc -vV` printed no `host:` line".to_owned())
}

/// The `host:` line of `rustc -vV`'s answer.
fn triple_of(version: &str) -> Option<&str> {
    version
        .lines()
        .find_map(|l| l.strip_prefix("host:"))
        .map(str::trim)
}

/// The `cfg` values of the host, to evaluate `#[cfg(..)]` the way a normal
/// build on this machine does.
///
/// Anything rustc does not print is false: `test`, `doc`, `docsrs`, `miri`,
/// `loom`, custom `--cfg`s. So `cfg(not(test))` is true: what is read is the
/// code a normal build of the dependency compiles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cfg {
    /// Bare names: `unix`, `debug_assertions`.
    names: HashSet<String>,
    /// `key="value"` pairs: `target_os="linux"`, `target_feature="sse2"`.
    pairs: HashSet<(String, String)>,
}

impl Cfg {
    /// Every value, sorted: the same text for the same `cfg`s in any run.
    pub fn fingerprint(&self) -> String {
        let mut all: Vec<String> = self
            .names
            .iter()
            .cloned()
            .chain(self.pairs.iter().map(|(k, v)| format!("{k}={v:?}")))
            .collect();
        all.sort_unstable();
        all.join("\n")
    }

    /// The host's values from `rustc --print cfg`, asked once per process.
    pub fn host() -> Result<Cfg, String> {
        static HOST: OnceLock<Result<Cfg, String>> = OnceLock::new();
        HOST.get_or_init(|| {
            let text = match early() {
                Some((_, cfg)) => cfg.clone(),
                None => rustc_output(&["--print", "cfg"]),
            };
            text.map(|t| Cfg::parse(&t))
        })
        .clone()
    }

    /// Values from the output of `rustc --print cfg`: one per line, `name`
    /// or `key="value"`. Lines of another shape are ignored.
    pub fn parse(text: &str) -> Cfg {
        let mut cfg = Cfg::default();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match line.split_once('=') {
                Some((k, v)) => {
                    let v = v.trim().trim_matches('"');
                    cfg.pairs.insert((k.trim().to_owned(), v.to_owned()));
                }
                None => {
                    cfg.names.insert(line.to_owned());
                }
            }
        }
        cfg
    }

    /// Whether the predicate inside `#[cfg(..)]` holds on the host with
    /// these features enabled: `all`, `any`, `not`, bare names,
    /// `key = "value"` and `feature = ".."`. Unknown predicates are false.
    pub fn eval(&self, pred: &Meta, features: &[String]) -> bool {
        match pred {
            Meta::Path(p) => p
                .get_ident()
                .is_some_and(|i| self.names.contains(&i.unraw().to_string())),
            Meta::NameValue(nv) => {
                let (Some(key), Some(value)) = (nv.path.get_ident(), lit_str(&nv.value)) else {
                    return false;
                };
                let key = key.unraw().to_string();
                if key == "feature" {
                    features.contains(&value)
                } else {
                    self.pairs.contains(&(key, value))
                }
            }
            Meta::List(list) => {
                let Some(op) = list.path.get_ident().map(ToString::to_string) else {
                    return false;
                };
                let Ok(args) =
                    list.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                else {
                    return false;
                };
                match op.as_str() {
                    "all" => args.iter().all(|a| self.eval(a, features)),
                    "any" => args.iter().any(|a| self.eval(a, features)),
                    "not" => args.len() == 1 && args.iter().all(|a| !self.eval(a, features)),
                    _ => false,
                }
            }
        }
    }

    /// Whether the tokens of `cfg(..)` hold; `true` and `false` (which syn
    /// cannot read as a [`Meta`]) are understood, and a predicate that does
    /// not parse keeps the item: dropping code a build compiles would hide
    /// its calls.
    fn eval_tokens(&self, tokens: &TokenStream, features: &[String]) -> bool {
        match syn::parse2::<Meta>(tokens.clone()) {
            Ok(m) => self.eval(&m, features),
            Err(_) => tokens.to_string().trim() != "false",
        }
    }

    /// Whether an item with these attributes is compiled: every `cfg` holds,
    /// including those a true `cfg_attr` adds.
    pub fn enabled(&self, attrs: &[Attribute], features: &[String]) -> bool {
        attrs.iter().all(|a| self.meta_enabled(&a.meta, features))
    }

    fn meta_enabled(&self, meta: &Meta, features: &[String]) -> bool {
        if meta.path().is_ident("cfg") {
            match meta {
                Meta::List(l) => self.eval_tokens(&l.tokens, features),
                _ => true,
            }
        } else if meta.path().is_ident("cfg_attr") {
            self.cfg_attr_metas(meta, features)
                .iter()
                .all(|m| self.meta_enabled(m, features))
        } else {
            true
        }
    }

    /// The attributes a `cfg_attr(pred, a, b)` adds: `a` and `b` when `pred`
    /// holds, nothing otherwise (or when it does not parse).
    fn cfg_attr_metas(&self, meta: &Meta, features: &[String]) -> Vec<Meta> {
        let Meta::List(l) = meta else {
            return Vec::new();
        };
        let Ok(args) = l.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else {
            return Vec::new();
        };
        let mut args = args.into_iter();
        match args.next() {
            Some(pred) if self.eval(&pred, features) => args.collect(),
            _ => Vec::new(),
        }
    }

    /// The `#[path = ".."]` of a `mod`, also from a true `cfg_attr`.
    fn path_attr(&self, attrs: &[Attribute], features: &[String]) -> Option<String> {
        attrs.iter().find_map(|a| {
            if a.path().is_ident("cfg_attr") {
                self.cfg_attr_metas(&a.meta, features)
                    .iter()
                    .find_map(path_value)
            } else {
                path_value(&a.meta)
            }
        })
    }
}

/// Every `path = ".."` inside a `cfg_attr`, whatever its predicate.
fn cfg_attr_paths(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg_attr"))
        .filter_map(|a| {
            a.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                .ok()
        })
        .flat_map(|args| {
            args.into_iter()
                .skip(1)
                .filter_map(|m| path_value(&m))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn path_value(meta: &Meta) -> Option<String> {
    match meta {
        Meta::NameValue(nv) if nv.path.is_ident("path") => lit_str(&nv.value),
        _ => None,
    }
}

fn lit_str(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// The source of one dependency crate, as far as it could be read.
#[derive(Debug, Default)]
pub struct CrateSource {
    /// Its files, the root first, each before the files of its submodules.
    pub files: Vec<DepFile>,
    /// Files that could not be read or parsed, and `mod` declarations
    /// without a file, one line each; those modules are skipped.
    pub errors: Vec<String>,
}

/// One file of a dependency crate.
pub struct DepFile {
    /// Where it is.
    pub path: PathBuf,
    /// Its module: `["crate", "reader"]`.
    pub module_path: Vec<String>,
    /// Its syntax tree without the items a host build leaves out: `cfg`-false
    /// items (at item level, in inline modules, and in impl, trait and
    /// extern blocks; fn bodies are left alone). Item macros whose
    /// `macro_rules!` only adds attributes to each item (tokio's `cfg_rt!`)
    /// are expanded in place, so the modules and items they gate are seen.
    pub file: syn::File,
    /// The length of its text in bytes.
    pub text_len: usize,
}

// syn's trees are `Debug` only with its `extra-traits` feature, which the
// CLI does not otherwise need.
impl std::fmt::Debug for DepFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DepFile")
            .field("path", &self.path)
            .field("module_path", &self.module_path)
            .field("items", &self.file.items.len())
            .field("text_len", &self.text_len)
            .finish()
    }
}

/// Reads the crate `dep` from its root, following `mod x;` as rustc does,
/// and drops what is `cfg`-false on the host with `dep`'s features.
///
/// syn recurses once per nesting level and a stack overflow aborts the
/// process: call this from a thread with [`source::STACK_SIZE`] bytes of
/// stack, as `scan` does for the workspace's files. Files nested beyond
/// [`source::MAX_NESTING`] are refused with an error instead. The result
/// holds syn trees, which are not `Send`: derive what is needed from it on
/// the thread that read it.
pub fn read_crate(dep: &DepCrate, cfg: &Cfg) -> CrateSource {
    let mut reader = Reader {
        cfg,
        features: &dep.features,
        out: CrateSource::default(),
        wrappers: HashMap::new(),
        macros: HashMap::new(),
        expansions: 0,
        seen: HashMap::new(),
    };
    reader.load(&dep.root, vec!["crate".to_owned()], true, 0);
    reader.out
}

/// Tokens without a last `;`: an invocation as an item ends with one.
fn strip_semi(tokens: TokenStream) -> TokenStream {
    let mut all: Vec<TokenTree> = tokens.into_iter().collect();
    if matches!(all.last(), Some(TokenTree::Punct(p)) if p.as_char() == ';') {
        all.pop();
    }
    all.into_iter().collect()
}

/// A `macro_rules!` that only puts attributes on each item it is given:
/// `($($i:item)*) => { $( #[cfg(x)] $i )* }`, optionally taking the
/// predicate as an inner attribute first (`#![$m:meta]`, tokio's `feature!`).
#[derive(Clone, Debug)]
struct Wrapper {
    /// The name of the `$m:meta` variable, when there is one.
    meta_var: Option<String>,
    /// The attributes put before each item, with `$m` unsubstituted.
    template: TokenStream,
}

struct Reader<'a> {
    cfg: &'a Cfg,
    features: &'a [String],
    out: CrateSource,
    /// Wrapper macros seen so far, by name: `macro_rules!` scope is textual,
    /// and files are read in declaration order, so a macro defined in
    /// `#[macro_use] mod macros;` is known when later items use it.
    wrappers: HashMap<String, Wrapper>,
    /// Every other `macro_rules!` seen so far, by name, for invocations
    /// among an impl's or a trait's items (see [`crate::expand`]).
    macros: HashMap<String, Rc<MacroRules>>,
    /// How many invocations were expanded in this crate: a macro that
    /// expands to itself stops at [`MAX_EXPANSIONS`].
    expansions: usize,
    /// How many modules each file was read as: rustc lets several `#[path]`
    /// attributes name one file (rustls's `aws_lc_rs` modules reuse
    /// `../ring/hash.rs`), each a module of its own.
    seen: HashMap<PathBuf, usize>,
}

/// Where the `mod` declarations of an item list find their files.
struct Loc<'p> {
    /// The directory of the file being read.
    file_dir: &'p Path,
    /// The directory a `mod x;` here looks in for `x.rs` / `x/mod.rs`.
    mod_dir: PathBuf,
    /// Inside an inline `mod a { .. }`: a `#[path]` is then relative to
    /// `mod_dir` rather than to the file's directory.
    inline: bool,
}

impl Reader<'_> {
    /// Reads and parses the file of a module, then its submodules.
    /// `owns_dir`: a crate root, `mod.rs` or `#[path]` file, whose
    /// submodules live next to it rather than in a directory of its name.
    fn load(&mut self, path: &Path, module_path: Vec<String>, owns_dir: bool, depth: usize) {
        let key = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let times = self.seen.entry(key).or_default();
        *times += 1;
        // A file that names itself as a module again would nest until the
        // depth limit, doubling with every second such `mod`: the count
        // stops that long before.
        if *times > MAX_READS_OF_A_FILE {
            self.out.errors.push(format!(
                "cannot read `{}` as module `{}`: it is already read as {MAX_READS_OF_A_FILE} other modules",
                path.display(),
                module_path.join("::")
            ));
            return;
        }
        if depth > MAX_MODULE_DEPTH {
            self.out.errors.push(format!(
                "cannot read `{}`: modules nest more than {MAX_MODULE_DEPTH} files deep",
                path.display()
            ));
            return;
        }
        // Doc comments as plain comments, as in the workspace's files
        // (`source::for_parser`): a dependency's docs are most of its bytes.
        let text = match source::read(path).and_then(|t| {
            let blanked = match source::for_parser(&t)? {
                std::borrow::Cow::Owned(o) => Some(o),
                std::borrow::Cow::Borrowed(_) => None,
            };
            Ok(blanked.unwrap_or(t))
        }) {
            Ok(t) => t,
            Err(r) => {
                self.out
                    .errors
                    .push(format!("cannot read `{}`: {}", path.display(), r.message()));
                return;
            }
        };
        let mut file = match syn::parse_file(&text) {
            Ok(f) => f,
            Err(e) => match parse_leniently(&text) {
                // Most of a 2015-edition file parses: keep what does.
                // With every item read in 2018's words (fxhash's
                // `fn hash_word(&mut self, Self);`), nothing was lost.
                Some((f, skipped)) if !f.items.is_empty() => {
                    if let Some(first) = skipped.first() {
                        self.out.errors.push(format!(
                            "skipped {} item(s) of `{}` that do not parse (the first: {first})",
                            skipped.len(),
                            path.display(),
                        ));
                    }
                    f
                }
                _ => {
                    self.out
                        .errors
                        .push(format!("cannot parse `{}`: {e}", path.display()));
                    return;
                }
            },
        };
        // `#![cfg(windows)]` at the top of a file turns the whole module off.
        if !self.cfg.enabled(&file.attrs, self.features) {
            return;
        }
        syn::visit_mut::VisitMut::visit_file_mut(
            &mut CfgBodies {
                cfg: self.cfg,
                features: self.features,
            },
            &mut file,
        );
        let file_dir = path.parent().unwrap_or(Path::new("."));
        let mod_dir = match (owns_dir, path.file_stem()) {
            (false, Some(stem)) => file_dir.join(stem),
            _ => file_dir.to_path_buf(),
        };
        // The slot keeps the parent before its submodules in `files`.
        let slot = self.out.files.len();
        self.out.files.push(DepFile {
            path: path.to_path_buf(),
            module_path: module_path.clone(),
            file: syn::File {
                shebang: None,
                attrs: Vec::new(),
                items: Vec::new(),
            },
            text_len: text.len(),
        });
        let items = std::mem::take(&mut file.items);
        let loc = Loc {
            file_dir,
            mod_dir,
            inline: false,
        };
        file.items = self.items(items, &loc, &module_path, depth);
        if let Some(f) = self.out.files.get_mut(slot) {
            f.file = file;
        }
    }

    /// The items of a module that a host build keeps, their submodules read.
    fn items(
        &mut self,
        items: Vec<Item>,
        loc: &Loc<'_>,
        module_path: &[String],
        depth: usize,
    ) -> Vec<Item> {
        let (cfg, features) = (self.cfg, self.features);
        let mut out = Vec::with_capacity(items.len());
        let mut queue: VecDeque<Item> = items.into();
        while let Some(item) = queue.pop_front() {
            if !cfg.enabled(item_attrs(&item), features) {
                continue;
            }
            match item {
                Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                    if let Some(name) = &m.ident {
                        let name = name.unraw().to_string();
                        match wrapper_of(&m.mac.tokens) {
                            Some(w) => {
                                self.macros.remove(&name);
                                self.wrappers.insert(name, w);
                            }
                            None => {
                                self.wrappers.remove(&name);
                                match MacroRules::parse(&m.mac.tokens) {
                                    Some(rules) => {
                                        self.macros.insert(name, Rc::new(rules));
                                    }
                                    None => {
                                        self.macros.remove(&name);
                                    }
                                }
                            }
                        }
                    }
                    out.push(Item::Macro(m));
                }
                Item::Macro(m) if m.ident.is_none() => {
                    let is_cfg_if = m
                        .mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "cfg_if");
                    let expanded = if is_cfg_if {
                        cfg_if_branch(&m.mac.tokens, &|attrs| cfg.enabled(attrs, features))
                    } else {
                        m.mac
                            .path
                            .get_ident()
                            .and_then(|i| self.wrappers.get(&i.unraw().to_string()))
                            .and_then(|w| expand(w, &m.mac.tokens))
                    };
                    match expanded {
                        // Expanded items are checked like any other, in place.
                        Some(items) => {
                            for it in items.into_iter().rev() {
                                queue.push_front(it);
                            }
                        }
                        None => out.push(Item::Macro(m)),
                    }
                }
                Item::Mod(mut m) => {
                    let name = m.ident.unraw().to_string();
                    let mut child = module_path.to_vec();
                    child.push(name.clone());
                    let path_attr = cfg.path_attr(&m.attrs, features);
                    match m.content.take() {
                        Some((brace, inner)) => {
                            // rustc: a `#[path]` on an inline module at the
                            // top of `a/b.rs` is relative to `a/`, not to
                            // `a/b/` where `mod x;` looks (num-bigint's
                            // `#[path = "bigrand"] mod impl_0_10 { mod traits; }`
                            // in `src/bigrand.rs` is `src/bigrand/traits.rs`).
                            let dir = match &path_attr {
                                Some(p) if !loc.inline => loc.file_dir.join(p),
                                Some(p) => loc.mod_dir.join(p),
                                None => loc.mod_dir.join(&name),
                            };
                            let inner_loc = Loc {
                                file_dir: loc.file_dir,
                                mod_dir: dir,
                                inline: true,
                            };
                            m.content = Some((brace, self.items(inner, &inner_loc, &child, depth)));
                        }
                        None => {
                            let fallback = if path_attr.is_none() {
                                cfg_attr_paths(&m.attrs)
                            } else {
                                Vec::new()
                            };
                            self.load_mod(&name, path_attr, &fallback, loc, child, depth);
                        }
                    }
                    out.push(Item::Mod(m));
                }
                Item::Impl(mut i) => {
                    i.items = self.expand_in(std::mem::take(&mut i.items), |ii| match ii {
                        syn::ImplItem::Macro(m) => Some(&m.mac),
                        _ => None,
                    });
                    i.items
                        .retain(|ii| cfg.enabled(impl_item_attrs(ii), features));
                    out.push(Item::Impl(i));
                }
                Item::Trait(mut t) => {
                    t.items = self.expand_in(std::mem::take(&mut t.items), |ti| match ti {
                        syn::TraitItem::Macro(m) => Some(&m.mac),
                        _ => None,
                    });
                    t.items
                        .retain(|ti| cfg.enabled(trait_item_attrs(ti), features));
                    out.push(Item::Trait(t));
                }
                Item::ForeignMod(mut f) => {
                    f.items
                        .retain(|fi| cfg.enabled(foreign_item_attrs(fi), features));
                    out.push(Item::ForeignMod(f));
                }
                // A field that is off here has no type to feed the walk
                // (tauri's `#[cfg(feature = "protocol-asset")]` asset scope).
                Item::Struct(mut st) => {
                    retain_fields(&mut st.fields, cfg, features);
                    out.push(Item::Struct(st));
                }
                Item::Enum(mut en) => {
                    en.variants = std::mem::take(&mut en.variants)
                        .into_iter()
                        .filter(|v| cfg.enabled(&v.attrs, features))
                        .map(|mut v| {
                            retain_fields(&mut v.fields, cfg, features);
                            v
                        })
                        .collect();
                    out.push(Item::Enum(en));
                }
                other => out.push(other),
            }
        }
        out
    }

    /// What an invocation of one of the crate's `macro_rules!` expands to,
    /// read as a list of `T`, while the crate's budget lasts.
    fn expand_as<T: syn::parse::Parse>(&mut self, mac: &syn::Macro) -> Option<Vec<T>> {
        let name = mac.path.segments.last()?.ident.unraw().to_string();
        let rules = Rc::clone(self.macros.get(&name)?);
        if self.expansions >= MAX_EXPANSIONS {
            return None;
        }
        self.expansions += 1;
        let tokens = rules.expand(&mac.tokens)?;
        // A rule that calls the macro again with what it was given (axum's
        // `top_level_service_fn!` adds doc comments, which are blanked
        // here) would expand forever.
        let again = matches!(tokens.clone().into_iter().next(), Some(TokenTree::Ident(i)) if i == name)
            && syn::parse2::<syn::Macro>(strip_semi(tokens.clone()))
                .is_ok_and(|m| m.tokens.to_string() == mac.tokens.to_string());
        if again {
            return None;
        }
        crate::expand::parse_list(tokens)
    }

    /// An impl's or a trait's items with their macro invocations expanded
    /// in place, also those an expansion makes.
    fn expand_in<T: syn::parse::Parse>(
        &mut self,
        items: Vec<T>,
        mac_of: impl Fn(&T) -> Option<&syn::Macro>,
    ) -> Vec<T> {
        if !items.iter().any(|i| mac_of(i).is_some()) {
            return items;
        }
        let mut out = Vec::with_capacity(items.len());
        let mut queue: VecDeque<T> = items.into();
        while let Some(item) = queue.pop_front() {
            let expanded = mac_of(&item).and_then(|m| self.expand_as::<T>(m));
            match expanded {
                Some(more) => {
                    for it in more.into_iter().rev() {
                        queue.push_front(it);
                    }
                }
                None => out.push(item),
            }
        }
        out
    }

    /// Finds and reads the file of `mod name;`. `fallback`: the paths of its
    /// `cfg_attr(pred, path = "..")`s whose predicates are false here,
    /// tried when the default files do not exist: a build script's own
    /// cfgs (rustix's `linux_raw`) are unknown to us, and reading the first
    /// existing choice beats reading nothing.
    fn load_mod(
        &mut self,
        name: &str,
        path_attr: Option<String>,
        fallback: &[String],
        loc: &Loc<'_>,
        child: Vec<String>,
        depth: usize,
    ) {
        if let Some(p) = path_attr {
            // rustc: relative to the file's directory at the top of a file,
            // to the inline modules' directory inside them.
            let target = if loc.inline {
                loc.mod_dir.join(p)
            } else {
                loc.file_dir.join(p)
            };
            self.load(&target, child, true, depth + 1);
            return;
        }
        let flat = loc.mod_dir.join(format!("{name}.rs"));
        let nested = loc.mod_dir.join(name).join("mod.rs");
        if flat.is_file() {
            self.load(&flat, child, false, depth + 1);
        } else if nested.is_file() {
            self.load(&nested, child, true, depth + 1);
        } else if let Some(p) = fallback
            .iter()
            .map(|p| {
                if loc.inline {
                    loc.mod_dir.join(p)
                } else {
                    loc.file_dir.join(p)
                }
            })
            .find(|p| p.is_file())
        {
            self.load(&p, child, true, depth + 1);
        } else {
            self.out.errors.push(format!(
                "cannot find the file of module `{}`: neither `{}` nor `{}` exists",
                child.join("::"),
                flat.display(),
                nested.display()
            ));
        }
    }
}

/// The wrapper a `macro_rules!` body defines, if its first rule is one.
fn wrapper_of(tokens: &TokenStream) -> Option<Wrapper> {
    let toks: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let (Some(TokenTree::Group(matcher)), true, true, Some(TokenTree::Group(body))) = (
        toks.first(),
        is_punct(toks.get(1), '='),
        is_punct(toks.get(2), '>'),
        toks.get(3),
    ) else {
        return None;
    };
    let m: Vec<TokenTree> = matcher.stream().into_iter().collect();
    let mut at = 0;
    let mut meta_var = None;
    if is_punct(m.first(), '#') && is_punct(m.get(1), '!') {
        let Some(TokenTree::Group(g)) = m.get(2) else {
            return None;
        };
        let inner: Vec<TokenTree> = g.stream().into_iter().collect();
        match inner.as_slice() {
            [d, TokenTree::Ident(var), c, TokenTree::Ident(kind)]
                if is_punct(Some(d), '$') && is_punct(Some(c), ':') && kind == "meta" =>
            {
                meta_var = Some(var.to_string());
            }
            _ => return None,
        }
        at = 3;
    }
    let item_var = match m.get(at..)? {
        [d, TokenTree::Group(rep), star]
            if is_punct(Some(d), '$')
                && is_punct(Some(star), '*')
                && rep.delimiter() == Delimiter::Parenthesis =>
        {
            let rep: Vec<TokenTree> = rep.stream().into_iter().collect();
            match rep.as_slice() {
                [d, TokenTree::Ident(var), c, TokenTree::Ident(kind)]
                    if is_punct(Some(d), '$') && is_punct(Some(c), ':') && kind == "item" =>
                {
                    var.to_string()
                }
                _ => return None,
            }
        }
        _ => return None,
    };
    let t: Vec<TokenTree> = body.stream().into_iter().collect();
    let [d, TokenTree::Group(rep), star] = t.as_slice() else {
        return None;
    };
    if !is_punct(Some(d), '$') || !is_punct(Some(star), '*') {
        return None;
    }
    let rep: Vec<TokenTree> = rep.stream().into_iter().collect();
    let n = rep.len();
    match rep.get(n.checked_sub(2)?..)? {
        [d, TokenTree::Ident(var)] if is_punct(Some(d), '$') && *var == item_var => {}
        _ => return None,
    }
    let template: TokenStream = rep.get(..n - 2)?.iter().cloned().collect();
    // Only attributes may come before the item.
    let subst = substitute(&template, meta_var.as_deref(), &TokenStream::new());
    Attribute::parse_outer.parse2(subst).ok()?;
    Some(Wrapper { meta_var, template })
}

/// The items of an invocation of `w`, each with the wrapper's attributes first.
/// The items of the branch of a `cfg_if::cfg_if! { if #[cfg(..)] { .. }
/// else if #[cfg(..)] { .. } else { .. } }` that the host build takes: the
/// first whose `cfg` holds, else the `else` branch; none when no branch
/// holds. `None` when the tokens are not of that form.
fn cfg_if_branch(
    tokens: &TokenStream,
    enabled: &dyn Fn(&[Attribute]) -> bool,
) -> Option<Vec<Item>> {
    let branches = |input: syn::parse::ParseStream<'_>| {
        let mut out: Vec<(Option<Vec<Attribute>>, TokenStream)> = Vec::new();
        loop {
            let attrs = if input.peek(Token![if]) {
                input.parse::<Token![if]>()?;
                Some(input.call(Attribute::parse_outer)?)
            } else {
                None
            };
            let content;
            syn::braced!(content in input);
            out.push((attrs, content.parse()?));
            if input.is_empty() {
                return Ok(out);
            }
            input.parse::<Token![else]>()?;
        }
    };
    let all = branches.parse2(tokens.clone()).ok()?;
    let Some((_, body)) = all
        .into_iter()
        .find(|(attrs, _)| attrs.as_deref().is_none_or(enabled))
    else {
        return Some(Vec::new());
    };
    syn::parse2::<syn::File>(body).ok().map(|f| f.items)
}

fn expand(w: &Wrapper, tokens: &TokenStream) -> Option<Vec<Item>> {
    let file: syn::File = syn::parse2(tokens.clone()).ok()?;
    let meta = match &w.meta_var {
        Some(_) => file.attrs.first()?.meta.to_token_stream(),
        None => TokenStream::new(),
    };
    let attrs = Attribute::parse_outer
        .parse2(substitute(&w.template, w.meta_var.as_deref(), &meta))
        .ok()?;
    let mut items = file.items;
    for item in &mut items {
        if let Some(a) = item_attrs_mut(item) {
            a.splice(0..0, attrs.iter().cloned());
        }
    }
    Some(items)
}

/// `template` with every `$var` replaced by `with`.
fn substitute(template: &TokenStream, var: Option<&str>, with: &TokenStream) -> TokenStream {
    let Some(var) = var else {
        return template.clone();
    };
    let toks: Vec<TokenTree> = template.clone().into_iter().collect();
    let mut out = Vec::with_capacity(toks.len());
    let mut i = 0;
    while let Some(t) = toks.get(i) {
        match (t, toks.get(i + 1)) {
            (TokenTree::Punct(p), Some(TokenTree::Ident(id)))
                if p.as_char() == '$' && id == var =>
            {
                out.extend(with.clone());
                i += 2;
                continue;
            }
            (TokenTree::Group(g), _) => {
                let mut ng = proc_macro2::Group::new(
                    g.delimiter(),
                    substitute(&g.stream(), Some(var), with),
                );
                ng.set_span(g.span());
                out.push(TokenTree::Group(ng));
            }
            _ => out.push(t.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

fn is_punct(t: Option<&TokenTree>, c: char) -> bool {
    matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

fn item_attrs(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::ExternCrate(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::ForeignMod(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Macro(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::TraitAlias(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Union(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_attrs_mut(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &syn::ImplItem) -> &[Attribute] {
    match item {
        syn::ImplItem::Const(i) => &i.attrs,
        syn::ImplItem::Fn(i) => &i.attrs,
        syn::ImplItem::Type(i) => &i.attrs,
        syn::ImplItem::Macro(i) => &i.attrs,
        _ => &[],
    }
}

fn trait_item_attrs(item: &syn::TraitItem) -> &[Attribute] {
    match item {
        syn::TraitItem::Const(i) => &i.attrs,
        syn::TraitItem::Fn(i) => &i.attrs,
        syn::TraitItem::Type(i) => &i.attrs,
        syn::TraitItem::Macro(i) => &i.attrs,
        _ => &[],
    }
}

fn foreign_item_attrs(item: &syn::ForeignItem) -> &[Attribute] {
    match item {
        syn::ForeignItem::Fn(i) => &i.attrs,
        syn::ForeignItem::Static(i) => &i.attrs,
        syn::ForeignItem::Type(i) => &i.attrs,
        syn::ForeignItem::Macro(i) => &i.attrs,
        _ => &[],
    }
}

/// Where derived facts about dependencies are kept between runs, so an
/// unchanged dependency is read once.
///
/// Every entry carries a header (magic, format version, payload length,
/// SHA-256 of the payload): a truncated or corrupt entry reads as absent
/// and is rebuilt, never used wrong. Writes go to a temporary file in the
/// same directory, then are renamed over the entry, so two runs sharing the
/// cache see either the old entry or the new one. Nothing here fails a
/// scan: a failed write is skipped, with at most one warning per process.
#[derive(Debug)]
pub struct Cache {
    dir: PathBuf,
    warned: AtomicBool,
}

/// What a cached [`DepGraph`] holds: a graph cached by an older layout
/// (without keywords, say) is not read as one with empty fields.
const GRAPH_FORMAT: u32 = 2;

const MAGIC: &[u8; 4] = b"PGDC";
const FORMAT: u32 = 1;
const HEADER_LEN: usize = 4 + 4 + 8 + 32;

impl Cache {
    /// The cache at `$POLLGUARD_CACHE_DIR`, else `$XDG_CACHE_HOME/pollguard`,
    /// else the platform's cache directory; `None` when there is none or it
    /// cannot be created (the scan goes on without a cache).
    pub fn open() -> Option<Cache> {
        Self::open_with(|k| std::env::var_os(k))
    }

    fn open_with(env: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<Cache> {
        let non_empty = |k: &str| env(k).filter(|v| !v.is_empty()).map(PathBuf::from);
        let dir = non_empty("POLLGUARD_CACHE_DIR")
            .or_else(|| non_empty("XDG_CACHE_HOME").map(|d| d.join("pollguard")))
            .or_else(|| dirs::cache_dir().map(|d| d.join("pollguard")))?;
        std::fs::create_dir_all(&dir).ok()?;
        Some(Cache::at(dir))
    }

    /// A cache in `dir`, created on the first write.
    pub fn at(dir: impl Into<PathBuf>) -> Cache {
        Cache {
            dir: dir.into(),
            warned: AtomicBool::new(false),
        }
    }

    /// The directory the entries are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of an entry: the key when it is a plain hex or word name,
    /// else its hash, so no key can name a path outside the directory.
    fn entry(&self, key: &str) -> PathBuf {
        let plain = !key.is_empty()
            && key.len() <= 128
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        let name = if plain {
            key.to_owned()
        } else {
            hex(&Sha256::digest(key.as_bytes()))
        };
        self.dir.join(format!("{name}.pgc"))
    }

    /// The payload stored under `key`; `None` when absent, unreadable,
    /// truncated, of another format, or failing its checksum.
    pub fn get(&self, key: &str) -> Option<Vec<u8>> {
        let path = self.entry(key);
        let bytes = std::fs::read(&path).ok()?;
        let header = bytes.get(..HEADER_LEN)?;
        if header.get(..4)? != MAGIC {
            return None;
        }
        let format = u32::from_le_bytes(header.get(4..8)?.try_into().ok()?);
        let len = u64::from_le_bytes(header.get(8..16)?.try_into().ok()?);
        let sum = header.get(16..48)?;
        let payload = bytes.get(HEADER_LEN..)?;
        if format != FORMAT
            || u64::try_from(payload.len()).ok()? != len
            || Sha256::digest(payload).as_slice() != sum
        {
            return None;
        }
        // Used now: [`Cache::prune`] keeps it.
        if let Ok(f) = std::fs::File::options().append(true).open(&path) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Some(payload.to_vec())
    }

    /// `len` bytes at `offset` of the payload stored under `key`, unchecked:
    /// for an entry too large to hash whole on every read, whose parts the
    /// caller checks against hashes it keeps elsewhere. Marks the entry used
    /// when `offset` is 0 (see [`Cache::prune`]).
    pub fn get_range(&self, key: &str, offset: u64, len: u64) -> Option<Vec<u8>> {
        use std::io::{Read as _, Seek as _, SeekFrom};
        let mut f = std::fs::File::open(self.entry(key)).ok()?;
        let mut header = [0u8; HEADER_LEN];
        f.read_exact(&mut header).ok()?;
        let format = u32::from_le_bytes(header.get(4..8)?.try_into().ok()?);
        let total = u64::from_le_bytes(header.get(8..16)?.try_into().ok()?);
        if header.get(..4)? != MAGIC || format != FORMAT || offset.checked_add(len)? > total {
            return None;
        }
        let mut buf = vec![0u8; usize::try_from(len).ok()?];
        f.seek(SeekFrom::Start(HEADER_LEN as u64 + offset)).ok()?;
        f.read_exact(&mut buf).ok()?;
        if offset == 0 {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
        Some(buf)
    }

    /// Marks an entry used now, so [`Cache::prune`] keeps it.
    pub fn touch(&self, key: &str) {
        if let Ok(f) = std::fs::File::options().append(true).open(self.entry(key)) {
            let _ = f.set_modified(std::time::SystemTime::now());
        }
    }

    /// Removes the entries not written or read for `max_age`: those of
    /// dependency versions and pollguard builds no longer used. Best effort.
    pub fn prune(&self, max_age: std::time::Duration) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = std::time::SystemTime::now();
        for e in entries.flatten() {
            let path = e.path();
            let ours = path.extension().is_some_and(|x| x == "pgc")
                || e.file_name().to_string_lossy().starts_with(".tmp-");
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > max_age);
            if ours && old {
                let _ = std::fs::remove_file(path);
            }
        }
    }

    /// Stores `bytes` under `key`, replacing any entry atomically; failures
    /// are ignored after one warning on stderr.
    pub fn put(&self, key: &str, bytes: &[u8]) {
        if let Err(e) = self.try_put(key, bytes) {
            if !self.warned.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "warning: cannot write the dependency cache in `{}`: {e}; dependencies will be read again next time",
                    self.dir.display()
                );
            }
        }
    }

    fn try_put(&self, key: &str, bytes: &[u8]) -> std::io::Result<()> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        std::fs::create_dir_all(&self.dir)?;
        let entry = self.entry(key);
        let tmp = self.dir.join(format!(
            ".tmp-{}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            entry
                .file_name()
                .map(|n| n.to_string_lossy())
                .unwrap_or_default()
        ));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(MAGIC)?;
            f.write_all(&FORMAT.to_le_bytes())?;
            f.write_all(&(bytes.len() as u64).to_le_bytes())?;
            f.write_all(&Sha256::digest(bytes))?;
            f.write_all(bytes)?;
            // No fsync: after a crash an entry may be cut short, and then
            // its checksum fails and it is rebuilt.
            std::fs::rename(&tmp, &entry)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written
    }
}

/// Whether to show a progress bar: stderr is a terminal and `--quiet` is off.
pub fn progress_wanted(quiet: bool) -> bool {
    !quiet && std::io::stderr().is_terminal()
}

/// A progress bar on stderr while dependencies are read: crates read of
/// the total, files read, and how many crates came from the cache. Safe to
/// share between the worker threads.
#[derive(Debug)]
pub struct Progress {
    bar: indicatif::ProgressBar,
    files: AtomicU64,
    cached: AtomicU64,
}

impl Progress {
    /// A bar for `total_crates`; hidden (every call a no-op) unless `enabled`
    /// (see [`progress_wanted`]).
    pub fn new(total_crates: u64, enabled: bool) -> Progress {
        let bar = if enabled {
            let bar = indicatif::ProgressBar::with_draw_target(
                Some(total_crates),
                indicatif::ProgressDrawTarget::stderr(),
            );
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "reading dependencies [{bar:25}] {pos}/{len} crates, {msg}",
            ) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        } else {
            indicatif::ProgressBar::hidden()
        };
        Progress {
            bar,
            files: AtomicU64::new(0),
            cached: AtomicU64::new(0),
        }
    }

    /// One more crate done: `files` read from disk, or none when it came
    /// from the cache.
    pub fn crate_done(&self, name: &str, cached: bool, files: u64) {
        let files = self.files.fetch_add(files, Ordering::Relaxed) + files;
        let cached =
            self.cached.fetch_add(u64::from(cached), Ordering::Relaxed) + u64::from(cached);
        self.bar
            .set_message(format!("{files} files, {cached} from the cache ({name})"));
        self.bar.inc(1);
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(s: &str) -> Meta {
        match syn::parse_str::<Meta>(s) {
            Ok(m) => m,
            Err(e) => panic!("bad test predicate {s}: {e}"),
        }
    }

    const LINUX: &str = "debug_assertions\npanic=\"unwind\"\ntarget_arch=\"x86_64\"\ntarget_family=\"unix\"\ntarget_os=\"linux\"\ntarget_pointer_width=\"64\"\nunix\n";

    #[test]
    fn cfg_predicates() {
        let cfg = Cfg::parse(LINUX);
        let f = vec!["rt".to_owned()];
        for (pred, want) in [
            ("unix", true),
            ("windows", false),
            ("target_os = \"linux\"", true),
            ("target_os = \"macos\"", false),
            ("feature = \"rt\"", true),
            ("feature = \"fs\"", false),
            ("all(unix, feature = \"rt\")", true),
            ("all(unix, feature = \"fs\")", false),
            ("any(windows, feature = \"rt\")", true),
            ("not(windows)", true),
            ("test", false),
            ("not(test)", true),
            ("docsrs", false),
            ("any(loom, miri)", false),
            ("not(any(loom, miri))", true),
            ("not(unix, windows)", false),
            ("weird(unix)", false),
            ("all()", true),
            ("any()", false),
        ] {
            assert_eq!(cfg.eval(&meta(pred), &f), want, "{pred}");
        }
    }

    #[test]
    fn cfg_attributes() {
        let cfg = Cfg::parse(LINUX);
        let item: syn::ItemFn = match syn::parse_str(
            "#[cfg_attr(unix, cfg(feature = \"x\"))] #[cfg_attr(windows, path = \"w.rs\")] #[cfg_attr(unix, path = \"u.rs\")] fn f() {}",
        ) {
            Ok(i) => i,
            Err(e) => panic!("{e}"),
        };
        assert!(!cfg.enabled(&item.attrs, &[]));
        assert!(cfg.enabled(&item.attrs, &["x".to_owned()]));
        assert_eq!(cfg.path_attr(&item.attrs, &[]).as_deref(), Some("u.rs"));
        let t: syn::ItemFn = match syn::parse_str("#[cfg(false)] fn f() {}") {
            Ok(i) => i,
            Err(e) => panic!("{e}"),
        };
        assert!(!cfg.enabled(&t.attrs, &[]));
    }

    /// The compiler is named without running it only when nothing but
    /// what is stamped could change it: a plain `rustc` by its file, a
    /// rustup proxy by the toolchain rustup gave the process.
    #[cfg(unix)]
    #[test]
    fn the_compiler_is_named_by_its_file_and_a_proxy_by_its_toolchain() {
        use std::ffi::OsString;
        let tmp = std::env::temp_dir().join(format!("pollguard-stamp-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let (bin, plain, home) = (tmp.join("bin"), tmp.join("plain"), tmp.join("rustup"));
        for (dir, name, text) in [
            (&bin, "rustup", "proxy"),
            (&plain, "rustc", "compiler"),
            (&home.join("toolchains/stable/bin"), "rustc", "stable"),
            (&home.join("toolchains/nightly/bin"), "rustc", "nightly"),
        ] {
            std::fs::create_dir_all(dir).expect("dir");
            std::fs::write(dir.join(name), text).expect("file");
        }
        std::os::unix::fs::symlink("rustup", bin.join("rustc")).expect("symlink");
        let vars = |pairs: &[(&str, &Path)]| {
            let pairs: Vec<(String, OsString)> = pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.as_os_str().to_owned()))
                .collect();
            move |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
        };
        let path = |dir: &Path| std::env::join_paths([dir]).expect("path");
        let plain_stamp = toolchain_stamp_with(vars(&[]), &path(&plain));
        assert!(plain_stamp.is_some());
        // A proxy without rustup's variables would choose by files not read.
        assert_eq!(toolchain_stamp_with(vars(&[]), &path(&bin)), None);
        let with = |toolchain: &str| {
            toolchain_stamp_with(
                vars(&[
                    ("RUSTUP_HOME", &home),
                    ("RUSTUP_TOOLCHAIN", Path::new(toolchain)),
                ]),
                &path(&bin),
            )
        };
        let stable = with("stable");
        assert!(stable.is_some());
        assert_ne!(stable, with("nightly"));
        assert_eq!(with("beta"), None, "no such toolchain");
        // An updated toolchain is another compiler.
        std::fs::write(home.join("toolchains/stable/bin/rustc"), "stable, updated")
            .expect("update");
        assert_ne!(with("stable"), stable);
        // `$RUSTC` as a path is that file, whatever `PATH` holds.
        let chosen = toolchain_stamp_with(vars(&[("RUSTC", &plain.join("rustc"))]), &path(&bin));
        assert_eq!(chosen, plain_stamp);
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn old_syntax_is_written_as_2018_would_and_new_syntax_is_left_alone() {
        for old in [
            "type Action = Fn(&siginfo_t) + Send + Sync;",
            "type A = Box<FnMut(u8) -> u8 + Send>;",
            "fn f(x: &Fn(u8), y: &mut FnOnce()) -> Box<Fn()> { loop {} }",
            "struct S { f: Box<Fn(u8)>, g: HashMap<u8, Fn()> }",
            "trait HashWord { fn hash_word(&mut self, Self); }",
            "trait T { fn f<K: Into<String>>(&self, HashMap<K, Vec<u8>>, &str) -> u8; }",
        ] {
            assert!(syn::parse_file(old).is_err(), "{old}");
            let tokens: TokenStream = old.parse().expect("lexes");
            let new = modernized(tokens);
            assert!(
                syn::parse2::<syn::File>(new.clone()).is_ok(),
                "{old} -> {new}"
            );
        }
        for new in [
            "fn f<F: Fn() -> u8, G>(a: HashMap<u8, u16>, g: G) where G: for<'a> Fn(&'a u8) + Send {}",
            "fn f(cb: impl Fn(u8) -> u8, p: fn(u8, u16) -> u8, (a, b): (u8, u8)) {}",
            "trait T { fn f(&self, x: Box<dyn Fn()>); fn g(self: Box<Self>); }",
            "struct P(u8, u16); fn h() { let t = (1, 2); g(a, b); }",
        ] {
            let tokens: TokenStream = new.parse().expect("lexes");
            assert_eq!(modernized(tokens.clone()).to_string(), tokens.to_string());
        }
    }

    #[test]
    fn a_file_with_old_syntax_keeps_the_items_that_parse() {
        let text = "#![allow(x)]\n\
                    type Action = Fn(&u8) + Send + Sync;\n\
                    trait HashWord {\n    fn hash_word(&mut self, Self);\n}\n\
                    pub fn kept() { std::fs::read(\"a\"); }\n\
                    fn old() { let try = 1; }\n\
                    pub struct AlsoKept;\n";
        assert!(syn::parse_file(text).is_err());
        let Some((file, skipped)) = parse_leniently(text) else {
            panic!("it lexes")
        };
        let names: Vec<String> = file
            .items
            .iter()
            .map(|i| match i {
                Item::Fn(f) => f.sig.ident.to_string(),
                Item::Struct(s) => s.ident.to_string(),
                _ => "other".to_owned(),
            })
            .collect();
        assert_eq!(names, ["other", "other", "kept", "AlsoKept"]);
        assert_eq!(file.attrs.len(), 1);
        let lines: Vec<&str> = skipped
            .iter()
            .map(|s| s.split(':').next().unwrap_or(""))
            .collect();
        // Only `try` as a name is left.
        assert_eq!(lines, ["line 7"]);
        assert!(parse_leniently("fn f() { \"unclosed }").is_none());
    }

    #[test]
    fn wrapper_macros() {
        let file: syn::File = match syn::parse_str(
            "macro_rules! cfg_rt { ($($item:item)*) => { $( #[cfg(feature = \"rt\")] $item )* } }
             macro_rules! feature { (#![$meta:meta] $($item:item)*) => { $( #[cfg($meta)] #[cfg_attr(docsrs, doc(cfg($meta)))] $item )* } }
             macro_rules! other { ($e:expr) => { $e } }",
        ) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        };
        let ws: Vec<Option<Wrapper>> = file
            .items
            .iter()
            .map(|i| match i {
                Item::Macro(m) => wrapper_of(&m.mac.tokens),
                _ => None,
            })
            .collect();
        assert!(ws[0].is_some() && ws[1].is_some() && ws[2].is_none());
        let cfg = Cfg::parse(LINUX);
        let Some(Some(rt)) = ws.first() else {
            panic!("no wrapper")
        };
        let items =
            expand(rt, &"pub mod a; fn b() {}".parse().unwrap_or_default()).unwrap_or_default();
        assert_eq!(items.len(), 2);
        assert!(!cfg.enabled(item_attrs(&items[0]), &[]));
        assert!(cfg.enabled(item_attrs(&items[0]), &["rt".to_owned()]));
        let Some(Some(feat)) = ws.get(1) else {
            panic!("no wrapper")
        };
        let items = expand(
            feat,
            &"#![any(windows, feature = \"x\")] mod c;"
                .parse()
                .unwrap_or_default(),
        )
        .unwrap_or_default();
        assert_eq!(items.len(), 1);
        assert!(!cfg.enabled(item_attrs(&items[0]), &[]));
        assert!(cfg.enabled(item_attrs(&items[0]), &["x".to_owned()]));
    }

    #[test]
    fn cache_dir_precedence() {
        let tmp = std::env::temp_dir().join(format!("pollguard-cache-test-{}", std::process::id()));
        let own = tmp.join("own");
        let xdg = tmp.join("xdg");
        let c = Cache::open_with(|k| match k {
            "POLLGUARD_CACHE_DIR" => Some(own.clone().into()),
            "XDG_CACHE_HOME" => Some(xdg.clone().into()),
            _ => None,
        });
        assert_eq!(c.map(|c| c.dir().to_path_buf()), Some(own.clone()));
        let c = Cache::open_with(|k| match k {
            "POLLGUARD_CACHE_DIR" => Some("".into()),
            "XDG_CACHE_HOME" => Some(xdg.clone().into()),
            _ => None,
        });
        assert_eq!(
            c.map(|c| c.dir().to_path_buf()),
            Some(xdg.join("pollguard"))
        );
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn cache_keys_cannot_escape() {
        let c = Cache::at("/nowhere");
        assert_eq!(c.entry("abc123"), Path::new("/nowhere/abc123.pgc"));
        let e = c.entry("../../etc/passwd");
        assert_eq!(e.parent(), Some(Path::new("/nowhere")));
    }
}
