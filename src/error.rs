//! Error values returned by the core.

use core::fmt;

/// The largest entry count a cache can be given.
///
/// Slots are addressed with `u32` links and `u32::MAX` marks the end of a list.
///
/// # Examples
/// ```
/// use edge_lru::{CapacityError, LruCache, MAX_CAPACITY};
///
/// assert!(matches!(
///     LruCache::<u64, u64>::new(MAX_CAPACITY + 1),
///     Err(CapacityError::TooLarge { .. })
/// ));
/// ```
pub const MAX_CAPACITY: usize = (u32::MAX - 1) as usize;

/// A capacity or weight budget that cannot be used.
///
/// # Examples
/// ```
/// use edge_lru::{CapacityError, LruCache};
///
/// let err = LruCache::<u32, u32>::new(0).unwrap_err();
/// assert_eq!(err, CapacityError::ZeroCapacity);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityError {
    /// The entry count was zero.
    ZeroCapacity,
    /// The entry count was above [`MAX_CAPACITY`].
    TooLarge {
        /// The count that was asked for.
        requested: usize,
    },
    /// The weight budget was zero.
    ZeroMaxWeight,
}

impl fmt::Display for CapacityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroCapacity => f.write_str("capacity must be at least 1"),
            Self::TooLarge { requested } => {
                write!(f, "capacity {requested} is above the limit of {MAX_CAPACITY}")
            }
            Self::ZeroMaxWeight => f.write_str("maximum weight must be at least 1"),
        }
    }
}

impl std::error::Error for CapacityError {}

/// An entry weight that the cache refuses.
///
/// # Examples
/// ```
/// use edge_lru::{LruCache, WeightError};
///
/// let mut cache = LruCache::with_max_weight(10, 100).unwrap();
/// let refused = cache.put_weighted("big", (), 101).unwrap_err();
/// assert_eq!(refused.error, WeightError::TooHeavy { weight: 101, max_weight: 100 });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeightError {
    /// Entries weigh at least 1.
    Zero,
    /// The entry alone weighs more than the whole budget.
    TooHeavy {
        /// The weight of the refused entry.
        weight: u64,
        /// The cache's budget.
        max_weight: u64,
    },
}

impl fmt::Display for WeightError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Zero => f.write_str("entry weight must be at least 1"),
            Self::TooHeavy { weight, max_weight } => {
                write!(f, "entry weight {weight} is above the cache's maximum weight {max_weight}")
            }
        }
    }
}

impl std::error::Error for WeightError {}

/// An insertion that was refused, handing the key and value back so nothing is lost.
///
/// # Examples
/// ```
/// use edge_lru::LruCache;
///
/// let mut cache = LruCache::with_max_weight(4, 8).unwrap();
/// let refused = cache.put_weighted("k", String::from("v"), 9).unwrap_err();
/// assert_eq!((refused.key, refused.value.as_str()), ("k", "v"));
/// assert!(cache.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused<K, V> {
    /// The key that was not inserted.
    pub key: K,
    /// The value that was not inserted.
    pub value: V,
    /// Why it was refused.
    pub error: WeightError,
}

impl<K, V> fmt::Display for Refused<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl<K: fmt::Debug, V: fmt::Debug> std::error::Error for Refused<K, V> {}
