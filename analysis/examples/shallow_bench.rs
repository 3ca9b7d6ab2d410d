//! One-off timing of the items-only parser against a full `syn` parse and
//! the lexer alone, over every `.rs` file under a directory.
//!
//! `cargo run --release -p pollguard-analysis --example shallow_bench -- <dir> [runs]`
//!
//! Prints the median of `runs` (5 by default) for each of the three; the
//! three are interleaved within each run so that a change in the machine's
//! load hits them alike. Built with `proc-macro2/span-locations`, as the CLI
//! is.

use pollguard_analysis::shallow::parse_items;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// One way to read a file; true when it parses.
type Parse = fn(&str) -> bool;

fn full(text: &str) -> bool {
    syn::parse_file(text).is_ok()
}

fn shallow(text: &str) -> bool {
    parse_items(text, &|_| false).is_ok()
}

fn lex(text: &str) -> bool {
    text.parse::<proc_macro2::TokenStream>().is_ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next() else {
        eprintln!("usage: shallow_bench <dir> [runs]");
        std::process::exit(2);
    };
    let runs = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5usize)
        .max(1);
    let mut paths = Vec::new();
    collect_rs(Path::new(&dir), &mut paths);
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "{} files, {:.2} MB, median of {runs}",
        texts.len(),
        bytes as f64 / 1e6
    );

    let variants: [(&str, Parse); 3] = [
        ("syn::parse_file", full),
        ("parse_items(.., |_| false)", shallow),
        ("lexer alone", lex),
    ];
    let mut samples = vec![Vec::new(); variants.len()];
    let mut oks = vec![0usize; variants.len()];
    for _ in 0..runs {
        for (index, (_, parse)) in variants.iter().enumerate() {
            let started = Instant::now();
            oks[index] = texts.iter().filter(|text| parse(text)).count();
            samples[index].push(started.elapsed());
        }
    }
    let medians: Vec<Duration> = samples
        .into_iter()
        .map(|mut runs| {
            runs.sort();
            runs[runs.len() / 2]
        })
        .collect();
    for (index, (name, _)) in variants.iter().enumerate() {
        println!(
            "{name:28} {:8.1} ms  {:5.2}x of syn  ({} ok)",
            medians[index].as_secs_f64() * 1e3,
            medians[index].as_secs_f64() / medians[0].as_secs_f64(),
            oks[index]
        );
    }
}
