//! Runs the engine's transitive closure over files analysed on other threads.
//!
//! [`pollguard_analysis::transitive::findings`] takes the engine's own
//! [`Analysis`] values, whose positions are `proc_macro2` spans; those only
//! mean something on the thread that parsed the file, and the workers freed
//! them already. So the owned summaries are turned back into `Analysis`
//! values whose spans are stand-ins: one token per position, lexed here, on
//! this thread, from a text with one token per line. The line of a stand-in
//! span is the index of the real position it stands for. The closure only
//! copies spans from its input to its output, so this round trip is exact.

use crate::diag::{ChainLoc, Pos};
use crate::scan::{FileAnalysis, OwnedCall, OwnedFinding};
use crate::settings::Settings;
use pollguard_analysis::transitive::{Unit, findings, short_name};
use pollguard_analysis::{Analysis, BlockingCall, FnSummary, HatchUse, LocalCall};
use proc_macro2::Span;
use std::str::FromStr;
use std::sync::Arc;

/// One file in one crate.
pub(crate) struct UnitIn<'a> {
    /// The crate.
    pub krate: &'a str,
    /// Index of the file.
    pub file: usize,
    /// Its analysis.
    pub analysis: &'a FileAnalysis,
    /// Its package's settings.
    pub settings: &'a Arc<Settings>,
}

struct Stand {
    spans: Vec<Span>,
    positions: Vec<Pos>,
}

impl Stand {
    fn new(count: usize) -> Stand {
        let text = "x\n".repeat(count);
        let spans = proc_macro2::TokenStream::from_str(&text)
            .map(|ts| ts.into_iter().map(|t| t.span()).collect())
            .unwrap_or_default();
        Stand {
            spans,
            positions: Vec::with_capacity(count),
        }
    }

    fn span(&mut self, pos: Pos) -> Span {
        let id = self.positions.len();
        self.positions.push(pos);
        self.spans.get(id).copied().unwrap_or_else(Span::call_site)
    }

    fn pos(&self, span: Span) -> Pos {
        let line = span.start().line;
        self.positions
            .get(line.wrapping_sub(1))
            .copied()
            .unwrap_or_default()
    }
}

fn call(stand: &mut Stand, c: &OwnedCall) -> LocalCall {
    LocalCall {
        path: c.path.clone(),
        display: c.display.clone(),
        span: stand.span(c.start),
        end_span: stand.span(c.end),
        awaited: c.awaited,
        hatches: c.hatches.clone(),
    }
}

fn rebuild(stand: &mut Stand, a: &FileAnalysis) -> Analysis {
    Analysis {
        findings: Vec::new(),
        errors: Vec::new(),
        fns: a
            .fns
            .iter()
            .map(|f| FnSummary {
                path: f.path.clone(),
                span: Span::call_site(),
                marked: f.marked,
                allowed: f.allowed,
                blocking: f
                    .blocking
                    .iter()
                    .map(|(c, rule, p)| BlockingCall {
                        call: c.clone(),
                        rule,
                        span: stand.span(*p),
                    })
                    .collect(),
                calls: f.calls.iter().map(|c| call(stand, c)).collect(),
            })
            .collect(),
        async_calls: a.async_calls.iter().map(|c| call(stand, c)).collect(),
        hatches: a
            .hatches
            .iter()
            .map(|h| HatchUse {
                span: Span::call_site(),
                used: h.used,
                keys: h.keys.clone(),
            })
            .collect(),
        offloaders: a.offloaders.clone(),
    }
}

/// A transitive finding: the file it is in, the finding, the chain located.
pub(crate) type Located = (usize, OwnedFinding, Vec<ChainLoc>);

/// The transitive findings `(file, finding, chain)` and the escape hatches
/// they used `(file, hatch)`.
pub(crate) fn run(units: &[UnitIn<'_>]) -> (Vec<Located>, Vec<(usize, usize)>) {
    // Files appear once per crate they belong to; rebuild each once.
    let mut files: Vec<usize> = units.iter().map(|u| u.file).collect();
    files.sort_unstable();
    files.dedup();
    let analysis_of = |file: usize| units.iter().find(|u| u.file == file).map(|u| u.analysis);
    let count: usize = files
        .iter()
        .filter_map(|&f| analysis_of(f))
        .map(|a| {
            a.fns
                .iter()
                .map(|f| f.blocking.len() + 2 * f.calls.len())
                .sum::<usize>()
                + 2 * a.async_calls.len()
        })
        .sum();
    if count == 0 {
        return (Vec::new(), Vec::new());
    }
    let mut stand = Stand::new(count);
    let mut rebuilt: Vec<(usize, Analysis)> = Vec::with_capacity(files.len());
    for &f in &files {
        if let Some(a) = analysis_of(f) {
            rebuilt.push((f, rebuild(&mut stand, a)));
        }
    }
    let by_file = |f: usize| &rebuilt[rebuilt.binary_search_by_key(&f, |(g, _)| *g).unwrap_or(0)].1;
    let engine_units: Vec<Unit<'_>> = units
        .iter()
        .map(|u| Unit {
            krate: u.krate,
            analysis: by_file(u.file),
        })
        .collect();

    // One closure per distinct configuration; each keeps its own files' findings.
    let mut configs: Vec<&Arc<Settings>> = Vec::new();
    for u in units {
        if !configs.iter().any(|c| Arc::ptr_eq(c, u.settings)) {
            configs.push(u.settings);
        }
    }
    let mut out = Vec::new();
    let mut used = Vec::new();
    for settings in configs {
        let (found, hatches) = findings(&engine_units, &settings.config);
        for (u, h) in hatches {
            if Arc::ptr_eq(units[u].settings, settings) {
                used.push((units[u].file, h));
            }
        }
        for uf in found {
            let unit = &units[uf.unit];
            if !Arc::ptr_eq(unit.settings, settings) {
                continue;
            }
            let f = uf.finding;
            let chain: Vec<ChainLoc> = f
                .chain
                .iter()
                .map(|s| ChainLoc {
                    caller: s.caller.clone(),
                    callee: s.callee.clone(),
                    file: units[s.unit].file,
                    pos: stand.pos(s.span),
                })
                .collect();
            out.push((
                unit.file,
                OwnedFinding {
                    rule: f.rule,
                    call: f.call.clone(),
                    display: f.display.clone(),
                    start: stand.pos(f.span),
                    end: stand.pos(f.end_span),
                    confidence: f.confidence,
                    level: f.level,
                    help: f.help.clone(),
                    notes: Vec::new(),
                    message: f.message(),
                    inside_closure_of: None,
                },
                chain,
            ));
        }
    }
    (out, used)
}

/// The note naming a chain: `` `load_config` → `std::fs::read_to_string` ``
/// (the location is added by the caller, which knows file names).
pub(crate) fn chain_names(call: &str, chain: &[ChainLoc]) -> String {
    let Some(first) = chain.first() else {
        return format!("`{}` is marked `#[pollguard::blocking]`", short_name(call));
    };
    let mut names = vec![format!("`{}`", short_name(&first.caller))];
    for (i, step) in chain.iter().enumerate() {
        if i + 1 == chain.len() {
            names.push(format!("`{}`", step.callee));
        } else {
            names.push(format!("`{}`", short_name(&step.callee)));
        }
    }
    names.join(" → ")
}
