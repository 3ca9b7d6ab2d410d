//! Which files to read, and which crate and module each belongs to.
//!
//! Without paths, the Cargo workspace around the current directory comes
//! from `cargo metadata --no-deps` (which reads manifests and runs nothing)
//! and every member's targets are walked. With paths, those files and
//! directories are walked, and each file's package is the nearest
//! `Cargo.toml` with a `[package]` above it, its targets inferred from the
//! standard layout.
//!
//! A file's module path follows the directory layout (`src/server/db.rs` is
//! `crate::server::db`). A module file below a directory that holds several
//! crate roots (`tests/common/mod.rs`, or `src/` with both `lib.rs` and
//! `main.rs`) is counted in each of those crates, so transitive chains
//! through shared helpers are still followed.

use crate::settings::{self, Flags, MetaTable, Settings};
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A package (or a directory standing in for one).
#[derive(Clone, Debug)]
pub struct Package {
    /// The package's name.
    pub name: String,
    /// Cargo's package id, for `--message-format json`.
    pub id: String,
    /// The manifest, when there is one.
    pub manifest: Option<PathBuf>,
    /// The directory everything is relative to.
    pub root: PathBuf,
    /// Its targets.
    pub targets: Vec<Target>,
    /// Its settings.
    pub settings: Arc<Settings>,
    /// The other members it depends on (normal dependencies by path), by
    /// the name its code gives each (`my_utils`) and their index: their
    /// library's items and types are its code's as a dependency's are.
    pub member_deps: Vec<(String, usize)>,
}

/// A crate root of a package.
#[derive(Clone, Debug)]
pub struct Target {
    /// Cargo's kind: `lib`, `bin`, `test`, `example`, `bench`, `custom-build`, `proc-macro`.
    pub kind: String,
    /// The target's name.
    pub name: String,
    /// Its root file.
    pub src_path: PathBuf,
    /// The crate as the engine names it: the lib's name for a library
    /// (other crates spell it so), a name no code can spell otherwise.
    pub krate: String,
    /// The edition, for `--message-format json`.
    pub edition: String,
}

/// A file to analyse.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Where it is.
    pub path: PathBuf,
    /// How messages name it: relative to the workspace root (without paths)
    /// or to the current directory (with paths), `/`-separated.
    pub display: String,
    /// Index into [`Discovered::packages`].
    pub package: usize,
    /// The target it is reported under (index into the package's targets).
    pub target: usize,
    /// `["crate", "server", "db"]`.
    pub module_path: Vec<String>,
    /// Every crate the file belongs to.
    pub krates: Vec<String>,
}

/// The result of discovery.
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    /// Packages.
    pub packages: Vec<Package>,
    /// Files, sorted by path.
    pub files: Vec<SourceFile>,
    /// The directory display paths are relative to.
    pub base: PathBuf,
    /// The `baseline` of the workspace's configuration, resolved.
    pub baseline: Option<PathBuf>,
}

/// Discovers the workspace around `cwd` (or at `manifest_path`).
pub fn workspace(
    cwd: &Path,
    manifest_path: Option<&Path>,
    flags: &Flags,
) -> Result<Discovered, String> {
    let mut cmd = cargo_metadata::MetadataCommand::new();
    cmd.no_deps().current_dir(cwd);
    if let Some(m) = manifest_path {
        cmd.manifest_path(m);
    }
    let md = crate::metadata::exec(&mut cmd, cwd)?;
    let ws_root: PathBuf = md.workspace_root.clone().into_std_path_buf();
    let ws_manifest = ws_root.join("Cargo.toml");
    let (ws_table, root_pkg_table) = settings::read_manifest(&ws_manifest)?;
    // A single-package workspace may keep it in its package table.
    let baseline = ws_table
        .as_ref()
        .and_then(|t| t.baseline.as_ref())
        .or(root_pkg_table.as_ref().and_then(|t| t.baseline.as_ref()))
        .map(|b| ws_root.join(b));
    let mut out = Discovered {
        base: ws_root.clone(),
        baseline,
        ..Discovered::default()
    };
    let mut seen = HashSet::new();
    for pkg in md.workspace_packages() {
        let manifest = pkg.manifest_path.clone().into_std_path_buf();
        let root = manifest.parent().unwrap_or(&ws_root).to_path_buf();
        let (_, pkg_table) = settings::read_manifest(&manifest)?;
        if manifest != ws_manifest && pkg_table.as_ref().is_some_and(|t| t.baseline.is_some()) {
            return Err(format!(
                "`baseline` in [package.metadata.pollguard] of {} has no effect: one baseline serves the whole workspace; move it to [workspace.metadata.pollguard] of {}",
                manifest.display(),
                ws_manifest.display()
            ));
        }
        let settings = Arc::new(settings::build(
            ws_table.as_ref(),
            pkg_table.as_ref(),
            flags,
        )?);
        let mut targets = Vec::new();
        for t in &pkg.targets {
            let kind = t
                .kind
                .first()
                .map(|k| k.to_string())
                .unwrap_or_else(|| "lib".to_owned());
            if !settings.tests && (kind == "test" || kind == "bench") {
                continue;
            }
            targets.push(Target {
                krate: krate_id(&pkg.name, &kind, &t.name),
                kind,
                name: t.name.clone(),
                src_path: t.src_path.clone().into_std_path_buf(),
                edition: t.edition.as_str().to_owned(),
            });
        }
        let index = out.packages.len();
        out.packages.push(Package {
            name: pkg.name.to_string(),
            id: pkg.id.repr.clone(),
            manifest: Some(manifest),
            root: root.clone(),
            targets,
            settings,
            member_deps: Vec::new(),
        });
        let package = &out.packages[index];
        let targets = Targets::of(package);
        let mut files = Vec::new();
        for t in &package.targets {
            if t.kind == "custom-build" {
                files.push(t.src_path.clone());
                continue;
            }
            let dir = t.src_path.parent().unwrap_or(&root);
            walk(dir, &package.settings, true, &mut files);
        }
        for f in files {
            if seen.insert(f.clone()) {
                out.files
                    .push(classify(package, &targets, index, f, &ws_root));
            }
        }
    }
    member_deps(&md, &mut out.packages);
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Whether a target of this kind is the package's library (Cargo names it
/// by its first crate type: `lib`, `rlib`, `cdylib`, ...).
pub fn is_lib_kind(kind: &str) -> bool {
    matches!(
        kind,
        "lib" | "rlib" | "dylib" | "cdylib" | "staticlib" | "proc-macro"
    )
}

/// Each member's normal dependencies on other members (by path), under the
/// name its code uses: the rename, else the member's library name.
fn member_deps(md: &cargo_metadata::Metadata, packages: &mut [Package]) {
    let by_root: HashMap<PathBuf, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (normalize(&p.root), i))
        .collect();
    let ids: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut found: Vec<(usize, Vec<(String, usize)>)> = Vec::new();
    for pkg in md.workspace_packages() {
        let Some(&me) = ids.get(pkg.id.repr.as_str()) else {
            continue;
        };
        let mut deps = Vec::new();
        for d in &pkg.dependencies {
            if d.kind != cargo_metadata::DependencyKind::Normal {
                continue;
            }
            let Some(path) = &d.path else { continue };
            let Some(&other) = by_root.get(&normalize(path.as_std_path())) else {
                continue;
            };
            let lib = packages[other]
                .targets
                .iter()
                .find(|t| is_lib_kind(&t.kind));
            let Some(lib) = lib else { continue };
            let name = d
                .rename
                .clone()
                .unwrap_or_else(|| lib.name.clone())
                .replace('-', "_");
            if other != me {
                deps.push((name, other));
            }
        }
        found.push((me, deps));
    }
    for (me, deps) in found {
        packages[me].member_deps = deps;
    }
}

/// Discovers the given files and directories.
pub fn paths(cwd: &Path, inputs: &[PathBuf], flags: &Flags) -> Result<Discovered, String> {
    let mut out = Discovered {
        base: cwd.to_path_buf(),
        ..Discovered::default()
    };
    let mut finder = Finder {
        flags,
        dirs: HashMap::new(),
        workspace_tables: HashMap::new(),
    };
    let mut seen = HashSet::new();
    let mut target_index: HashMap<usize, Targets> = HashMap::new();
    for input in inputs {
        let input = normalize(&cwd.join(input));
        let meta = std::fs::metadata(&input)
            .map_err(|e| format!("cannot read `{}`: {e}", input.display()))?;
        let mut files = Vec::new();
        let explicit = meta.is_file();
        if explicit {
            files.push(input.clone());
        } else {
            walk(&input, &Settings::default_for_walk(), false, &mut files);
        }
        for f in files {
            if !seen.insert(f.clone()) {
                continue;
            }
            let index = match finder.package_of(&f, &mut out.packages)? {
                Some(i) => i,
                None => {
                    // No package: the input directory stands in for a crate
                    // (or the file for itself).
                    let root = if explicit {
                        f.parent().unwrap_or(cwd).to_path_buf()
                    } else {
                        input.clone()
                    };
                    finder.pseudo_package(&root, explicit.then_some(&f), &mut out.packages)?
                }
            };
            let package = &out.packages[index];
            if !explicit && package.settings.skips(&f, false) {
                continue;
            }
            let targets = target_index
                .entry(index)
                .or_insert_with(|| Targets::of(package));
            let file = classify(package, targets, index, f, cwd);
            if !package.settings.tests && is_test_target(package, &file) {
                continue;
            }
            out.files.push(file);
        }
    }
    out.files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

impl Settings {
    fn default_for_walk() -> Settings {
        Settings {
            config: pollguard_analysis::Config::new(),
            skip: None,
            tests: true,
            min_confidence: pollguard_analysis::Confidence::Likely,
            contexts: Vec::new(),
        }
    }
}

fn is_test_target(package: &Package, file: &SourceFile) -> bool {
    package
        .targets
        .get(file.target)
        .is_some_and(|t| t.kind == "test" || t.kind == "bench")
}

struct Finder<'a> {
    flags: &'a Flags,
    /// Directory -> package index, or `None` when it has no package manifest.
    dirs: HashMap<PathBuf, Option<usize>>,
    workspace_tables: HashMap<PathBuf, Option<MetaTable>>,
}

impl Finder<'_> {
    fn package_of(
        &mut self,
        file: &Path,
        packages: &mut Vec<Package>,
    ) -> Result<Option<usize>, String> {
        let mut visited = Vec::new();
        let mut found = None;
        for dir in file.ancestors().skip(1) {
            if let Some(known) = self.dirs.get(dir) {
                found = *known;
                break;
            }
            visited.push(dir.to_path_buf());
            let manifest = dir.join("Cargo.toml");
            if !manifest.is_file() {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&manifest) else {
                continue;
            };
            let Ok(doc) = text.parse::<toml::Table>() else {
                return Err(format!("cannot parse `{}`", manifest.display()));
            };
            if doc.get("package").is_none() {
                continue;
            }
            found = Some(self.real_package(dir, &manifest, &doc, packages)?);
            break;
        }
        for d in visited {
            self.dirs.insert(d, found);
        }
        Ok(found)
    }

    fn real_package(
        &mut self,
        dir: &Path,
        manifest: &Path,
        doc: &toml::Table,
        packages: &mut Vec<Package>,
    ) -> Result<usize, String> {
        let pkg = doc.get("package").and_then(|p| p.as_table());
        let name = pkg
            .and_then(|p| p.get("name"))
            .and_then(|n| n.as_str())
            .unwrap_or("unnamed")
            .to_owned();
        let edition = pkg
            .and_then(|p| p.get("edition"))
            .and_then(|n| n.as_str())
            .unwrap_or("2015")
            .to_owned();
        let ws_table = if doc.get("workspace").is_some() {
            settings::read_manifest(manifest)?.0
        } else {
            self.workspace_table(dir)?
        };
        let (_, pkg_table) = settings::read_manifest(manifest)?;
        let settings = Arc::new(settings::build(
            ws_table.as_ref(),
            pkg_table.as_ref(),
            self.flags,
        )?);
        let targets = infer_targets(dir, &name, &edition, doc);
        packages.push(Package {
            id: format!("path+file://{}#{name}", dir.display()),
            name,
            manifest: Some(manifest.to_path_buf()),
            root: dir.to_path_buf(),
            targets,
            settings,
            member_deps: Vec::new(),
        });
        Ok(packages.len() - 1)
    }

    /// The `[workspace.metadata.pollguard]` of the nearest workspace above `dir`.
    fn workspace_table(&mut self, dir: &Path) -> Result<Option<MetaTable>, String> {
        for up in dir.ancestors().skip(1) {
            if let Some(t) = self.workspace_tables.get(up) {
                return Ok(t.clone());
            }
            let manifest = up.join("Cargo.toml");
            let Ok(text) = std::fs::read_to_string(&manifest) else {
                continue;
            };
            let Ok(doc) = text.parse::<toml::Table>() else {
                continue;
            };
            if doc.get("workspace").is_some() {
                let t = settings::read_manifest(&manifest)?.0;
                self.workspace_tables.insert(up.to_path_buf(), t.clone());
                return Ok(t);
            }
        }
        Ok(None)
    }

    fn pseudo_package(
        &mut self,
        root: &Path,
        file: Option<&PathBuf>,
        packages: &mut Vec<Package>,
    ) -> Result<usize, String> {
        if file.is_none() {
            if let Some(Some(i)) = self.dirs.get(root) {
                return Ok(*i);
            }
        }
        let settings = Arc::new(settings::build(None, None, self.flags)?);
        let src_path = file.cloned().unwrap_or_else(|| root.join("lib.rs"));
        let name = src_path
            .file_stem()
            .or(root.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "root".to_owned());
        packages.push(Package {
            id: format!("path+file://{}#{name}", root.display()),
            name: name.clone(),
            manifest: None,
            root: root.to_path_buf(),
            targets: vec![Target {
                kind: "lib".to_owned(),
                krate: format!("{}#dir", src_path.display()),
                name,
                src_path,
                edition: "2021".to_owned(),
            }],
            settings,
            member_deps: Vec::new(),
        });
        let index = packages.len() - 1;
        if file.is_none() {
            self.dirs.insert(root.to_path_buf(), Some(index));
        }
        Ok(index)
    }
}

/// The crate name the engine uses: the lib's name as code spells it, and a
/// name no code can spell for every other target.
fn krate_id(package: &str, kind: &str, target: &str) -> String {
    if is_lib_kind(kind) {
        target.replace('-', "_")
    } else {
        format!("{package}#{kind}#{target}")
    }
}

/// Targets of a package found by Cargo's layout conventions and the
/// manifest's explicit `[lib]`/`[[bin]]` paths.
fn infer_targets(root: &Path, package: &str, edition: &str, doc: &toml::Table) -> Vec<Target> {
    let mut out = Vec::new();
    let mut add = |kind: &str, name: String, path: PathBuf| {
        if path.is_file() && !out.iter().any(|t: &Target| t.src_path == path) {
            out.push(Target {
                krate: krate_id(package, kind, &name),
                kind: kind.to_owned(),
                name,
                src_path: path,
                edition: edition.to_owned(),
            });
        }
    };
    let lib = doc.get("lib").and_then(|l| l.as_table());
    let lib_name = lib
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .unwrap_or(package)
        .replace('-', "_");
    let lib_path = lib
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
        .map_or_else(|| root.join("src/lib.rs"), |p| root.join(p));
    add("lib", lib_name, lib_path);
    if let Some(bins) = doc.get("bin").and_then(|b| b.as_array()) {
        for b in bins {
            let name = b.get("name").and_then(|n| n.as_str()).unwrap_or(package);
            if let Some(p) = b.get("path").and_then(|p| p.as_str()) {
                add("bin", name.to_owned(), root.join(p));
            }
        }
    }
    add("bin", package.to_owned(), root.join("src/main.rs"));
    for (dir, kind) in [
        ("src/bin", "bin"),
        ("tests", "test"),
        ("examples", "example"),
        ("benches", "bench"),
    ] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
            let Some(stem) = stem else { continue };
            if p.extension().is_some_and(|e| e == "rs") {
                add(kind, stem, p);
            } else if p.is_dir() {
                add(kind, stem, p.join("main.rs"));
            }
        }
    }
    let build = doc
        .get("package")
        .and_then(|p| p.get("build"))
        .and_then(|b| b.as_str())
        .unwrap_or("build.rs");
    add(
        "custom-build",
        "build-script-build".to_owned(),
        root.join(build),
    );
    out
}

/// Collects the `.rs` files below `dir`, honouring `.gitignore` and
/// skipping Cargo's `target/` directories; with `nested` set, directories
/// holding another package's `Cargo.toml` are left to that package.
fn walk(dir: &Path, settings: &Settings, nested: bool, out: &mut Vec<PathBuf>) {
    let root = dir.to_path_buf();
    let filter_settings = settings.clone();
    let walker = ignore::WalkBuilder::new(dir)
        .standard_filters(true)
        .require_git(false)
        .filter_entry(move |e| {
            let path = e.path();
            if !e.file_type().is_some_and(|t| t.is_dir()) || path == root {
                return true;
            }
            if e.file_name() == "target"
                && (path.join("CACHEDIR.TAG").exists()
                    || path.parent().is_some_and(|p| p.join("Cargo.toml").exists()))
            {
                return false;
            }
            if nested && path.join("Cargo.toml").exists() {
                return false;
            }
            !filter_settings.skips(path, true)
        })
        .build();
    for entry in walker.flatten() {
        let path = entry.path();
        if entry.file_type().is_some_and(|t| t.is_file())
            && path.extension().is_some_and(|e| e == "rs")
            && !(nested && settings.skips(path, false))
        {
            out.push(path.to_path_buf());
        }
    }
}

/// Where a package's targets are, for [`classify`]: comparing each file's
/// path with every target's, component by component, was most of the time
/// of discovering a package with a hundred test targets (tokio: 27 ms for
/// 380 files).
struct Targets {
    /// A target's root file -> the first target with that root.
    roots: HashMap<PathBuf, usize>,
    /// A directory holding target roots (build scripts left out) -> those
    /// targets, in the package's order.
    dirs: HashMap<PathBuf, Vec<usize>>,
}

impl Targets {
    fn of(package: &Package) -> Targets {
        let mut roots = HashMap::new();
        let mut dirs: HashMap<PathBuf, Vec<usize>> = HashMap::new();
        for (i, t) in package.targets.iter().enumerate() {
            roots.entry(t.src_path.clone()).or_insert(i);
            if t.kind == "custom-build" {
                continue;
            }
            if let Some(dir) = t.src_path.parent() {
                dirs.entry(dir.to_path_buf()).or_default().push(i);
            }
        }
        Targets { roots, dirs }
    }
}

/// The module path and crates of a file of `package`.
fn classify(
    package: &Package,
    targets: &Targets,
    index: usize,
    path: PathBuf,
    base: &Path,
) -> SourceFile {
    let display = display_path(&path, base);
    if let Some(&t) = targets.roots.get(&path) {
        return SourceFile {
            display,
            package: index,
            target: t,
            module_path: vec!["crate".to_owned()],
            krates: vec![package.targets[t].krate.clone()],
            path,
        };
    }
    // The deepest directory holding crate roots that contains the file.
    let best = path
        .ancestors()
        .skip(1)
        .find_map(|dir| targets.dirs.get(dir).map(|roots| (dir, roots)));
    let Some((dir, roots)) = best else {
        return SourceFile {
            display: display.clone(),
            package: index,
            target: usize::MAX,
            module_path: vec!["crate".to_owned()],
            krates: vec![format!("{}#file#{display}", package.name)],
            path,
        };
    };
    // A library's modules belong to it rather than to a `main.rs` beside it,
    // so the lib is the target reported; the bins still see them.
    let target = roots
        .iter()
        .copied()
        .find(|&i| package.targets[i].kind == "lib")
        .or(roots.first().copied())
        .unwrap_or(usize::MAX);
    let rel = path.strip_prefix(dir).unwrap_or(&path);
    SourceFile {
        display,
        package: index,
        target,
        module_path: module_path(rel),
        krates: roots
            .iter()
            .map(|&i| package.targets[i].krate.clone())
            .collect(),
        path,
    }
}

/// `server/db.rs` -> `crate::server::db`; `server/mod.rs` -> `crate::server`.
pub fn module_path(rel: &Path) -> Vec<String> {
    let mut out = vec!["crate".to_owned()];
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    let n = parts.len();
    for (i, part) in parts.into_iter().enumerate() {
        if i + 1 == n {
            let stem = part.strip_suffix(".rs").unwrap_or(&part);
            let root_file = n == 1 && (stem == "lib" || stem == "main");
            if stem != "mod" && !root_file {
                out.push(stem.replace('-', "_"));
            }
        } else {
            out.push(part.replace('-', "_"));
        }
    }
    out
}

/// `path` relative to `base` when below it, `/`-separated.
pub fn display_path(path: &Path, base: &Path) -> String {
    let shown = path.strip_prefix(base).unwrap_or(path);
    let s = shown.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

/// Removes `.` and `..` components without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        assert_eq!(module_path(Path::new("main.rs")), ["crate"]);
        assert_eq!(module_path(Path::new("server/mod.rs")), ["crate", "server"]);
        assert_eq!(
            module_path(Path::new("server/handlers.rs")),
            ["crate", "server", "handlers"]
        );
    }

    #[test]
    fn normalizes() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }
}
