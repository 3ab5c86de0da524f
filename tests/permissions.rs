#![cfg(not(target_arch = "wasm32"))]
//! Tests of the permission model: unit tests of matching, normalization, refusals and the
//! packed formats, and property tests against a straightforward reference matcher.

use edge_lru::permissions::{normalize, Op, Ops, PathError, RuleError, RuleSet};
use proptest::prelude::*;

fn ops(s: &str) -> Ops {
    Ops::parse(s).unwrap()
}

fn set(rules: &[(&str, &str)]) -> RuleSet {
    RuleSet::compile(rules.iter().map(|&(p, o)| (p, ops(o)))).unwrap()
}

fn allowed(rules: &RuleSet, path: &str) -> Ops {
    rules.allowed(path).unwrap()
}

// ---------------------------------------------------------------- operations

#[test]
fn op_names_round_trip() {
    for op in Op::ALL {
        assert_eq!(op.name().parse::<Op>().unwrap(), op);
        assert_eq!(op.to_string(), op.name());
        assert_eq!(Ops::from(op).bits(), op.bit());
    }
    let bits: Vec<u8> = Op::ALL.iter().map(|op| op.bit()).collect();
    assert_eq!(bits, [1, 2, 4, 8, 16, 32]);
}

#[test]
fn op_parse_errors_name_the_word() {
    let err = "Read".parse::<Op>().unwrap_err();
    assert_eq!(err.name(), "Read");
    assert_eq!(
        err.to_string(),
        "unknown operation \"Read\": expected list, read, write, delete, mkdir or rename (or, for a set, all or none)"
    );
    assert_eq!("all".parse::<Op>().unwrap_err().name(), "all");
    assert_eq!("".parse::<Op>().unwrap_err().name(), "");
    assert_eq!(Ops::parse("list,read,chmod,nope").unwrap_err().name(), "chmod");
}

#[test]
fn ops_parse_and_display() {
    assert_eq!(ops("list,read"), Op::List | Op::Read);
    assert_eq!(ops(" list , read\twrite\n"), Op::List | Op::Read | Op::Write);
    assert_eq!(ops("all"), Ops::ALL);
    assert_eq!(ops("none"), Ops::NONE);
    assert_eq!(ops(""), Ops::NONE);
    assert_eq!(ops("none,mkdir"), Ops::from(Op::Mkdir));
    assert_eq!(Ops::ALL.to_string(), "list,read,write,delete,mkdir,rename");
    assert_eq!(Ops::NONE.to_string(), "none");
    assert_eq!(format!("{:?}", Op::Delete | Op::Rename), "Ops(delete,rename)");
    for bits in 0..64 {
        let o = Ops::from_bits(bits).unwrap();
        assert_eq!(ops(&o.to_string()), o);
        assert_eq!(o.iter().collect::<Ops>(), o);
        assert_eq!(o.len(), o.iter().count());
    }
    for bits in 64..=255 {
        assert_eq!(Ops::from_bits(bits), None);
    }
}

#[test]
fn ops_set_operations() {
    let o = Ops::NONE.with(Op::Read).with(Op::Write);
    assert!(o.contains(Op::Read) && o.contains(Op::Write) && !o.contains(Op::List));
    assert_eq!(o.without(Op::Read), Ops::from(Op::Write));
    assert_eq!(o & ops("read,list"), Ops::from(Op::Read));
    assert!(Ops::ALL.contains_all(o));
    assert!(!o.contains_all(Ops::ALL));
    let mut m = Ops::NONE;
    m |= Op::List;
    m |= ops("rename");
    assert_eq!(m, Op::List | Op::Rename);
}

// ---------------------------------------------------------------- matching

#[test]
fn no_rules_allow_nothing() {
    let empty = RuleSet::compile(std::iter::empty()).unwrap();
    assert_eq!(empty, RuleSet::default());
    assert!(empty.is_empty());
    for p in ["/", "/a", "/a/b/c"] {
        assert_eq!(allowed(&empty, p), Ops::NONE);
    }
    let mut out = Vec::new();
    assert_eq!(empty.filter_packed("/", b"a\0b", Op::List, &mut out), Ok(2));
    assert_eq!(out, [0, 0]);
}

#[test]
fn segment_boundaries() {
    let r = set(&[("/home/al", "all")]);
    assert_eq!(allowed(&r, "/home/al"), Ops::ALL);
    assert_eq!(allowed(&r, "/home/al/x/y"), Ops::ALL);
    assert_eq!(allowed(&r, "/home/alice"), Ops::NONE);
    assert_eq!(allowed(&r, "/home/alice/x"), Ops::NONE);
    assert_eq!(allowed(&r, "/home/a"), Ops::NONE);
    assert_eq!(allowed(&r, "/home"), Ops::NONE);
    assert_eq!(allowed(&r, "/home/al-"), Ops::NONE);
    assert_eq!(allowed(&r, "/home/al.x"), Ops::NONE);

    let r = set(&[("/home/al", "read"), ("/home/alice", "write")]);
    assert_eq!(allowed(&r, "/home/al/x"), ops("read"));
    assert_eq!(allowed(&r, "/home/alice/x"), ops("write"));
    assert_eq!(allowed(&r, "/home/ali"), Ops::NONE);
}

#[test]
fn longest_match_decides_alone() {
    let r = set(&[("/", "list"), ("/home", "list,read"), ("/home/alice", "all")]);
    assert_eq!(allowed(&r, "/"), ops("list"));
    assert_eq!(allowed(&r, "/etc/passwd"), ops("list"));
    assert_eq!(allowed(&r, "/home"), ops("list,read"));
    assert_eq!(allowed(&r, "/home/bob"), ops("list,read"));
    assert_eq!(allowed(&r, "/home/alice/a/b"), Ops::ALL);
    // Rules do not add up: a narrower rule granting less takes away.
    let r = set(&[("/", "all"), ("/ro", "read")]);
    assert_eq!(allowed(&r, "/ro/x"), ops("read"));
}

#[test]
fn deny_subtrees() {
    let r = set(&[("/home", "all"), ("/home/alice/private", "none")]);
    assert_eq!(allowed(&r, "/home/alice"), Ops::ALL);
    assert_eq!(allowed(&r, "/home/alice/public/x"), Ops::ALL);
    assert_eq!(allowed(&r, "/home/alice/private"), Ops::NONE);
    assert_eq!(allowed(&r, "/home/alice/private/deep/file"), Ops::NONE);
    assert_eq!(allowed(&r, "/home/alice/privately"), Ops::ALL);
    // A grant inside a denied subtree reopens it.
    let r = set(&[("/", "all"), ("/x", "none"), ("/x/y", "read")]);
    assert_eq!(allowed(&r, "/x/z"), Ops::NONE);
    assert_eq!(allowed(&r, "/x/y/z"), ops("read"));
}

#[test]
fn has_rules_below() {
    let below = |r: &RuleSet, p: &str| r.has_rules_below(p).unwrap();
    let r = set(&[("/a", "all"), ("/a/b/c", "read"), ("/x/y", "none")]);
    // Strictly below, at any depth; the path's own rule does not count.
    assert!(below(&r, "/a"));
    assert!(below(&r, "/a/b"));
    assert!(!below(&r, "/a/b/c"), "a rule on the path itself is not below it");
    assert!(!below(&r, "/a/b/c/d"));
    // Whole segments: /ab and /a/bc are not above /a/b/c.
    assert!(!below(&r, "/ab"));
    assert!(!below(&r, "/a/bc"));
    assert!(!below(&r, "/a/b/cd"));
    // A deny rule below counts too, even under a path that has no rule of its own.
    assert!(below(&r, "/x"));
    assert!(!below(&r, "/x/y"));
    assert!(!below(&r, "/q"));
    // Normalized as other paths are.
    assert!(below(&r, "//a/./b/"));
    assert!(below(&r, "/./"));
    // The root: below it is every rule but one on `/` itself.
    assert!(below(&r, "/"));
    assert!(!below(&set(&[("/", "all")]), "/"));
    assert!(below(&set(&[("/", "all"), ("/tmp", "none")]), "/"));
    assert!(!below(&RuleSet::default(), "/"));
    assert!(!below(&RuleSet::default(), "/a"));
    // Refused paths are errors, whatever the rules.
    assert_eq!(r.has_rules_below("a"), Err(PathError::Relative));
    assert_eq!(r.has_rules_below("/a/.."), Err(PathError::DotDot));
    assert_eq!(r.has_rules_below(""), Err(PathError::Empty));
    assert_eq!(RuleSet::default().has_rules_below("/a\\b"), Err(PathError::Backslash));
}

#[test]
fn root_rules() {
    for root in ["/", "//", "/.", "/./", "///.//"] {
        let r = RuleSet::compile([(root, ops("list"))]).unwrap();
        assert_eq!(r.rules(), [("/".to_string(), ops("list"))]);
        assert_eq!(allowed(&r, "/"), ops("list"));
        assert_eq!(allowed(&r, "/any/thing/at/all"), ops("list"));
    }
}

#[test]
fn normalization() {
    assert_eq!(normalize("//home/./alice/").unwrap(), "/home/alice");
    assert_eq!(normalize("/").unwrap(), "/");
    assert_eq!(normalize("/././/").unwrap(), "/");
    assert_eq!(normalize("/a/.../b").unwrap(), "/a/.../b");
    assert_eq!(normalize("/a/.b/c.").unwrap(), "/a/.b/c.");
    let r = set(&[("//home/./alice/", "read")]);
    assert_eq!(r.rules(), [("/home/alice".to_string(), ops("read"))]);
    for p in ["/home/alice", "/home/alice/", "//home//alice", "/./home/./alice/.", "/home/alice//x/"] {
        assert_eq!(allowed(&r, p), ops("read"), "{p}");
    }
    // Spaces and other bytes are part of a segment.
    assert_eq!(allowed(&r, "/home/alice "), Ops::NONE);
    assert_eq!(allowed(&r, "/home/Alice"), Ops::NONE);
}

#[test]
fn refused_paths() {
    let r = set(&[("/", "all")]);
    let cases: &[(&str, PathError)] = &[
        ("", PathError::Empty),
        ("home", PathError::Relative),
        ("./home", PathError::Relative),
        (" /home", PathError::Relative),
        ("\\home", PathError::Relative),
        ("..", PathError::Relative),
        ("/..", PathError::DotDot),
        ("/../", PathError::DotDot),
        ("/home/../etc", PathError::DotDot),
        ("/home/alice/..", PathError::DotDot),
        ("/a\0b", PathError::Nul),
        ("/\0", PathError::Nul),
        ("/a\\b", PathError::Backslash),
        ("/a/\\", PathError::Backslash),
        // The first problem from the left is reported.
        ("/a\\/../\0", PathError::Backslash),
        ("/../a\\\0", PathError::DotDot),
        ("/\0/../", PathError::Nul),
    ];
    for &(path, err) in cases {
        assert_eq!(r.allowed(path), Err(err), "{path:?}");
        assert_eq!(r.allows(path, Op::Read), Err(err), "{path:?}");
        assert_eq!(r.dir(path).err(), Some(err), "{path:?}");
        assert_eq!(normalize(path), Err(err), "{path:?}");
        let mut out = vec![7u8];
        assert_eq!(r.filter_packed(path, b"a", Op::Read, &mut out), Err(err));
        assert_eq!(out, [7]);
        let mut bools = Vec::new();
        assert_eq!(r.filter(path, ["a"], Op::Read, &mut bools), Err(err));
        assert!(bools.is_empty());
        // Rule paths get the same checks.
        assert_eq!(
            RuleSet::compile([("/ok", Ops::ALL), (path, Ops::ALL)]),
            Err(RuleError::Path { index: 1, error: err })
        );
    }
    // Refusal does not depend on the rules.
    assert_eq!(RuleSet::default().allowed("/x/.."), Err(PathError::DotDot));
    // But "..." and ".x" are ordinary names.
    assert_eq!(allowed(&r, "/.../..x/x.."), Ops::ALL);
}

#[test]
fn path_error_messages() {
    assert_eq!(PathError::Empty.to_string(), "path is empty; paths must be absolute, starting with '/'");
    assert_eq!(
        PathError::Relative.to_string(),
        "path is relative; paths must be absolute, starting with '/'"
    );
    assert_eq!(
        PathError::DotDot.to_string(),
        "path has a '..' segment; parent segments are refused, not resolved"
    );
    assert_eq!(PathError::Nul.to_string(), "path contains a NUL byte");
    assert_eq!(PathError::Backslash.to_string(), "path contains a backslash");
}

#[test]
fn duplicate_rules_are_refused() {
    let e = RuleSet::compile([("/a", Ops::ALL), ("/a/", Ops::NONE)]);
    assert_eq!(e, Err(RuleError::DuplicateRule { first: 0, second: 1 }));
    assert_eq!(e.unwrap_err().to_string(), "rule 1: same path as rule 0 (duplicate rules are refused)");
    // Same ops is still a duplicate.
    let e = RuleSet::compile([("/", Ops::ALL), ("//./", Ops::ALL)]);
    assert_eq!(e, Err(RuleError::DuplicateRule { first: 0, second: 1 }));
    // The earliest repeating rule is reported, with the first rule it repeats.
    let e = RuleSet::compile([
        ("/b", Ops::NONE),
        ("/a", Ops::NONE),
        ("/a/.", Ops::NONE),
        ("//b", Ops::NONE),
        ("/a//", Ops::NONE),
    ]);
    assert_eq!(e, Err(RuleError::DuplicateRule { first: 1, second: 2 }));
    let e = RuleSet::compile([("/z", Ops::NONE), ("/y", Ops::NONE), ("/z/", Ops::NONE), ("/y/", Ops::NONE)]);
    assert_eq!(e, Err(RuleError::DuplicateRule { first: 0, second: 2 }));
    // A refused path is reported before duplicates.
    let e = RuleSet::compile([("/a", Ops::NONE), ("/a", Ops::NONE), ("a", Ops::NONE)]);
    assert_eq!(e, Err(RuleError::Path { index: 2, error: PathError::Relative }));
    // Packed input too.
    assert_eq!(
        RuleSet::compile_packed(b"\x01/x\0\x02/y\0\x04/x/\0"),
        Err(RuleError::DuplicateRule { first: 0, second: 2 })
    );
}

#[test]
fn non_ascii_paths() {
    let r =
        set(&[("/données/été", "read"), ("/données", "list"), ("/日本", "all"), ("/e\u{301}te", "write")]);
    assert_eq!(allowed(&r, "/données/été/x"), ops("read"));
    assert_eq!(allowed(&r, "/données/ete"), ops("list"));
    assert_eq!(allowed(&r, "/日本/語"), Ops::ALL);
    assert_eq!(allowed(&r, "/日"), Ops::NONE);
    // No Unicode normalization: precomposed "été" is not "e\u{301}te".
    assert_eq!(allowed(&r, "/e\u{301}te"), ops("write"));
    assert_eq!(allowed(&r, "/\u{e9}te"), Ops::NONE);
    let mut out = Vec::new();
    r.filter("/données", ["été", "ete", "😀"], Op::Read, &mut out).unwrap();
    assert_eq!(out, [true, false, false]);
    let packed = RuleSet::compile_packed(&r.to_packed()).unwrap();
    assert_eq!(packed, r);
}

#[test]
fn rules_are_listed_sorted_and_compile_is_order_independent() {
    let a = set(&[("/b", "read"), ("/a/c", "none"), ("/", "list"), ("/a", "all"), ("/a b", "write")]);
    let b = set(&[("/a b", "write"), ("/", "list"), ("/a", "all"), ("/a/c", "none"), ("/b", "read")]);
    assert_eq!(a, b);
    assert_eq!(a.bytes(), b.bytes());
    let listed: Vec<(String, String)> = a.rules().into_iter().map(|(p, o)| (p, o.to_string())).collect();
    let expect = [
        ("/", "list"),
        ("/a", "list,read,write,delete,mkdir,rename"),
        ("/a/c", "none"),
        ("/a b", "write"),
        ("/b", "read"),
    ];
    let expect: Vec<(String, String)> = expect.iter().map(|&(p, o)| (p.to_string(), o.to_string())).collect();
    assert_eq!(listed, expect);
    assert_eq!(
        format!("{a:?}"),
        "{\"/\": Ops(list), \"/a\": Ops(list,read,write,delete,mkdir,rename), \"/a/c\": Ops(none), \"/a b\": Ops(write), \"/b\": Ops(read)}"
    );
}

#[test]
fn bytes_accounting() {
    let base = std::mem::size_of::<RuleSet>();
    assert_eq!(RuleSet::default().bytes(), base + 2 * 12);
    // Nodes: root, home, alice, bob, private + sentinel = 6; labels home+alice+bob+private.
    let r = set(&[("/home/alice", "all"), ("/home/bob", "read"), ("/home/alice/private", "none")]);
    assert_eq!(r.bytes(), base + 6 * 12 + "homealicebobprivate".len());
    // Spelling does not matter.
    let s = set(&[("//home/bob/", "read"), ("/home/./alice/private", "none"), ("/home/alice", "all")]);
    assert_eq!(s.bytes(), r.bytes());
}

// ---------------------------------------------------------------- listings

#[test]
fn filter_matches_allows_per_name() {
    let r = set(&[
        ("/", "list"),
        ("/home", "list,read"),
        ("/home/alice", "all"),
        ("/home/alice/private", "none"),
        ("/home/al", "write"),
        ("/home/bob/x/y", "delete"),
    ]);
    let names = ["alice", "al", "ali", "bob", "carol", "private", "x", "y", "é", "a b"];
    for dir in
        ["/", "/home", "/home/", "/home/alice", "/home/bob", "/home/bob/x", "/nope", "/home/alice/private"]
    {
        for op in Op::ALL {
            let mut bools = Vec::new();
            assert_eq!(r.filter(dir, names, op, &mut bools), Ok(names.len()));
            let packed = names.join("\0");
            let mut bytes = Vec::new();
            assert_eq!(r.filter_packed(dir, packed.as_bytes(), op, &mut bytes), Ok(names.len()));
            let d = r.dir(dir).unwrap();
            for (i, name) in names.iter().enumerate() {
                let expect = r.allows(&format!("{dir}/{name}"), op).unwrap();
                assert_eq!(bools[i], expect, "{dir} {name} {op}");
                assert_eq!(bytes[i], u8::from(expect), "{dir} {name} {op}");
                assert_eq!(d.entry(name), r.allowed(&format!("{dir}/{name}")).unwrap());
            }
            assert_eq!(d.ops(), r.allowed(dir).unwrap());
        }
    }
}

#[test]
fn filter_refuses_names_that_are_not_one_segment() {
    let r = set(&[("/", "all"), ("/d/x", "all")]);
    let bad: [&[u8]; 9] = [b"", b".", b"..", b"a/b", b"/", b"a\\b", b"a\0b", b"\xff", b"\xc3"];
    for dir in ["/", "/d", "/d/x"] {
        let mut out = Vec::new();
        assert_eq!(r.filter(dir, bad, Op::Read, &mut out), Ok(bad.len()));
        assert_eq!(out, [false; 9]);
        let d = r.dir(dir).unwrap();
        for name in bad {
            assert_eq!(d.entry(name), Ops::NONE);
        }
    }
    // Works with owned names too, and appends.
    let mut out = vec![true];
    r.filter("/d", vec!["x".to_string(), "..".to_string()], Op::Read, &mut out).unwrap();
    assert_eq!(out, [true, true, false]);
}

#[test]
fn filter_packed_format() {
    let r = set(&[("/", "read"), ("/d", "none")]);
    let run = |packed: &[u8]| {
        let mut out = Vec::new();
        let n = r.filter_packed("/", packed, Op::Read, &mut out).unwrap();
        assert_eq!(n, out.len());
        out
    };
    assert_eq!(run(b""), [0u8; 0]);
    assert_eq!(run(b"\0"), [0]);
    assert_eq!(run(b"a"), [1]);
    assert_eq!(run(b"a\0"), [1]);
    assert_eq!(run(b"a\0d"), [1, 0]);
    assert_eq!(run(b"a\0d\0"), [1, 0]);
    assert_eq!(run(b"a\0\0"), [1, 0]);
    assert_eq!(run(b"\0\0a"), [0, 0, 1]);
    assert_eq!(run(b"a\0..\0.\0b/c\0e\\f\0ok"), [1, 0, 0, 0, 0, 1]);
    // Invalid UTF-8 in one name only spoils that name.
    assert_eq!(run(b"a\0\xff\0b\0\xe9t\xe9\0\xc3\xa9"), [1, 0, 1, 0, 1]);
    // Appends to what is already there.
    let mut out = vec![9];
    assert_eq!(r.filter_packed("/", b"a\0d", Op::Read, &mut out), Ok(2));
    assert_eq!(out, [9, 1, 0]);
    // A denied directory with nothing below it takes the counting shortcut.
    let mut out = vec![9];
    assert_eq!(r.filter_packed("/d", b"a\0\0b\0", Op::Read, &mut out), Ok(3));
    assert_eq!(out, [9, 0, 0, 0]);
    let mut out = Vec::new();
    assert_eq!(r.filter_packed("/d", b"", Op::Read, &mut out), Ok(0));
    assert!(out.is_empty());
}

#[test]
fn large_listing() {
    // 143 rules below the directory (too many to sieve), then 91 (sieved).
    for step in [7, 11] {
        large_listing_with(step);
    }
}

fn large_listing_with(step: usize) {
    let mut rules: Vec<(String, Ops)> = vec![("/big".into(), ops("list,read"))];
    for i in (0..1000).step_by(step) {
        rules.push((format!("/big/f{i:04}"), if i % 2 == 0 { Ops::NONE } else { Ops::ALL }));
    }
    rules.push(("/big/f0003/deeper".into(), Ops::ALL));
    let r = RuleSet::compile(rules.iter().map(|(p, o)| (p.as_str(), *o))).unwrap();
    let names: Vec<String> = (0..1000).map(|i| format!("f{i:04}")).collect();
    let packed = names.join("\0");
    for op in [Op::Read, Op::Write] {
        let mut out = Vec::new();
        assert_eq!(r.filter_packed("/big", packed.as_bytes(), op, &mut out), Ok(1000));
        for (i, name) in names.iter().enumerate() {
            assert_eq!(out[i], u8::from(r.allows(&format!("/big/{name}"), op).unwrap()), "{name}");
        }
    }
}

// ---------------------------------------------------------------- packed rules

#[test]
fn packed_rules_round_trip() {
    let r = set(&[("/", "list"), ("/home/alice", "all"), ("/home/alice/private", "none"), ("/é t", "read")]);
    let packed = r.to_packed();
    assert_eq!(packed, b"\x01/\0\x3f/home/alice\0\x00/home/alice/private\0\x02/\xc3\xa9 t\0".as_slice());
    assert_eq!(RuleSet::compile_packed(&packed).unwrap(), r);
    assert_eq!(RuleSet::compile_packed(b"").unwrap(), RuleSet::default());
    assert!(RuleSet::default().to_packed().is_empty());
    // Paths in the buffer are normalized like any other.
    let loose =
        RuleSet::compile_packed(b"\x01//\0\x3f/home/./alice/\0\x00/home/alice/private\0\x02/\xc3\xa9 t\0");
    assert_eq!(loose.unwrap(), r);
    // JavaScript can build the buffer as a string.
    let js: String = [(0x01u8, "/"), (0x3f, "/home/alice"), (0x00, "/home/alice/private"), (0x02, "/é t")]
        .iter()
        .map(|&(bits, path)| format!("{}{path}\0", char::from(bits)))
        .collect();
    assert_eq!(js.as_bytes(), packed.as_slice());
}

#[test]
fn malformed_packed_rules() {
    let cases: &[(&[u8], RuleError)] = &[
        (b"\x40/a\0", RuleError::UnknownOpBits { index: 0, offset: 0, bits: 0x40 }),
        (b"\x01/a\0\xff/b\0", RuleError::UnknownOpBits { index: 1, offset: 4, bits: 0xff }),
        (b"\x01", RuleError::Unterminated { index: 0, offset: 0 }),
        (b"\x01/a", RuleError::Unterminated { index: 0, offset: 0 }),
        (b"\x01/a\0\x02/b\0\x03", RuleError::Unterminated { index: 2, offset: 8 }),
        (b"\x01/\xff\0", RuleError::InvalidUtf8 { index: 0, offset: 0 }),
        (b"\x01/a\0\x01/\xc3\0", RuleError::InvalidUtf8 { index: 1, offset: 4 }),
        (b"\x01\0", RuleError::Path { index: 0, error: PathError::Empty }),
        (b"\x01/a\0\x01a\0", RuleError::Path { index: 1, error: PathError::Relative }),
        (b"\x01/a/..\0", RuleError::Path { index: 0, error: PathError::DotDot }),
        (b"\x01/a\\b\0", RuleError::Path { index: 0, error: PathError::Backslash }),
        // The first malformed rule wins over a later duplicate.
        (b"\x01/a\0\x01/a\0\x80", RuleError::UnknownOpBits { index: 2, offset: 8, bits: 0x80 }),
    ];
    for (bytes, err) in cases {
        assert_eq!(RuleSet::compile_packed(bytes), Err(*err), "{bytes:?}");
    }
    // A missing terminator runs the next rule into the path; control bytes are ordinary
    // path bytes, so this is one rule on "/a\x02/b".
    assert_eq!(RuleSet::compile_packed(b"\x01/a\x02/b\0").map(|r| r.len()), Ok(1));
}

#[test]
fn rule_error_messages() {
    let msg = |e: RuleError| e.to_string();
    assert_eq!(
        msg(RuleError::UnknownOpBits { index: 2, offset: 9, bits: 0x40 }),
        "rule 2 (byte 9): operations byte 0x40 has bits above 0x3f"
    );
    assert_eq!(
        msg(RuleError::Unterminated { index: 0, offset: 0 }),
        "rule 0 (byte 0): path has no NUL terminator"
    );
    assert_eq!(
        msg(RuleError::InvalidUtf8 { index: 1, offset: 4 }),
        "rule 1 (byte 4): path is not valid UTF-8"
    );
    assert_eq!(msg(RuleError::Path { index: 3, error: PathError::Nul }), "rule 3: path contains a NUL byte");
    let source = std::error::Error::source(&RuleError::Path { index: 0, error: PathError::Nul });
    assert_eq!(source.map(|s| s.to_string()), Some(PathError::Nul.to_string()));
}

// ---------------------------------------------------------------- properties

/// Segments drawn from a small alphabet so that prefixes overlap a lot; `.` and the empty
/// segment exercise normalization.
const SEGMENTS: &[&str] = &["a", "al", "alice", "b", ".", "", "x y", "é"];

/// A path of 0..4 segments from [`SEGMENTS`], absolute, maybe with a trailing slash.
fn path() -> impl Strategy<Value = String> {
    (prop::collection::vec(prop::sample::select(SEGMENTS), 0..5), any::<bool>()).prop_map(
        |(segs, trailing)| {
            let mut p = String::new();
            for s in segs {
                p.push('/');
                p.push_str(s);
            }
            if trailing || p.is_empty() {
                p.push('/');
            }
            p
        },
    )
}

/// Mostly valid paths, sometimes refused ones.
fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => path(),
        1 => (path(), prop::sample::select(&["..", "a\\b", "a\0", "\\"][..])).prop_map(|(p, bad)| format!("{p}/{bad}")),
        1 => prop::sample::select(&["", "a", "a/b", "./a", ".."][..]).prop_map(str::to_string),
    ]
}

/// The reference: split and filter by hand.
fn ref_segments(path: &str) -> Result<Vec<String>, PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    if !path.starts_with('/') {
        return Err(PathError::Relative);
    }
    let mut out = Vec::new();
    for seg in path.split('/') {
        if seg == ".." {
            return Err(PathError::DotDot);
        }
        for c in seg.chars() {
            match c {
                '\0' => return Err(PathError::Nul),
                '\\' => return Err(PathError::Backslash),
                _ => {}
            }
        }
        if !seg.is_empty() && seg != "." {
            out.push(seg.to_string());
        }
    }
    Ok(out)
}

/// The reference matcher: scan every rule for the longest segment prefix.
fn ref_allowed(rules: &[(Vec<String>, Ops)], path: &str) -> Result<Ops, PathError> {
    let segs = ref_segments(path)?;
    Ok(rules
        .iter()
        .filter(|(r, _)| r.len() <= segs.len() && segs[..r.len()] == r[..])
        .max_by_key(|(r, _)| r.len())
        .map_or(Ops::NONE, |&(_, o)| o))
}

fn ops_strategy() -> impl Strategy<Value = Ops> {
    (0u8..64).prop_map(|b| Ops::from_bits(b).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn allowed_matches_reference(
        rules in prop::collection::vec((path(), ops_strategy()), 0..8),
        queries in prop::collection::vec(query(), 1..12),
    ) {
        let normalized: Vec<(Vec<String>, Ops)> =
            rules.iter().map(|(p, o)| (ref_segments(p).unwrap(), *o)).collect();
        let compiled = RuleSet::compile(rules.iter().map(|(p, o)| (p.as_str(), *o)));
        // Duplicates are refused, naming the earliest repeat.
        let repeat = (0..normalized.len())
            .find_map(|j| (0..j).find(|&i| normalized[i].0 == normalized[j].0).map(|i| (i, j)));
        if let Some((first, second)) = repeat {
            prop_assert_eq!(compiled, Err(RuleError::DuplicateRule { first, second }));
        } else {
            prop_assert!(compiled.is_ok());
        }
        // Then check matching on the rules without their repeats.
        let mut seen = std::collections::HashSet::new();
        let (rules, normalized): (Vec<_>, Vec<_>) =
            rules.iter().zip(normalized).filter(|(_, n)| seen.insert(n.0.clone())).unzip();
        let set = RuleSet::compile(rules.iter().map(|(p, o)| (p.as_str(), *o))).unwrap();
        prop_assert_eq!(set.len(), rules.len());
        for q in &queries {
            prop_assert_eq!(set.allowed(q), ref_allowed(&normalized, q), "query {:?}", q);
            prop_assert_eq!(normalize(q).is_ok(), ref_segments(q).is_ok());
        }
        // A rule lies strictly below a query when the query's segments are a proper
        // prefix of the rule's.
        for q in &queries {
            let expect = ref_segments(q).map(|segs| {
                normalized.iter().any(|(r, _)| r.len() > segs.len() && r[..segs.len()] == segs[..])
            });
            prop_assert_eq!(set.has_rules_below(q), expect, "below {:?}", q);
        }
        // The packed form compiles to the same set, and the listed rules are the input's.
        let repacked = RuleSet::compile_packed(&set.to_packed()).unwrap();
        prop_assert_eq!(&repacked, &set);
        prop_assert_eq!(repacked.bytes(), set.bytes());
        let mut listed: Vec<(Vec<String>, Ops)> =
            set.rules().iter().map(|(p, o)| (ref_segments(p).unwrap(), *o)).collect();
        let mut expect = normalized.clone();
        expect.sort();
        listed.sort();
        prop_assert_eq!(listed, expect);
    }

    #[test]
    fn filter_matches_reference(
        rules in prop::collection::vec((path(), ops_strategy()), 0..8),
        dir in query(),
        names in prop::collection::vec(
            prop::sample::select(&["a", "al", "alice", "b", "x y", "é", ".", "..", "", "a/b", "a\\b", "c"][..]),
            0..10,
        ),
        op in prop::sample::select(&Op::ALL[..]),
    ) {
        let mut seen = std::collections::HashSet::new();
        let rules: Vec<(Vec<String>, Ops)> = rules
            .iter()
            .map(|(p, o)| (ref_segments(p).unwrap(), *o))
            .filter(|(segs, _)| seen.insert(segs.clone()))
            .collect();
        let joined: Vec<(String, Ops)> =
            rules.iter().map(|(segs, o)| (format!("/{}", segs.join("/")), *o)).collect();
        let set = RuleSet::compile(joined.iter().map(|(p, o)| (p.as_str(), *o))).unwrap();

        let mut bools = Vec::new();
        let got = set.filter(&dir, &names, op, &mut bools);
        let packed: Vec<u8> = names.iter().flat_map(|n| n.bytes().chain([0])).collect();
        let mut bytes = Vec::new();
        let got_packed = set.filter_packed(&dir, &packed, op, &mut bytes);
        match ref_segments(&dir) {
            Err(e) => {
                prop_assert_eq!(got, Err(e));
                prop_assert_eq!(got_packed, Err(e));
            }
            Ok(_) => {
                prop_assert_eq!(got, Ok(names.len()));
                prop_assert_eq!(got_packed, Ok(names.len()));
                for (i, name) in names.iter().enumerate() {
                    let single = !matches!(*name, "" | "." | "..") && !name.contains(['/', '\\']);
                    let expect = single
                        && ref_allowed(&rules, &format!("{dir}/{name}")).unwrap().contains(op);
                    prop_assert_eq!(bools[i], expect, "name {:?}", name);
                    prop_assert_eq!(bytes[i], u8::from(expect), "name {:?}", name);
                }
            }
        }
    }
}

#[test]
fn deep_paths() {
    let deep = "/d".repeat(50_000);
    let r = RuleSet::compile([(deep.as_str(), Ops::ALL), ("/d", ops("list"))]).unwrap();
    assert_eq!(allowed(&r, &format!("{deep}/x")), Ops::ALL);
    assert_eq!(allowed(&r, "/d/d/d"), ops("list"));
    assert_eq!(r.rules()[1].0, deep);
    assert_eq!(RuleSet::compile_packed(&r.to_packed()).unwrap(), r);
    assert_eq!(r.bytes(), std::mem::size_of::<RuleSet>() + 50_002 * 12 + 50_000);
}
