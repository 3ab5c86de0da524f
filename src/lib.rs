//! A strict least-recently-used cache with O(1) operations, bounded by an entry count
//! and optionally by a total weight (bytes, say).
//!
//! edge-lru exists for services that check cached data far more often than they load
//! it, such as a gateway that checks a user's permissions on every file of a directory
//! listing: a miss reloads from the store, and the cache stays within its budget by
//! evicting the least recently used entries. The same core runs natively and, compiled
//! to WebAssembly, behind the `edge-lru` npm package.
//!
//! - [`LruCache`]: the map most callers want.
//! - [`Order`]: the recency list underneath, for callers that keep keys and values
//!   elsewhere and work with slot numbers.
//! - [`permissions`]: users' file permission rules, compiled to be checked on every
//!   request and weighed exactly, to be cached in an [`LruCache`].
//!
//! # Why `Order` is public
//! indexmap keeps its core (`Vec` of entries plus a table of indices) private behind
//! the map, because nothing outside needs it. Here something does: the npm package's
//! WebAssembly boundary, the `edge-lru-wasm` crate, keeps keys and values in JavaScript
//! (where the engine hashes strings faster than wasm could) and drives the recency
//! list by slot numbers across the boundary. A separate crate can only reach public
//! items, and a `#[doc(hidden)]` item would be an API with no semver promise that this
//! project's own package depends on. So `Order` is public and documented, with the
//! same guarantees as [`LruCache`]; it is also what any caller with the same split (keys
//! in typed arrays, values on disk) needs. What stays private is how a slot's payload
//! sits beside its links, which only [`LruCache`] uses: `Order` has no type parameter.
//!
//! # Examples
//! ```
//! use edge_lru::LruCache;
//!
//! // At most 10,000 users and 64 MiB of permission data.
//! let mut cache = LruCache::with_max_weight(10_000, 64 << 20).unwrap();
//! let rules = vec!["/home/alice rw".to_string()];
//! let bytes = rules.iter().map(|r| r.len() as u64).sum();
//! cache.put_weighted("alice", rules, bytes).unwrap();
//! assert!(cache.get("alice").is_some());
//! ```
//!
//! No `unsafe` code is used.

mod error;
mod list;
mod lru;
mod order;
pub mod permissions;
mod table;

pub use crate::error::{CapacityError, Refused, WeightError, MAX_CAPACITY};
pub use crate::lru::{Iter, LruCache};
pub use crate::order::{Iter as OrderIter, Order};
/// The trait that lets [`LruCache::get`] and friends look up a key by a borrowed form
/// (`&str` for `String` keys, or your own); hashbrown's, re-exported so that callers
/// can implement it without depending on hashbrown. The borrowed form must hash as the
/// key does.
///
/// # Examples
/// ```
/// use edge_lru::{Equivalent, LruCache};
///
/// #[derive(Hash, PartialEq, Eq)]
/// struct UserKey {
///     tenant: u32,
///     name: String,
/// }
///
/// #[derive(Hash)]
/// struct UserRef<'a> {
///     tenant: u32,
///     name: &'a str,
/// }
///
/// impl Equivalent<UserKey> for UserRef<'_> {
///     fn equivalent(&self, key: &UserKey) -> bool {
///         self.tenant == key.tenant && self.name == key.name
///     }
/// }
///
/// let mut cache = LruCache::new(8).unwrap();
/// cache.put(UserKey { tenant: 1, name: "alice".into() }, 42);
/// assert_eq!(cache.get(&UserRef { tenant: 1, name: "alice" }), Some(&42));
/// ```
pub use hashbrown::Equivalent;
