//! The permission matcher against a reference: compiling a rule list succeeds exactly
//! when every path is accepted and no two normalize alike; then every check, every
//! "is there a rule below this path?" and every name of a listing gets the answer of a
//! plain search of the rules by whole segments.
#![no_main]

use arbitrary::Arbitrary;
use edge_lru::permissions::{normalize, Op, Ops, RuleSet};
use libfuzzer_sys::fuzz_target;

/// Segments that make matching interesting: prefixes of each other, ones that
/// normalize away or are refused, look-alikes that must stay distinct.
const POOL: &[&str] = &[
    "a",
    "ab",
    "b",
    "home",
    "alice",
    "",
    ".",
    "..",
    "...",
    "é",
    "e\u{301}",
    "%2F",
    "\u{FEFF}a",
    "a b",
    "\u{FF0F}",
    "a\\b",
    "a\0",
];

#[derive(Arbitrary, Debug)]
enum Segment {
    Pool(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct PathSpec {
    segments: Vec<Segment>,
    trailing_slash: bool,
    relative: bool,
}

impl PathSpec {
    fn render(&self) -> String {
        let mut out = String::new();
        for (i, segment) in self.segments.iter().enumerate() {
            if i > 0 || !self.relative {
                out.push('/');
            }
            match segment {
                Segment::Pool(n) => out.push_str(POOL[*n as usize % POOL.len()]),
                Segment::Raw(s) => out.push_str(s),
            }
        }
        if self.trailing_slash || out.is_empty() && !self.relative {
            out.push('/');
        }
        out
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    rules: Vec<(PathSpec, u8)>,
    checks: Vec<PathSpec>,
    dir: PathSpec,
    names: Vec<Segment>,
    op: u8,
}

fn segments(canonical: &str) -> Vec<&str> {
    canonical.split('/').filter(|s| !s.is_empty()).collect()
}

/// The rules as canonical segment lists with their operations, or `None` when the
/// list must be refused.
fn reference_compile(rules: &[(String, Ops)]) -> Option<Vec<(Vec<String>, Ops)>> {
    let mut out: Vec<(Vec<String>, Ops)> = Vec::new();
    for (path, ops) in rules {
        let canonical = normalize(path).ok()?;
        let segs: Vec<String> = segments(&canonical).into_iter().map(str::to_owned).collect();
        if out.iter().any(|(other, _)| *other == segs) {
            return None;
        }
        out.push((segs, *ops));
    }
    Some(out)
}

/// The operations the longest rule that is a whole-segment prefix of `path` grants.
fn reference_allowed(rules: &[(Vec<String>, Ops)], path: &str) -> Option<Ops> {
    let canonical = normalize(path).ok()?;
    let segs = segments(&canonical);
    let best = rules
        .iter()
        .filter(|(rule, _)| rule.len() <= segs.len() && rule.iter().zip(&segs).all(|(a, b)| a == b))
        .max_by_key(|(rule, _)| rule.len());
    Some(best.map_or(Ops::NONE, |(_, ops)| *ops))
}

/// Whether some rule's path is `path` plus at least one more segment.
fn reference_below(rules: &[(Vec<String>, Ops)], path: &str) -> Option<bool> {
    let canonical = normalize(path).ok()?;
    let segs = segments(&canonical);
    Some(rules.iter().any(|(rule, _)| rule.len() > segs.len() && rule.iter().zip(&segs).all(|(a, b)| a == b)))
}

fn is_entry_name(name: &str) -> bool {
    !matches!(name, "" | "." | "..") && !name.contains(['/', '\\', '\0'])
}

fuzz_target!(|input: Input| {
    let rules: Vec<(String, Ops)> = input
        .rules
        .iter()
        .map(|(path, bits)| (path.render(), Ops::from_bits(bits & 0x3f).unwrap()))
        .collect();
    let expected = reference_compile(&rules);
    let compiled = RuleSet::compile(rules.iter().map(|(p, ops)| (p.as_str(), *ops)));
    let (Some(reference), Ok(set)) = (&expected, &compiled) else {
        assert_eq!(expected.is_some(), compiled.is_ok(), "compile {rules:?}: {compiled:?}");
        return;
    };

    for check in &input.checks {
        let path = check.render();
        let want = reference_allowed(reference, &path);
        assert_eq!(set.allowed(&path).ok(), want, "allowed({path:?}) under {rules:?}");
        let below = reference_below(reference, &path);
        assert_eq!(set.has_rules_below(&path).ok(), below, "has_rules_below({path:?}) under {rules:?}");
    }

    let op = Op::ALL[input.op as usize % Op::ALL.len()];
    let dir = input.dir.render();
    let names: Vec<String> = input
        .names
        .iter()
        .map(|s| match s {
            Segment::Pool(n) => POOL[*n as usize % POOL.len()].to_owned(),
            Segment::Raw(s) => s.clone(),
        })
        .collect();
    let mut got = Vec::new();
    let filtered = set.filter(&dir, &names, op, &mut got);
    if reference_allowed(reference, &dir).is_none() {
        assert!(filtered.is_err(), "filter in refused dir {dir:?}");
        return;
    }
    assert_eq!(filtered, Ok(names.len()));
    for (name, allowed) in names.iter().zip(got) {
        let want = is_entry_name(name)
            && reference_allowed(reference, &format!("{dir}/{name}")).is_some_and(|ops| ops.contains(op));
        assert_eq!(allowed, want, "filter {dir:?} {name:?} {op:?} under {rules:?}");
    }
});
