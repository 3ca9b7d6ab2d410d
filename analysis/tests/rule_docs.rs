//! Each rule's documented example is a test: `cargo pollguard --explain`
//! shows code that the engine reports under that rule, and a "use instead"
//! that it does not.

use pollguard_analysis::{Config, Level, Options, RULES, Rule, analyze_file, transitive};

/// The codes of what the engine reports in `src`, direct and transitive,
/// with `rule` denied (some rules are allowed by default).
fn codes(rule: &Rule, src: &str, what: &str) -> Vec<&'static str> {
    let file = syn::parse_file(src)
        .unwrap_or_else(|e| panic!("{}: the {what} does not parse: {e}\n{src}", rule.code));
    let mut config = Config::new();
    config.set_level(rule.code, Level::Deny).unwrap();
    let analysis = analyze_file(&file, &Options::new(&config));
    assert!(
        analysis.errors.is_empty(),
        "{}: {what}: {:?}",
        rule.code,
        analysis.errors
    );
    // One file is the whole crate: what the attribute does, and the CLI
    // for a crate of one file.
    let unit = transitive::Unit {
        krate: "crate",
        file: &analysis,
        config: &config,
        dependency: false,
        kind: transitive::CrateKind::Other,
        test: false,
    };
    let (indirect, _) = transitive::findings(&[unit]);
    analysis
        .findings
        .iter()
        .map(|f| f.rule.code)
        .chain(indirect.iter().map(|u| u.finding.rule.code))
        .collect()
}

#[test]
fn every_example_triggers_its_rule_and_its_replacement_does_not() {
    let mut failures = Vec::new();
    for &rule in RULES {
        if !rule.category.is_blocking() {
            // Pollguard's own diagnostics are about escape hatches and the
            // baseline file, which the CLI reads: its tests run their examples.
            continue;
        }
        assert_eq!(
            rule.doc.langs,
            ["rust", "rust"],
            "{}: a blocking-call rule documents Rust code",
            rule.code
        );
        let found = codes(rule, rule.doc.example, "example");
        if !found.contains(&rule.code) {
            failures.push(format!(
                "{}: the example does not trigger it (found {found:?}):\n{}",
                rule.code, rule.doc.example
            ));
        }
        let found = codes(rule, rule.doc.instead, "use instead");
        if found.contains(&rule.code) {
            failures.push(format!(
                "{}: \"use instead\" triggers it:\n{}",
                rule.code, rule.doc.instead
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
