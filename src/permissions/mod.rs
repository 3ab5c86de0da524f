//! Per-user file permissions: which operations a user may perform on which paths.
//!
//! This is the model an FTP-over-HTTP gateway checks on every request and on every entry
//! of a directory listing; a compiled [`RuleSet`] is small, self-contained and weighs
//! itself exactly ([`RuleSet::bytes`]), so it can be the value of an
//! [`LruCache`](crate::LruCache) keyed by user.
//!
//! # Model
//! - **Operations** are [`Op`]s: `list`, `read`, `write`, `delete`, `mkdir`, `rename`.
//!   A set of them is an [`Ops`], one byte of bits.
//! - **Paths** are absolute and `/`-separated. Repeated slashes, a trailing slash and `.`
//!   segments are ignored, so `//home/./alice/` is `/home/alice`. A path that is empty or
//!   relative, has a `..` segment, or contains NUL or a backslash is refused with a
//!   [`PathError`]; nothing is ever resolved upward. Segments are compared byte for byte
//!   (case-sensitive, no Unicode normalization).
//! - **A rule** grants an [`Ops`] on a path and everything below it.
//! - **Deciding:** for a path, the rule whose path is its longest prefix *by whole
//!   segments* decides alone: `/home/al` covers `/home/al/x` but not `/home/alice`. Rules
//!   do not add up; a more specific rule replaces a broader one. So a rule granting
//!   [`Ops::NONE`] carves a denied subtree out of a broader grant, and a rule on `/`
//!   applies to every path no other rule covers.
//! - **No matching rule** means nothing is allowed.
//! - **Duplicates:** two rules with the same normalized path (`/a` and `/a/`, say) are
//!   refused with [`RuleError::DuplicateRule`] rather than one silently winning.
//!
//! # Checking a listing
//! [`RuleSet::dir`] decides a directory once; each entry name is then at most a binary
//! search among the rules directly below the directory ([`RuleSet::filter`] does this
//! for a whole listing). Entry names must be single segments; names that are not (`..`,
//! `a/b`, …) are reported as not allowed rather than failing the listing. A listing
//! can also be decided without looking at its names: [`DirRules::exceptions`] gives the
//! few names decided otherwise than the directory, which is what the WebAssembly
//! binding passes to JavaScript, one short buffer per listing.
//!
//! # Renaming a directory
//! [`RuleSet::has_rules_below`] says whether any rule lies strictly below a path: when
//! none does, everything in the subtree is decided as the directory is.
//!
//! # Packed rules
//! For the WebAssembly boundary, a user's rules travel as one byte buffer
//! ([`RuleSet::compile_packed`] documents the format, [`RuleSet::to_packed`] writes it).
//!
//! # Examples
//! ```
//! use edge_lru::permissions::{Op, Ops, RuleSet};
//! use edge_lru::LruCache;
//!
//! let alice = RuleSet::compile([
//!     ("/", Ops::from(Op::List)),
//!     ("/home/alice", Ops::ALL),
//!     ("/home/alice/.ssh", Ops::NONE),
//! ])?;
//! assert!(alice.allows("/home/alice/docs/cv.pdf", Op::Write)?);
//! assert!(!alice.allows("/home/alicia/cv.pdf", Op::Read)?);
//! assert!(alice.allows("/etc", Op::List)?);
//! assert!(alice.allowed("/home/alice/.ssh/id_ed25519")?.is_empty());
//!
//! let mut visible = Vec::new();
//! alice.filter("/home/alice", [".ssh", "docs", "music"], Op::List, &mut visible)?;
//! assert_eq!(visible, [false, true, true]);
//!
//! let mut cache = LruCache::with_max_weight(10_000, 16 << 20).unwrap();
//! let weight = alice.bytes() as u64;
//! cache.put_weighted("alice", alice, weight).unwrap();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod name_hash;
mod ops;
mod path;
mod rules;

pub use self::ops::{Op, Ops, ParseOpError};
pub use self::path::{normalize, validate, PathError};
pub use self::rules::{DirRules, RuleError, RuleSet};
