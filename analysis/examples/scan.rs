//! Times the engine alone on a directory: read, parse, analyse, sequentially.
//! `cargo run --release -p pollguard-analysis --example scan -- DIR [-v]`
//! prints the parse time, the analysis time and the finding count, so a
//! change to the walker can be checked against parsing, which it must stay
//! well below.

use pollguard_analysis::{Config, Options, analyze_file};
use std::time::{Duration, Instant};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: scan DIR");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    collect(std::path::Path::new(&dir), &mut files);
    files.retain(|f| std::fs::read_to_string(f).is_ok());
    let sources: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect();
    let root = std::path::Path::new(&dir);
    let module_of = |f: &std::path::Path| {
        pollguard_analysis::module_path_for(f.strip_prefix(root).unwrap_or(f))
    };
    // Phase 1, as the CLI does: the crate's own offloader wrappers.
    let mut config = Config::new();
    for (src, path) in sources.iter().zip(&files) {
        if let Ok(file) = syn::parse_file(src) {
            let base = Config::new();
            let options = Options {
                config: &base,
                module_path: module_of(path),
            };
            config
                .extra_offloaders
                .extend(pollguard_analysis::find_offloaders(&file, &options));
        }
    }
    let (mut parse, mut analyse, mut findings, mut lines) = (Duration::ZERO, Duration::ZERO, 0, 0);
    let verbose = std::env::args().any(|a| a == "-v");
    for (src, path) in sources.iter().zip(&files) {
        lines += src.lines().count();
        let t = Instant::now();
        let Ok(file) = syn::parse_file(src) else {
            continue;
        };
        parse += t.elapsed();
        let t = Instant::now();
        let options = Options {
            config: &config,
            module_path: module_of(path),
        };
        let analysis = analyze_file(&file, &options);
        findings += analysis.findings.len();
        if verbose {
            for f in &analysis.findings {
                println!(
                    "{}:{}: {} [{}]",
                    path.display(),
                    f.span.start().line,
                    f.message(),
                    f.confidence.name()
                );
            }
        }
        analyse += t.elapsed();
    }
    println!(
        "{} files, {lines} lines: parse {:.1} ms, analysis {:.1} ms ({:.0}% of parse), {findings} findings",
        sources.len(),
        parse.as_secs_f64() * 1e3,
        analyse.as_secs_f64() * 1e3,
        100.0 * analyse.as_secs_f64() / parse.as_secs_f64()
    );
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}
