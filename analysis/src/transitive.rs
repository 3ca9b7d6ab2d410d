//! Blocking through helpers: a sync fn whose body blocks, directly or through
//! other sync fns of the same workspace, makes its call sites in async code
//! findings. Only the CLI sees a whole crate, so only the CLI calls this.

use crate::catalog::{Level, Rule, transitive_rule, user_rule};
use crate::{Analysis, Confidence, Config, Finding, FnSummary, LocalCall};
use proc_macro2::Span;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// What the closure reads of one analysed file. [`Analysis`] provides it with
/// the parser's spans; a caller that moved its results between threads can
/// provide it with positions of its own.
pub trait Summaries<P> {
    /// The file's sync fns.
    fn fns(&self) -> &[FnSummary<P>];
    /// Its calls, in async context, of paths the catalog does not know.
    fn async_calls(&self) -> &[LocalCall<P>];
    /// The categories or rules escape hatch number `hatch` allows (empty: all).
    fn hatch_keys(&self, hatch: usize) -> &[String];
}

impl Summaries<Span> for Analysis {
    fn fns(&self) -> &[FnSummary] {
        &self.fns
    }
    fn async_calls(&self) -> &[LocalCall] {
        &self.async_calls
    }
    fn hatch_keys(&self, hatch: usize) -> &[String] {
        self.hatches.get(hatch).map_or(&[], |h| &h.keys)
    }
}

/// One analysed file and the crate it belongs to.
#[derive(Clone, Copy)]
pub struct Unit<'a, P = Span> {
    /// The crate's name as code spells it (`my_app`, dashes made underscores).
    pub krate: &'a str,
    /// The file's summaries.
    pub file: &'a dyn Summaries<P>,
}

/// One call on the way from a called fn down to a blocking call.
#[derive(Clone, Debug)]
pub struct ChainStep<P = Span> {
    /// The fn that makes the call (`crate::config::load_config`).
    pub caller: String,
    /// What it calls: another fn of the workspace, or the blocking call itself.
    pub callee: String,
    /// The unit (index into the slice given to [`findings`]) holding the call.
    pub unit: usize,
    /// Where the call is.
    pub span: P,
}

/// A transitive finding and the unit it belongs to.
#[derive(Clone, Debug)]
pub struct UnitFinding<P = Span> {
    /// Index into the units.
    pub unit: usize,
    /// The finding; its `chain` names the way down.
    pub finding: Finding<P>,
}

/// What made a fn blocking.
#[derive(Clone, Debug)]
enum Why<P> {
    /// Marked `#[pollguard::blocking]`.
    Marked,
    /// A blocking call in its own body, or a call of a blocking fn.
    Calls(ChainStep<P>, Option<usize>),
}

/// Computes the transitive findings of a set of units, and the escape
/// hatches they used (unit, hatch index).
pub fn findings<P: Copy>(
    units: &[Unit<'_, P>],
    config: &Config,
) -> (Vec<UnitFinding<P>>, Vec<(usize, usize)>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut fns = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for (f, summary) in unit.file.fns().iter().enumerate() {
            let key = global(unit.krate, &summary.path);
            index.insert(key, fns.len());
            fns.push((u, f));
        }
    }
    // From the fns that block by themselves along reversed call edges, most
    // severe blocking call first (a panic before a deadlock before I/O, see
    // `Rule::severity`), then breadth first: each fn keeps a shortest chain
    // to the most severe call it reaches. A fn's reason is settled when it
    // leaves the heap, so a later, more severe one can still claim it.
    let mut why: Vec<Option<Why<P>>> = vec![None; fns.len()];
    let mut callers: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); fns.len()];
    let mut candidates: Vec<(usize, Why<P>)> = Vec::new();
    let mut heap: BinaryHeap<(u8, Reverse<usize>, Reverse<usize>)> = BinaryHeap::new();
    for (id, &(u, f)) in fns.iter().enumerate() {
        let summary = &units[u].file.fns()[f];
        if summary.allowed {
            continue;
        }
        if summary.marked {
            why[id] = Some(Why::Marked);
            heap.push((
                user_rule().severity(),
                Reverse(0),
                Reverse(candidates.len()),
            ));
            candidates.push((id, Why::Marked));
        } else if let Some(b) = summary
            .blocking
            .iter()
            .rev()
            .max_by_key(|b| b.rule.severity())
        {
            heap.push((b.rule.severity(), Reverse(0), Reverse(candidates.len())));
            candidates.push((
                id,
                Why::Calls(
                    ChainStep {
                        caller: summary.path.clone(),
                        callee: b.call.clone(),
                        unit: u,
                        span: b.span,
                    },
                    None,
                ),
            ));
        }
        for (c, call) in summary.calls.iter().enumerate() {
            if let Some(&callee) = index.get(&global(units[u].krate, &call.path)) {
                callers[callee].push((id, u, c));
            }
        }
    }
    while let Some((severity, Reverse(depth), Reverse(cand))) = heap.pop() {
        let id = candidates[cand].0;
        if !matches!(candidates[cand].1, Why::Marked) {
            if why[id].is_some() {
                continue;
            }
            why[id] = Some(candidates[cand].1.clone());
        }
        for &(caller, u, c) in &callers[id] {
            if why[caller].is_some() {
                continue;
            }
            let (cu, cf) = fns[caller];
            let summary = &units[cu].file.fns()[cf];
            if summary.allowed {
                continue;
            }
            let call = &summary.calls[c];
            heap.push((severity, Reverse(depth + 1), Reverse(candidates.len())));
            candidates.push((
                caller,
                Why::Calls(
                    ChainStep {
                        caller: summary.path.clone(),
                        callee: call.path.clone(),
                        unit: u,
                        span: call.span,
                    },
                    Some(id),
                ),
            ));
        }
    }

    let mut out = Vec::new();
    let mut used = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        for call in unit.file.async_calls() {
            if call.awaited {
                continue;
            }
            let Some(&id) = index.get(&global(unit.krate, &call.path)) else {
                continue;
            };
            let Some(reason) = &why[id] else { continue };
            let rule: &'static Rule = match reason {
                Why::Marked => user_rule(),
                Why::Calls(..) => transitive_rule(),
            };
            let level = config.level(rule);
            if level == Level::Allow || config.call_allowed(&call.path) {
                continue;
            }
            let hatch = call.hatches.iter().rev().find(|&&h| {
                let keys = &unit.file.hatch_keys(h);
                crate::hatch::Allow {
                    keys: keys.to_vec(),
                }
                .covers(rule)
            });
            if let Some(&h) = hatch {
                used.push((u, h));
                continue;
            }
            let chain = chain_of(&why, id);
            let notes = chain
                .iter()
                .map(|s| format!("`{}` calls `{}`", short_name(&s.caller), s.callee))
                .collect();
            out.push(UnitFinding {
                unit: u,
                finding: Finding {
                    rule,
                    call: call.path.clone(),
                    display: call.display.clone(),
                    span: call.span,
                    end_span: call.end_span,
                    confidence: Confidence::Certain,
                    level,
                    help: rule.help.to_owned(),
                    notes,
                    chain,
                    inside_closure_of: None,
                },
            });
        }
    }
    (out, used)
}

fn chain_of<P: Copy>(why: &[Option<Why<P>>], mut id: usize) -> Vec<ChainStep<P>> {
    let mut chain = Vec::new();
    // Chains are acyclic by construction (each fn is reached once), but cap
    // the walk anyway so a bug can never loop.
    for _ in 0..why.len() {
        match &why[id] {
            Some(Why::Calls(step, next)) => {
                chain.push(step.clone());
                match next {
                    Some(n) => id = *n,
                    None => break,
                }
            }
            _ => break,
        }
    }
    chain
}

/// `crate::a::b` in crate `k` is `k::a::b` for everyone else.
fn global(krate: &str, path: &str) -> String {
    match path.strip_prefix("crate::") {
        Some(rest) => format!("{krate}::{rest}"),
        None => path.to_owned(),
    }
}

/// `crate::config::load_config` -> `load_config`; `crate::a::Db::get` -> `Db::get`.
pub fn short_name(path: &str) -> &str {
    let mut parts = path.rsplitn(3, "::");
    let last = parts.next().unwrap_or(path);
    match parts.next() {
        Some(parent) if parent.starts_with(|c: char| c.is_ascii_uppercase()) => {
            &path[path.len() - last.len() - parent.len() - 2..]
        }
        _ => last,
    }
}
