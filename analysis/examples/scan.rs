//! Times the engine alone on a crate's source directory: read, parse,
//! analyse, sequentially, with module paths taken from file paths as the CLI
//! does. `cargo run --release -p pollguard-analysis --example scan -- DIR [-v]`
//! prints the parse time, the analysis time and the finding count (`-v`: and
//! every finding), so a change to the walker can be checked against parsing,
//! which it must stay well below.

use pollguard_analysis::{Config, Options, analyze_file, module_path_for};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: scan DIR [-v]");
        std::process::exit(2);
    };
    let verbose = std::env::args().any(|a| a == "-v");
    let root = Path::new(&dir);
    let mut files = Vec::new();
    collect(root, &mut files);
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .filter_map(|f| std::fs::read_to_string(&f).ok().map(|s| (f, s)))
        .collect();
    let config = Config::new();
    let (mut parse, mut analyse, mut lines) = (Duration::ZERO, Duration::ZERO, 0);
    let mut results = Vec::new();
    for (path, src) in &sources {
        lines += src.lines().count();
        let t = Instant::now();
        let Ok(file) = syn::parse_file(src) else {
            continue;
        };
        parse += t.elapsed();
        let module_path = module_path_for(path.strip_prefix(root).unwrap_or(path));
        let t = Instant::now();
        let analysis = analyze_file(
            &file,
            &Options {
                module_path,
                ..Options::new(&config)
            },
        );
        analyse += t.elapsed();
        let findings: Vec<(String, Option<String>)> = analysis
            .findings
            .iter()
            .map(|f| {
                let text = format!(
                    "{}:{}: {} [{}]",
                    path.display(),
                    f.span.start().line,
                    f.headline(),
                    f.confidence.name()
                );
                (text, f.inside_closure_of.clone())
            })
            .collect();
        results.push((findings, analysis.offloaders));
    }
    // As the CLI does: a closure handed to an offloader defined in another file is sync.
    let offloaders: HashSet<String> = results
        .iter()
        .flat_map(|(_, o)| o.iter().cloned())
        .collect();
    let mut count = 0;
    for (findings, _) in &results {
        for (text, owner) in findings {
            if owner.as_ref().is_some_and(|o| offloaders.contains(o)) {
                continue;
            }
            count += 1;
            if verbose {
                println!("{text}");
            }
        }
    }
    println!(
        "{} files, {lines} lines: parse {:.1} ms, analysis {:.1} ms ({:.0}% of parse), {count} findings",
        sources.len(),
        parse.as_secs_f64() * 1e3,
        analyse.as_secs_f64() * 1e3,
        100.0 * analyse.as_secs_f64() / parse.as_secs_f64()
    );
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
