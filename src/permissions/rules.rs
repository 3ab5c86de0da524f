//! [`RuleSet`]: a user's rules compiled into a flat segment trie.

use core::fmt;
use core::mem::size_of;

use super::ops::{Op, Ops};
use super::path::{is_entry_name, segments, PathError};
use super::scan::{count_nul, for_each_name, name_hash};

/// Above this many rules directly below a directory, [`DirRules`] does not build a sieve
/// of their names (it would be mostly full, and take longer to build than it saves).
const MAX_SIEVED: u32 = 128;

/// Why a list of rules could not be compiled.
///
/// Rules are numbered from 0 in the order they were given (for
/// [`RuleSet::compile_packed`], the order they appear in the buffer; `offset` is then
/// the byte offset in the buffer where the rule starts).
///
/// # Examples
/// ```
/// use edge_lru::permissions::{Op, Ops, PathError, RuleError, RuleSet};
///
/// let err = RuleSet::compile([("/home", Ops::ALL), ("home/bob", Ops::NONE)]).unwrap_err();
/// assert_eq!(err, RuleError::Path { index: 1, error: PathError::Relative });
/// assert_eq!(
///     err.to_string(),
///     "rule 1: path is relative; paths must be absolute, starting with '/'"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleError {
    /// Rule `index` has a path that is refused.
    Path {
        /// The rule's position.
        index: usize,
        /// Why its path is refused.
        error: PathError,
    },
    /// Rules `first` and `second` have the same path once normalized (`/a/` and `//a`,
    /// say). Which one should win is ambiguous, so the whole list is refused. When
    /// several paths repeat, this reports the earliest rule that repeats an earlier one
    /// (smallest `second`), with the first rule it repeats.
    DuplicateRule {
        /// The earlier rule.
        first: usize,
        /// The later rule with the same path.
        second: usize,
    },
    /// Packed format: the operations byte of rule `index` has bits above `0x3f`.
    UnknownOpBits {
        /// The rule's position.
        index: usize,
        /// Byte offset of the rule (its operations byte) in the buffer.
        offset: usize,
        /// The byte found.
        bits: u8,
    },
    /// Packed format: rule `index` has no NUL terminator before the end of the buffer.
    Unterminated {
        /// The rule's position.
        index: usize,
        /// Byte offset of the rule (its operations byte) in the buffer.
        offset: usize,
    },
    /// Packed format: the path of rule `index` is not valid UTF-8.
    InvalidUtf8 {
        /// The rule's position.
        index: usize,
        /// Byte offset of the rule (its operations byte) in the buffer.
        offset: usize,
    },
    /// The rules need more than `u32::MAX` trie nodes or bytes of path segments.
    TooLarge,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::Path { index, error } => write!(f, "rule {index}: {error}"),
            RuleError::DuplicateRule { first, second } => {
                write!(f, "rule {second}: same path as rule {first} (duplicate rules are refused)")
            }
            RuleError::UnknownOpBits { index, offset, bits } => {
                write!(f, "rule {index} (byte {offset}): operations byte {bits:#04x} has bits above 0x3f")
            }
            RuleError::Unterminated { index, offset } => {
                write!(f, "rule {index} (byte {offset}): path has no NUL terminator")
            }
            RuleError::InvalidUtf8 { index, offset } => {
                write!(f, "rule {index} (byte {offset}): path is not valid UTF-8")
            }
            RuleError::TooLarge => {
                f.write_str("rules are too large to compile (over u32::MAX nodes or bytes)")
            }
        }
    }
}

impl std::error::Error for RuleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RuleError::Path { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// One trie node. Node 0 is the root (`/`, empty label); nodes are numbered breadth-first
/// with each node's children consecutive and sorted by label, and a sentinel node ends
/// the array, so that:
/// - the label of node `i` is `labels[nodes[i].label_start..nodes[i + 1].label_start]`;
/// - the children of node `i` are nodes `nodes[i].first_child..nodes[i + 1].first_child`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Node {
    label_start: u32,
    first_child: u32,
    /// The ops decided for this node's path: its own rule's, or if it has none, the ops
    /// of its nearest ancestor that has a rule (none at all: [`Ops::NONE`]).
    ops: Ops,
    /// Whether a rule names exactly this node's path.
    rule: bool,
}

/// One user's rules, compiled for fast checks.
///
/// A rule grants a set of [`Ops`] on a path and everything below it. For any path, the
/// rule with the longest path that is a prefix of it by whole segments decides, and if
/// no rule matches nothing is allowed; see the [module docs](super) for the full model.
///
/// The rules are stored as a segment trie in two exact-size buffers (see
/// [`bytes`](RuleSet::bytes)); each node already holds the decision for its path, so a
/// check walks down the trie once, with a binary search among a node's children per
/// segment, and never allocates.
///
/// Two rule sets are equal when they hold the same normalized rules.
///
/// # Examples
/// ```
/// use edge_lru::permissions::{Op, Ops, RuleSet};
///
/// let rules = RuleSet::compile([
///     ("/", Ops::from(Op::List)),
///     ("/home/alice", Ops::ALL),
///     ("/home/alice/private", Ops::NONE),
/// ])
/// .unwrap();
/// assert_eq!(rules.allowed("/home/alice/notes.txt").unwrap(), Ops::ALL);
/// assert!(rules.allows("/home/bob", Op::List).unwrap());
/// assert!(!rules.allows("/home/bob/x", Op::Read).unwrap());
/// assert!(rules.allowed("/home/alice/private/key").unwrap().is_empty());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RuleSet {
    labels: Box<str>,
    nodes: Box<[Node]>,
    rules: u32,
}

/// A trie under construction: one node per distinct rule-path prefix.
struct Draft<'a> {
    label: &'a str,
    children: Vec<u32>,
    rule: Option<Ops>,
}

impl RuleSet {
    /// Compiles a user's rules: `(path, ops)` pairs, in any order.
    ///
    /// Paths are validated and normalized as described in [`PathError`] and
    /// [`normalize`](super::normalize); a rule granting [`Ops::NONE`] denies its subtree.
    ///
    /// # Errors
    /// - [`RuleError::Path`] for the first rule (lowest index) whose path is refused;
    /// - [`RuleError::DuplicateRule`] if two rules have the same normalized path;
    /// - [`RuleError::TooLarge`] beyond `u32::MAX` nodes or label bytes.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleError, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/pub", Ops::from(Op::Read))]).unwrap();
    /// assert_eq!(rules.len(), 1);
    ///
    /// let dup = RuleSet::compile([("/a", Ops::ALL), ("/b", Ops::NONE), ("//a/", Ops::NONE)]);
    /// assert_eq!(dup, Err(RuleError::DuplicateRule { first: 0, second: 2 }));
    /// ```
    pub fn compile<'a>(rules: impl IntoIterator<Item = (&'a str, Ops)>) -> Result<RuleSet, RuleError> {
        let mut list: Vec<(Vec<&'a str>, Ops, usize)> = Vec::new();
        for (index, (path, ops)) in rules.into_iter().enumerate() {
            let segs = segments(path).map_err(|error| RuleError::Path { index, error })?;
            list.push((segs.collect(), ops, index));
        }
        Self::build(list)
    }

    /// Compiles rules from one buffer, the form a JavaScript host can build cheaply and
    /// pass in one call.
    ///
    /// # Format
    /// The buffer is a sequence of rules, each made of:
    /// 1. one byte of operation bits ([`Ops::bits`]: list `0x01`, read `0x02`, write
    ///    `0x04`, delete `0x08`, mkdir `0x10`, rename `0x20`; `0x00` is a deny rule);
    /// 2. the rule's path, UTF-8, absolute (it cannot contain NUL);
    /// 3. a NUL byte (`0x00`) ending the rule.
    ///
    /// An empty buffer holds no rules. Since the operations byte is below `0x40`, a
    /// buffer of valid paths is itself valid UTF-8, so JavaScript can build it as a
    /// string, `rules.map(([bits, path]) => String.fromCharCode(bits) + path + "\0").join("")`,
    /// and encode it with `TextEncoder`. [`RuleSet::to_packed`] produces this format.
    ///
    /// # Errors
    /// The first malformed rule in buffer order, as [`RuleError::UnknownOpBits`],
    /// [`RuleError::Unterminated`], [`RuleError::InvalidUtf8`] or [`RuleError::Path`];
    /// then, if every rule is well-formed, [`RuleError::DuplicateRule`] or
    /// [`RuleError::TooLarge`] as for [`compile`](RuleSet::compile).
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, RuleError, RuleSet};
    ///
    /// let rules = RuleSet::compile_packed(b"\x03/home\0\x00/home/alice/private\0").unwrap();
    /// assert!(rules.allows("/home/alice", Op::Read).unwrap());
    /// assert!(!rules.allows("/home/alice/private/x", Op::Read).unwrap());
    ///
    /// let err = RuleSet::compile_packed(b"\x03/home\0\x03/tmp").unwrap_err();
    /// assert_eq!(err, RuleError::Unterminated { index: 1, offset: 7 });
    /// ```
    pub fn compile_packed(bytes: &[u8]) -> Result<RuleSet, RuleError> {
        let mut list: Vec<(Vec<&str>, Ops, usize)> = Vec::new();
        let mut offset = 0;
        while offset < bytes.len() {
            let index = list.len();
            let bits = bytes[offset];
            let ops = Ops::from_bits(bits).ok_or(RuleError::UnknownOpBits { index, offset, bits })?;
            let rest = &bytes[offset + 1..];
            let len = rest.iter().position(|&b| b == 0).ok_or(RuleError::Unterminated { index, offset })?;
            let path =
                core::str::from_utf8(&rest[..len]).map_err(|_| RuleError::InvalidUtf8 { index, offset })?;
            let segs = segments(path).map_err(|error| RuleError::Path { index, error })?;
            list.push((segs.collect(), ops, index));
            offset += len + 2;
        }
        Self::build(list)
    }

    fn build(mut list: Vec<(Vec<&str>, Ops, usize)>) -> Result<RuleSet, RuleError> {
        // Stable: equal paths stay in input order.
        list.sort_by(|a, b| a.0.cmp(&b.0));
        // In each run of equal paths (in input order), the first two are a candidate.
        let mut duplicate: Option<(usize, usize)> = None;
        for (i, pair) in list.windows(2).enumerate() {
            let starts_run = i == 0 || list[i - 1].0 != pair[0].0;
            if starts_run && pair[0].0 == pair[1].0 && duplicate.is_none_or(|(_, s)| pair[1].2 < s) {
                duplicate = Some((pair[0].2, pair[1].2));
            }
        }
        if let Some((first, second)) = duplicate {
            return Err(RuleError::DuplicateRule { first, second });
        }

        // A trie of the sorted paths: a segment continues the node's last child or starts
        // a new child after it, so children come out sorted.
        let mut draft = vec![Draft { label: "", children: Vec::new(), rule: None }];
        for (segs, ops, _) in &list {
            let mut node = 0;
            for &seg in segs {
                node = match draft[node].children.last() {
                    Some(&child) if draft[child as usize].label == seg => child as usize,
                    _ => {
                        let child = draft.len();
                        draft.push(Draft { label: seg, children: Vec::new(), rule: None });
                        draft[node].children.push(u32::try_from(child).map_err(|_| RuleError::TooLarge)?);
                        child
                    }
                };
            }
            draft[node].rule = Some(*ops);
        }

        // Lay it out breadth-first, deciding each node's ops from its parent's.
        let count = draft.len();
        let label_bytes: usize = draft.iter().map(|d| d.label.len()).sum();
        if u32::try_from(count + 1).is_err() || u32::try_from(label_bytes).is_err() {
            return Err(RuleError::TooLarge);
        }
        let mut labels = String::with_capacity(label_bytes);
        let mut nodes = Vec::with_capacity(count + 1);
        // `order[i]` is the draft node laid out as node `i`; `decided[i]` its ops.
        let mut order: Vec<u32> = Vec::with_capacity(count);
        let mut decided: Vec<Ops> = Vec::with_capacity(count);
        order.push(0);
        decided.push(draft[0].rule.unwrap_or(Ops::NONE));
        let mut i = 0;
        while i < order.len() {
            let d = &draft[order[i] as usize];
            nodes.push(Node {
                label_start: labels.len() as u32,
                first_child: order.len() as u32,
                ops: decided[i],
                rule: d.rule.is_some(),
            });
            labels.push_str(d.label);
            for &child in &d.children {
                order.push(child);
                decided.push(draft[child as usize].rule.unwrap_or(decided[i]));
            }
            i += 1;
        }
        nodes.push(Node {
            label_start: labels.len() as u32,
            first_child: count as u32,
            ops: Ops::NONE,
            rule: false,
        });
        Ok(RuleSet {
            labels: labels.into_boxed_str(),
            nodes: nodes.into_boxed_slice(),
            rules: list.len() as u32,
        })
    }

    /// The number of rules.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/a", Ops::ALL), ("/a/b", Ops::NONE)]).unwrap();
    /// assert_eq!(rules.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.rules as usize
    }

    /// Whether there are no rules (so nothing is allowed anywhere).
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, RuleSet};
    ///
    /// let rules = RuleSet::default();
    /// assert!(rules.is_empty());
    /// assert!(!rules.allows("/", Op::List).unwrap());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.rules == 0
    }

    /// The exact number of bytes this rule set occupies, for weighing it in a cache:
    /// `size_of::<RuleSet>()` plus the length of each of its two owned buffers (the
    /// concatenated segment labels, one byte each, and the trie nodes, 12 bytes each,
    /// one per distinct rule-path prefix including the root, plus one sentinel).
    ///
    /// The buffers are boxed slices, so their capacity is their length and this is exact;
    /// it does not count the allocator's own bookkeeping or rounding. It depends only on
    /// the normalized rules, not on how they were spelled or ordered.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Ops, RuleSet};
    ///
    /// let empty = RuleSet::default();
    /// // The root and the sentinel.
    /// assert_eq!(empty.bytes(), size_of::<RuleSet>() + 2 * 12);
    ///
    /// // Nodes for /, /home, /home/alice + sentinel; labels "home" + "alice".
    /// let rules = RuleSet::compile([("/home/alice", Ops::ALL)]).unwrap();
    /// assert_eq!(rules.bytes(), size_of::<RuleSet>() + 4 * 12 + 9);
    /// ```
    pub fn bytes(&self) -> usize {
        size_of::<RuleSet>() + self.labels.len() + self.nodes.len() * size_of::<Node>()
    }

    /// The operations allowed on `path`: those granted by the rule with the longest path
    /// that is a whole-segment prefix of `path`, or [`Ops::NONE`] if no rule matches.
    ///
    /// `path` is normalized as described in [`PathError`], without allocating.
    ///
    /// # Errors
    /// A [`PathError`] if `path` is refused, whatever the rules.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, PathError, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/home/al", Ops::ALL)]).unwrap();
    /// assert_eq!(rules.allowed("//home/./al/x/").unwrap(), Ops::ALL);
    /// assert_eq!(rules.allowed("/home/alice").unwrap(), Ops::NONE);
    /// assert_eq!(rules.allowed("/home/al/../bob"), Err(PathError::DotDot));
    /// ```
    pub fn allowed(&self, path: &str) -> Result<Ops, PathError> {
        let (node, _) = self.descend(path)?;
        Ok(self.nodes[node].ops)
    }

    /// Whether `op` is allowed on `path`; see [`allowed`](RuleSet::allowed).
    ///
    /// # Errors
    /// A [`PathError`] if `path` is refused, whatever the rules.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/pub", Op::List | Op::Read)]).unwrap();
    /// assert!(rules.allows("/pub/file.txt", Op::Read).unwrap());
    /// assert!(!rules.allows("/pub/file.txt", Op::Write).unwrap());
    /// assert!(rules.allows("pub", Op::Read).is_err());
    /// ```
    pub fn allows(&self, path: &str, op: Op) -> Result<bool, PathError> {
        Ok(self.allowed(path)?.contains(op))
    }

    /// Whether any rule's path lies strictly below `path`, by whole segments: a rule on
    /// `path` itself does not count, a deny rule ([`Ops::NONE`]) does.
    ///
    /// This is the question a rename of a directory asks: when no rule lies below it,
    /// every file in the subtree is decided as the directory is, so one check of the
    /// directory stands for all of them; otherwise the subtree needs a walk (or the
    /// rename a refusal). `path` is normalized as for [`allowed`](RuleSet::allowed); the
    /// answer costs one walk down the trie, a binary search per segment.
    ///
    /// # Errors
    /// A [`PathError`] if `path` is refused, whatever the rules.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/home/alice", Ops::ALL), ("/home/alice/.ssh", Ops::NONE)])?;
    /// assert!(rules.has_rules_below("/home")?);
    /// assert!(rules.has_rules_below("//home/./alice/")?, "the deny rule on .ssh");
    /// assert!(!rules.has_rules_below("/home/alice/.ssh")?, "its own rule is not below it");
    /// assert!(!rules.has_rules_below("/home/al")?, "whole segments only");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn has_rules_below(&self, path: &str) -> Result<bool, PathError> {
        let (node, exact) = self.descend(path)?;
        // Every node lies on the path of some rule, so a node with children has a rule
        // below it; a path that leaves the trie has nothing below it.
        let (first, end) = self.children(node);
        Ok(exact && first != end)
    }

    /// Decides directory `dir` once, for checking many of its entries with
    /// [`DirRules::entry`] or [`DirRules::allows`].
    ///
    /// # Errors
    /// A [`PathError`] if `dir` is refused.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/home", Ops::ALL), ("/home/secret", Ops::NONE)]).unwrap();
    /// let home = rules.dir("/home").unwrap();
    /// assert_eq!(home.ops(), Ops::ALL);
    /// assert!(home.allows("notes", Op::Read));
    /// assert!(!home.allows("secret", Op::Read));
    /// assert!(!home.allows("..", Op::Read));
    /// ```
    pub fn dir(&self, dir: &str) -> Result<DirRules<'_>, PathError> {
        let (node, exact) = self.descend(dir)?;
        let children = if exact { self.children(node) } else { (0, 0) };
        let mut maybe = [0u64; 4];
        if children.1 - children.0 > MAX_SIEVED {
            maybe = [u64::MAX; 4];
        } else {
            for child in children.0..children.1 {
                let h = name_hash(self.label(child as usize));
                maybe[usize::from(h >> 6)] |= 1 << (h & 63);
            }
        }
        Ok(DirRules { set: self, ops: self.nodes[node].ops, children, maybe })
    }

    /// Checks `op` on each entry of directory `dir` and appends one `bool` per name to
    /// `out`, in order; returns the number of names.
    ///
    /// `dir` is decided once; each name is then a binary search among the rules directly
    /// below `dir`, if there are any. A name must be a single segment: one that is empty,
    /// `.` or `..`, contains `/`, `\` or NUL, or is not UTF-8 is never allowed (reported
    /// as `false`, so that one odd entry cannot fail a whole listing). For any other name
    /// the result equals `allows(&format!("{dir}/{name}"), op)`.
    ///
    /// # Errors
    /// A [`PathError`] if `dir` is refused; nothing is appended then.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/srv", Ops::ALL), ("/srv/db", Ops::NONE)]).unwrap();
    /// let mut out = Vec::new();
    /// let n = rules.filter("/srv", ["www", "db", "a/b", "é"], Op::Read, &mut out).unwrap();
    /// assert_eq!(n, 4);
    /// assert_eq!(out, [true, false, false, true]);
    /// ```
    pub fn filter<I>(
        &self,
        dir: &str,
        names: I,
        op: Op,
        out: &mut impl Extend<bool>,
    ) -> Result<usize, PathError>
    where
        I: IntoIterator,
        I::Item: AsRef<[u8]>,
    {
        let dir = self.dir(dir)?;
        let mut count = 0;
        out.extend(names.into_iter().map(|name| {
            count += 1;
            dir.allows(name, op)
        }));
        Ok(count)
    }

    /// Like [`filter`](RuleSet::filter), for names packed in one buffer: appends one byte
    /// to `out` per name, `1` if `op` is allowed on it and `0` if not, and returns the
    /// number of names. This is the form the WebAssembly binding calls, once per listing.
    ///
    /// # Format
    /// Each name is followed by a NUL byte; the NUL after the last name may be left out,
    /// unless that name is empty (the rule of [`str::split_terminator`]). So `""` holds no
    /// names, `"a\0b"` and `"a\0b\0"` hold `a` and `b`, and `"\0"` holds one empty name.
    /// From JavaScript, `names.join("\0")` works when the last name is not empty, and
    /// `names.map((n) => n + "\0").join("")` always does.
    ///
    /// # Errors
    /// A [`PathError`] if `dir` is refused; nothing is appended then.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/srv", Ops::ALL), ("/srv/db", Ops::NONE)]).unwrap();
    /// let mut out = Vec::new();
    /// let n = rules.filter_packed("/srv", b"www\0db\0..\0logs", Op::List, &mut out).unwrap();
    /// assert_eq!(n, 4);
    /// assert_eq!(out, [1, 0, 0, 1]);
    /// ```
    pub fn filter_packed(
        &self,
        dir: &str,
        packed: &[u8],
        op: Op,
        out: &mut Vec<u8>,
    ) -> Result<usize, PathError> {
        let dir = self.dir(dir)?;
        let body = match packed.split_last() {
            None => return Ok(0),
            Some((0, body)) => body,
            Some(_) => packed,
        };
        let before = out.len();
        let granted = dir.ops.contains(op);
        let no_rules_below = dir.children.0 == dir.children.1;
        if no_rules_below && !granted {
            // Nothing in `dir` is allowed: just count the names.
            let count = 1 + count_nul(body);
            out.resize(before + count, 0);
            return Ok(count);
        }
        // NUL is ASCII, so if the whole buffer is UTF-8 every name is.
        let utf8 = core::str::from_utf8(body).is_ok();
        for_each_name(body, |name, clean| {
            let ok = clean
                && !matches!(name, b"" | b"." | b"..")
                && (utf8 || core::str::from_utf8(name).is_ok())
                && (if no_rules_below { granted } else { dir.below(name).contains(op) });
            out.push(u8::from(ok));
        });
        Ok(out.len() - before)
    }

    /// The rules, normalized, in sorted order (by segments, byte-wise): each path as
    /// [`normalize`](super::normalize) gives it, with the operations it grants.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/b/", Ops::NONE), ("//a/./c", Ops::from(Op::Read))]).unwrap();
    /// assert_eq!(
    ///     rules.rules(),
    ///     [("/a/c".to_string(), Ops::from(Op::Read)), ("/b".to_string(), Ops::NONE)]
    /// );
    /// ```
    pub fn rules(&self) -> Vec<(String, Ops)> {
        let mut out = Vec::with_capacity(self.len());
        self.each_rule(&mut |path, ops| out.push((path.to_string(), ops)));
        out
    }

    /// The rules in the format read by [`compile_packed`](RuleSet::compile_packed), in
    /// the order of [`rules`](RuleSet::rules); compiling the result gives an equal
    /// rule set.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/tmp/", Ops::ALL), ("/", Ops::from(Op::List))]).unwrap();
    /// let packed = rules.to_packed();
    /// assert_eq!(packed, b"\x01/\0\x3f/tmp\0");
    /// assert_eq!(RuleSet::compile_packed(&packed).unwrap(), rules);
    /// ```
    pub fn to_packed(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.each_rule(&mut |path, ops| {
            out.push(ops.bits());
            out.extend_from_slice(path.as_bytes());
            out.push(0);
        });
        out
    }

    /// Calls `f` with each rule's normalized path and ops, in sorted order (a pre-order
    /// walk with children in label order; iterative, as rule paths may be deep).
    fn each_rule(&self, f: &mut dyn FnMut(&str, Ops)) {
        let mut path = String::new();
        // Nodes still to visit, with the length of their parent's path in `path`.
        let mut stack = vec![(0usize, 0usize)];
        while let Some((node, parent_len)) = stack.pop() {
            path.truncate(parent_len);
            if node != 0 {
                path.push('/');
                path.push_str(self.label_str(node));
            }
            if self.nodes[node].rule {
                f(if path.is_empty() { "/" } else { &path }, self.nodes[node].ops);
            }
            let (lo, hi) = self.children(node);
            let len = path.len();
            stack.extend((lo as usize..hi as usize).rev().map(|child| (child, len)));
        }
    }

    /// Walks down from the root along `path`'s segments as far as the trie goes: the last
    /// node reached, and whether it is `path` itself.
    fn descend(&self, path: &str) -> Result<(usize, bool), PathError> {
        let mut node = 0;
        // `segments` has validated the whole path already.
        for seg in segments(path)? {
            match self.child(node, seg.as_bytes()) {
                Some(child) => node = child,
                None => return Ok((node, false)),
            }
        }
        Ok((node, true))
    }

    #[inline]
    fn children(&self, node: usize) -> (u32, u32) {
        (self.nodes[node].first_child, self.nodes[node + 1].first_child)
    }

    #[inline]
    fn label(&self, node: usize) -> &[u8] {
        let start = self.nodes[node].label_start as usize;
        let end = self.nodes[node + 1].label_start as usize;
        &self.labels.as_bytes()[start..end]
    }

    fn label_str(&self, node: usize) -> &str {
        let start = self.nodes[node].label_start as usize;
        let end = self.nodes[node + 1].label_start as usize;
        &self.labels[start..end]
    }

    /// The child of `node` labelled `name`.
    #[inline]
    fn child(&self, node: usize, name: &[u8]) -> Option<usize> {
        self.find((self.nodes[node].first_child, self.nodes[node + 1].first_child), name)
    }

    /// Binary search for `name` among the sibling nodes `lo..hi`.
    #[inline]
    fn find(&self, (mut lo, mut hi): (u32, u32), name: &[u8]) -> Option<usize> {
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.label(mid as usize).cmp(name) {
                core::cmp::Ordering::Less => lo = mid + 1,
                core::cmp::Ordering::Greater => hi = mid,
                core::cmp::Ordering::Equal => return Some(mid as usize),
            }
        }
        None
    }
}

impl Default for RuleSet {
    /// No rules: nothing is allowed anywhere.
    fn default() -> Self {
        RuleSet {
            labels: Box::default(),
            nodes: Box::new([
                Node { label_start: 0, first_child: 1, ops: Ops::NONE, rule: false },
                Node { label_start: 0, first_child: 1, ops: Ops::NONE, rule: false },
            ]),
            rules: 0,
        }
    }
}

impl fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rules = Vec::with_capacity(self.len());
        self.each_rule(&mut |path, ops| rules.push((path.to_string(), ops)));
        f.debug_map().entries(rules.iter().map(|(path, ops)| (path, ops))).finish()
    }
}

/// A directory decided once by [`RuleSet::dir`], for checking its entries by name.
///
/// Holds the directory's own decision and the rules directly below it; checking an entry
/// is a binary search among those, or nothing at all when there are none.
///
/// # Examples
/// ```
/// use edge_lru::permissions::{Op, Ops, RuleSet};
///
/// let rules = RuleSet::compile([("/", Ops::from(Op::List)), ("/pub", Op::List | Op::Read)]).unwrap();
/// let root = rules.dir("/").unwrap();
/// assert_eq!(root.entry("pub"), Op::List | Op::Read);
/// assert_eq!(root.entry("etc"), Ops::from(Op::List));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DirRules<'a> {
    set: &'a RuleSet,
    ops: Ops,
    /// The trie nodes directly below the directory (empty if it has no node of its own).
    children: (u32, u32),
    /// A 256-bit sieve of the [`name_hash`]es of those nodes' labels: a name whose bit is
    /// clear has no node, so the binary search is skipped for most names.
    maybe: [u64; 4],
}

impl DirRules<'_> {
    /// The operations allowed on the directory itself.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/a", Ops::from(Op::List))]).unwrap();
    /// assert_eq!(rules.dir("/a/b").unwrap().ops(), Ops::from(Op::List));
    /// assert_eq!(rules.dir("/").unwrap().ops(), Ops::NONE);
    /// ```
    pub fn ops(&self) -> Ops {
        self.ops
    }

    /// The operations allowed on the entry `name` of the directory: the same as
    /// [`RuleSet::allowed`] on `dir/name`, or [`Ops::NONE`] if `name` is not a single
    /// UTF-8 segment (empty, `.`, `..`, or containing `/`, `\` or NUL).
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/", Ops::ALL), ("/x/y", Ops::NONE)]).unwrap();
    /// let dir = rules.dir("/x").unwrap();
    /// assert_eq!(dir.entry("y"), Ops::NONE);
    /// assert_eq!(dir.entry("z"), Ops::ALL);
    /// assert_eq!(dir.entry(b"\xff".as_slice()), Ops::NONE);
    /// assert_eq!(dir.entry("."), Ops::NONE);
    /// ```
    pub fn entry(&self, name: impl AsRef<[u8]>) -> Ops {
        let name = name.as_ref();
        if !is_entry_name(name) || core::str::from_utf8(name).is_err() {
            return Ops::NONE;
        }
        self.below(name)
    }

    /// The ops of `name`, a valid entry name.
    #[inline]
    fn below(&self, name: &[u8]) -> Ops {
        if self.children.0 == self.children.1 {
            return self.ops;
        }
        let h = name_hash(name);
        if self.maybe[usize::from(h >> 6)] & (1 << (h & 63)) == 0 {
            return self.ops;
        }
        match self.set.find(self.children, name) {
            Some(child) => self.set.nodes[child].ops,
            None => self.ops,
        }
    }

    /// The names of the entries directly below the directory whose decision on `op`
    /// differs from the directory's own: every other valid entry name is allowed `op`
    /// exactly when the directory is. Usually empty; at most one name per rule.
    ///
    /// This is what a caller needs to decide a whole listing without passing its names
    /// in: the directory's decision, and these few exceptions.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([
    ///     ("/srv", Ops::ALL),
    ///     ("/srv/db", Ops::NONE),
    ///     ("/srv/www", Op::Read | Op::List),
    /// ])
    /// .unwrap();
    /// let srv = rules.dir("/srv").unwrap();
    /// assert_eq!(srv.exceptions(Op::Read).collect::<Vec<_>>(), ["db"]);
    /// assert_eq!(srv.exceptions(Op::Write).collect::<Vec<_>>(), ["db", "www"]);
    /// ```
    pub fn exceptions(&self, op: Op) -> impl Iterator<Item = &str> + '_ {
        let allowed = self.ops.contains(op);
        (self.children.0..self.children.1)
            .filter(move |&child| self.set.nodes[child as usize].ops.contains(op) != allowed)
            .map(|child| self.set.label_str(child as usize))
    }

    /// Whether `op` is allowed on the entry `name`; see [`entry`](DirRules::entry).
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops, RuleSet};
    ///
    /// let rules = RuleSet::compile([("/up", Ops::from(Op::Write))]).unwrap();
    /// let up = rules.dir("/up").unwrap();
    /// assert!(up.allows("new.bin", Op::Write));
    /// assert!(!up.allows("new.bin", Op::Delete));
    /// assert!(!up.allows("a/b", Op::Write));
    /// ```
    pub fn allows(&self, name: impl AsRef<[u8]>, op: Op) -> bool {
        self.entry(name).contains(op)
    }
}
