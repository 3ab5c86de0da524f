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
//! [`RuleSet::filter`] and [`RuleSet::filter_packed`] decide a directory once and then
//! each entry name with at most a binary search among the rules directly below the
//! directory. Entry names must be single segments; names that are not (`..`, `a/b`, …)
//! are reported as not allowed rather than failing the listing.
//!
//! # Packed formats
//! For the WebAssembly boundary, both a user's rules ([`RuleSet::compile_packed`]) and a
//! listing's names ([`RuleSet::filter_packed`]) travel as one byte buffer each; those
//! methods document the formats.
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

mod ops;
mod path;
mod rules;
mod scan;

pub use self::ops::{Op, Ops, ParseOpError};
#[cfg(target_arch = "wasm32")]
pub(crate) use self::path::validate as validate_path;
pub use self::path::{normalize, PathError};
pub use self::rules::{DirRules, RuleError, RuleSet};
