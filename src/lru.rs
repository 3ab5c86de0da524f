//! [`LruCache`]: a strict least-recently-used map with count and weight bounds.

use core::fmt;
use core::hash::{BuildHasher, Hash};

use hashbrown::{DefaultHashBuilder, Equivalent};

use crate::error::{CapacityError, Refused};
use crate::list;
use crate::table::{Entry, Slots, Table};

/// A map that holds at most `cap` entries and, optionally, at most `max_weight` in
/// total entry weight, evicting the least recently used entries to stay within both.
///
/// Reads that count as a use ([`get`](Self::get), [`get_mut`](Self::get_mut)) move the
/// entry to the front; [`peek`](Self::peek) and [`contains`](Self::contains) do not.
/// Lookups, insertions, updates and removals are O(1) amortized (the hash index grows,
/// and is rebuilt when removed entries' markers pile up, in O(n) at most once per
/// O(n) removals); an insertion into a weight-bounded cache may evict several entries,
/// O(1) each. [`clear`](Self::clear), [`retain`](Self::retain) and shrinking
/// [`resize`](Self::resize) or [`set_max_weight`](Self::set_max_weight) are O(n) or
/// O(entries evicted).
///
/// Entries live in a slot arena (`Vec`), each slot holding the key, the value, bits
/// of its hash and the `u32` links to its neighbours in recency order (weights, when
/// not all 1, live apart). A hashbrown table of slot numbers finds them by key. A hit
/// thus reads the index and one slot, then the neighbours it relinks; the cache
/// allocates nothing per entry beyond what `K` and `V` own.
///
/// # Examples
/// ```
/// use edge_lru::LruCache;
///
/// let mut cache = LruCache::new(2).unwrap();
/// cache.put("alice", 1);
/// cache.put("bob", 2);
/// assert_eq!(cache.get(&"alice"), Some(&1)); // alice is now the most recent
/// cache.put("carol", 3); // evicts bob, the least recently used
/// assert!(!cache.contains(&"bob"));
/// assert_eq!(cache.keys().copied().collect::<Vec<_>>(), ["carol", "alice"]);
/// ```
pub struct LruCache<K, V, S = DefaultHashBuilder> {
    order: Slots<K, V>,
    table: Table<S>,
}

impl<K: Hash + Eq, V> LruCache<K, V> {
    /// Creates an empty cache that holds at most `cap` entries.
    ///
    /// # Errors
    /// [`CapacityError`] when `cap` is zero or above [`MAX_CAPACITY`](crate::MAX_CAPACITY).
    ///
    /// # Examples
    /// ```
    /// let cache = edge_lru::LruCache::<String, u64>::new(1000).unwrap();
    /// assert_eq!(cache.cap(), 1000);
    /// ```
    pub fn new(cap: usize) -> Result<Self, CapacityError> {
        Self::with_hasher(cap, None, DefaultHashBuilder::default())
    }

    /// Creates an empty cache bounded by `cap` entries and by `max_weight` in total
    /// weight, where each entry's weight is given at insertion with
    /// [`put_weighted`](Self::put_weighted) or [`push_weighted`](Self::push_weighted)
    /// (entries inserted with `put` or `push` weigh 1).
    ///
    /// # Errors
    /// [`CapacityError`] when `cap` or `max_weight` is zero, or `cap` is too large.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::with_max_weight(100, 1024).unwrap();
    /// cache.put_weighted("readme", vec![0u8; 600], 600).unwrap();
    /// cache.put_weighted("license", vec![0u8; 500], 500).unwrap(); // evicts readme
    /// assert_eq!((cache.len(), cache.weight()), (1, 500));
    /// ```
    pub fn with_max_weight(cap: usize, max_weight: u64) -> Result<Self, CapacityError> {
        Self::with_hasher(cap, Some(max_weight), DefaultHashBuilder::default())
    }
}

impl<K: Hash + Eq, V, S: BuildHasher> LruCache<K, V, S> {
    /// Creates an empty cache with the given bounds and hasher.
    ///
    /// # Errors
    /// [`CapacityError`] when a bound is zero or `cap` is too large.
    ///
    /// # Examples
    /// ```
    /// use std::collections::hash_map::RandomState;
    ///
    /// let cache = edge_lru::LruCache::<u32, u32, _>::with_hasher(8, None, RandomState::new()).unwrap();
    /// assert!(cache.is_empty());
    /// ```
    pub fn with_hasher(cap: usize, max_weight: Option<u64>, hasher: S) -> Result<Self, CapacityError> {
        Ok(Self { order: Slots::with_bounds(cap, max_weight)?, table: Table::with_hasher(hasher) })
    }

    /// The number of entries.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(4).unwrap();
    /// cache.put(1, ());
    /// assert_eq!(cache.len(), 1);
    /// ```
    #[inline]
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Whether the cache holds no entry.
    ///
    /// # Examples
    /// ```
    /// assert!(edge_lru::LruCache::<u8, u8>::new(4).unwrap().is_empty());
    /// ```
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The most entries the cache holds.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(edge_lru::LruCache::<u8, u8>::new(4).unwrap().cap(), 4);
    /// ```
    #[inline]
    pub fn cap(&self) -> usize {
        self.order.cap()
    }

    /// The total weight of the entries.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::with_max_weight(4, 100).unwrap();
    /// cache.put_weighted(1, (), 40).unwrap();
    /// cache.put(2, ());
    /// assert_eq!(cache.weight(), 41);
    /// ```
    #[inline]
    pub fn weight(&self) -> u64 {
        self.order.weight()
    }

    /// The weight budget, or `None` for a cache bounded by count alone. A budget of
    /// `u64::MAX` is the same as none and is reported as `None`: every cache keeps its
    /// total weight at most `u64::MAX`, so a count-bounded cache given weights with
    /// [`put_weighted`](Self::put_weighted) evicts when they would sum past it.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::LruCache;
    ///
    /// assert_eq!(LruCache::<u8, u8>::with_max_weight(4, 100).unwrap().max_weight(), Some(100));
    /// assert_eq!(LruCache::<u8, u8>::new(4).unwrap().max_weight(), None);
    /// ```
    #[inline]
    pub fn max_weight(&self) -> Option<u64> {
        Some(self.order.max_weight()).filter(|&w| w != u64::MAX)
    }

    /// The cache's hasher.
    ///
    /// # Examples
    /// ```
    /// let cache = edge_lru::LruCache::<u8, u8>::new(4).unwrap();
    /// let _hasher = cache.hasher();
    /// ```
    pub fn hasher(&self) -> &S {
        self.table.hasher()
    }

    /// Returns the value of `key` and marks it as the most recently used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// cache.put("b", 2);
    /// assert_eq!(cache.get(&"a"), Some(&1));
    /// assert_eq!(cache.keys().next(), Some(&"a"));
    /// ```
    #[inline]
    pub fn get<Q>(&mut self, key: &Q) -> Option<&V>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let slot = self.touch(key)?;
        match self.order.payload(slot) {
            Entry::Occupied { value, .. } => Some(value),
            Entry::Vacant => None,
        }
    }

    /// Returns the value of `key` mutably and marks it as the most recently used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("hits", 0);
    /// *cache.get_mut(&"hits").unwrap() += 1;
    /// assert_eq!(cache.peek(&"hits"), Some(&1));
    /// ```
    #[inline]
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let slot = self.touch(key)?;
        self.value_mut(slot)
    }

    /// Returns the value of `key` without marking it as used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// cache.put("b", 2);
    /// assert_eq!(cache.peek(&"a"), Some(&1));
    /// assert_eq!(cache.keys().next(), Some(&"b"));
    /// ```
    #[inline]
    pub fn peek<Q>(&self, key: &Q) -> Option<&V>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        match self.order.payload(self.find(key)?) {
            Entry::Occupied { value, .. } => Some(value),
            Entry::Vacant => None,
        }
    }

    /// Returns the value of `key` mutably without marking it as used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// *cache.peek_mut(&"a").unwrap() = 5;
    /// assert_eq!(cache.peek(&"a"), Some(&5));
    /// ```
    #[inline]
    pub fn peek_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let slot = self.find(key)?;
        self.value_mut(slot)
    }

    /// Whether `key` is present, without marking it as used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// assert!(cache.contains(&"a"));
    /// assert!(!cache.contains(&"z"));
    /// ```
    #[inline]
    pub fn contains<Q>(&self, key: &Q) -> bool
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        self.find(key).is_some()
    }

    /// The least recently used entry, without marking it as used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// cache.put("b", 2);
    /// assert_eq!(cache.peek_lru(), Some((&"a", &1)));
    /// ```
    pub fn peek_lru(&self) -> Option<(&K, &V)> {
        entry_ref(self.order.payload(self.order.oldest()?))
    }

    /// Inserts or replaces `key` with weight 1, marks it as the most recently used, and
    /// returns the value it replaced. Entries evicted to make room are dropped; use
    /// [`push`](Self::push) to get them back.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// assert_eq!(cache.put("a", 1), None);
    /// assert_eq!(cache.put("a", 2), Some(1));
    /// ```
    pub fn put(&mut self, key: K, value: V) -> Option<V> {
        let mut replaced = None;
        match self.push_inner(key, value, 1, |_, v, was_replaced| {
            if was_replaced {
                replaced = Some(v);
            }
        }) {
            Ok(()) => replaced,
            Err(_) => unreachable!("weight 1 always fits a budget of at least 1"),
        }
    }

    /// Inserts or replaces `key` with weight 1 and marks it as the most recently used.
    /// Returns the entry that left the cache: the replaced one when `key` was present
    /// (with the old key), otherwise the evicted least recently used entry, if any.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(1).unwrap();
    /// assert_eq!(cache.push("a", 1), None);
    /// assert_eq!(cache.push("a", 2), Some(("a", 1)));
    /// assert_eq!(cache.push("b", 3), Some(("a", 2)));
    /// ```
    pub fn push(&mut self, key: K, value: V) -> Option<(K, V)> {
        let mut out = None;
        match self.push_inner(key, value, 1, |k, v, _| out = Some((k, v))) {
            Ok(()) => out,
            Err(_) => unreachable!("weight 1 always fits a budget of at least 1"),
        }
    }

    /// Inserts or replaces `key` with the given weight and marks it as the most
    /// recently used, evicting the least recently used entries until both bounds hold.
    /// Returns the value it replaced.
    ///
    /// # Errors
    /// [`Refused`], holding the key and value, when `weight` is zero or above the
    /// budget. The cache is left as it was, including any old entry for `key`.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::with_max_weight(10, 100).unwrap();
    /// assert_eq!(cache.put_weighted("a", 'x', 60).unwrap(), None);
    /// assert_eq!(cache.put_weighted("a", 'y', 70).unwrap(), Some('x'));
    /// assert!(cache.put_weighted("a", 'z', 101).is_err());
    /// assert_eq!(cache.peek(&"a"), Some(&'y'));
    /// ```
    pub fn put_weighted(&mut self, key: K, value: V, weight: u64) -> Result<Option<V>, Refused<K, V>> {
        let mut replaced = None;
        self.push_inner(key, value, weight, |_, v, was_replaced| {
            if was_replaced {
                replaced = Some(v);
            }
        })?;
        Ok(replaced)
    }

    /// Like [`put_weighted`](Self::put_weighted), but returns every entry that left the
    /// cache: first the replaced one (when `key` was present), then the evicted ones,
    /// least recently used first.
    ///
    /// # Errors
    /// [`Refused`] as for [`put_weighted`](Self::put_weighted).
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::with_max_weight(10, 10).unwrap();
    /// cache.put_weighted("a", 1, 4).unwrap();
    /// cache.put_weighted("b", 2, 4).unwrap();
    /// let out = cache.push_weighted("c", 3, 9).unwrap();
    /// assert_eq!(out, [("a", 1), ("b", 2)]);
    /// ```
    pub fn push_weighted(&mut self, key: K, value: V, weight: u64) -> Result<Vec<(K, V)>, Refused<K, V>> {
        let mut out = Vec::new();
        self.push_inner(key, value, weight, |k, v, _| out.push((k, v)))?;
        Ok(out)
    }

    /// Removes `key` and returns its value.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// assert_eq!(cache.remove(&"a"), Some(1));
    /// assert_eq!(cache.remove(&"a"), None);
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Removes `key` and returns the stored key and value.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put(String::from("a"), 1);
    /// assert_eq!(cache.remove_entry("a"), Some((String::from("a"), 1)));
    /// ```
    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let slot = self.find(key)?;
        Some(self.take(slot))
    }

    /// Removes and returns the least recently used entry.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// cache.put("b", 2);
    /// assert_eq!(cache.pop_lru(), Some(("a", 1)));
    /// ```
    pub fn pop_lru(&mut self) -> Option<(K, V)> {
        let slot = self.order.oldest()?;
        Some(self.take(slot))
    }

    /// Removes every entry.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(2).unwrap();
    /// cache.put("a", 1);
    /// cache.clear();
    /// assert!(cache.is_empty());
    /// ```
    pub fn clear(&mut self) {
        // The index first: the order's clear drops the entries, and a `Drop` that
        // panics must find the cache already empty and consistent.
        self.table.clear();
        self.order.clear();
    }

    /// Sets the entry bound; when it shrinks, the least recently used entries beyond
    /// it are evicted and dropped.
    ///
    /// # Errors
    /// [`CapacityError`] when `cap` is zero or too large; nothing changes then.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(3).unwrap();
    /// for k in 0..3 { cache.put(k, ()); }
    /// cache.resize(1).unwrap();
    /// assert_eq!(cache.keys().copied().collect::<Vec<_>>(), [2]);
    /// ```
    pub fn resize(&mut self, cap: usize) -> Result<(), CapacityError> {
        let table = &mut self.table;
        self.order.resize_with(cap, |slot, entry| drop(forget(table, slot, entry)))
    }

    /// Sets the weight bound (`None` for none), evicting and dropping the least
    /// recently used entries until it holds.
    ///
    /// # Errors
    /// [`CapacityError::ZeroMaxWeight`] for `Some(0)`; nothing changes then.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::with_max_weight(4, 10).unwrap();
    /// cache.put_weighted('a', (), 5).unwrap();
    /// cache.put_weighted('b', (), 5).unwrap();
    /// cache.set_max_weight(Some(6)).unwrap();
    /// assert_eq!(cache.keys().copied().collect::<Vec<_>>(), ['b']);
    /// ```
    pub fn set_max_weight(&mut self, max_weight: Option<u64>) -> Result<(), CapacityError> {
        let table = &mut self.table;
        self.order.set_max_weight_with(max_weight, |slot, entry| drop(forget(table, slot, entry)))
    }

    /// Keeps only the entries for which `keep` returns `true`; recency order is kept.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(4).unwrap();
    /// for k in 0..4 { cache.put(k, k * 10); }
    /// cache.retain(|k, _| k % 2 == 0);
    /// assert_eq!(cache.keys().copied().collect::<Vec<_>>(), [2, 0]);
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        let mut slot = self.order.oldest();
        while let Some(current) = slot {
            slot = self.order.newer(current);
            let kept = match self.order.payload_mut(current) {
                Entry::Occupied { key, value, .. } => keep(key, value),
                Entry::Vacant => unreachable!("live slots hold entries"),
            };
            if !kept {
                drop(self.take(current));
            }
        }
    }

    /// The entries from most to least recently used; `.rev()` for the reverse.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(4).unwrap();
    /// cache.put("a", 1);
    /// cache.put("b", 2);
    /// assert_eq!(cache.iter().collect::<Vec<_>>(), [(&"b", &2), (&"a", &1)]);
    /// assert_eq!(cache.iter().rev().next(), Some((&"a", &1)));
    /// ```
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter { slots: self.order.iter() }
    }

    /// The keys from most to least recently used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(4).unwrap();
    /// cache.put("a", 1);
    /// cache.put("b", 2);
    /// assert_eq!(cache.keys().collect::<Vec<_>>(), [&"b", &"a"]);
    /// ```
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + '_ {
        self.iter().map(|(k, _)| k)
    }

    /// The values from most to least recently used.
    ///
    /// # Examples
    /// ```
    /// let mut cache = edge_lru::LruCache::new(4).unwrap();
    /// cache.put("a", 1);
    /// cache.put("b", 2);
    /// assert_eq!(cache.values().rev().collect::<Vec<_>>(), [&1, &2]);
    /// ```
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + '_ {
        self.iter().map(|(_, v)| v)
    }

    /// Checks every internal invariant (links, free list, weights, key index) and
    /// panics on the first one broken. A hook for this crate's tests (it walks the
    /// whole cache), not part of the API.
    #[doc(hidden)]
    pub fn assert_invariants(&self) {
        self.order.assert_invariants();
        self.table.assert_invariants(&self.order);
    }

    #[inline]
    fn find<Q>(&self, key: &Q) -> Option<u32>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        self.table.find(&self.order, self.table.hash(key), key)
    }

    #[inline]
    fn touch<Q>(&mut self, key: &Q) -> Option<u32>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let slot = self.find(key)?;
        self.order.touch_live(slot);
        Some(slot)
    }

    #[inline]
    fn value_mut(&mut self, slot: u32) -> Option<&mut V> {
        match self.order.payload_mut(slot) {
            Entry::Occupied { value, .. } => Some(value),
            Entry::Vacant => None,
        }
    }

    /// Removes the live `slot` and returns its key and value.
    #[inline]
    fn take(&mut self, slot: u32) -> (K, V) {
        let (_, entry) = self.order.take(slot);
        forget(&mut self.table, slot, entry)
    }

    /// Inserts or replaces, reporting every entry that leaves to `out`: the replaced
    /// one first (flagged `true`), then evictions oldest first.
    fn push_inner(
        &mut self,
        key: K,
        value: V,
        weight: u64,
        mut out: impl FnMut(K, V, bool),
    ) -> Result<(), Refused<K, V>> {
        if let Err(error) = self.order.check_weight(weight) {
            return Err(Refused { key, value, error });
        }
        let hash = self.table.hash(&key);
        match self.table.find(&self.order, hash, &key) {
            Some(slot) => {
                let Entry::Occupied { key: old_key, value: old_value, .. } = self.order.payload_mut(slot)
                else {
                    unreachable!("indexed slots hold entries")
                };
                let old_value = core::mem::replace(old_value, value);
                let old_key = core::mem::replace(old_key, key);
                out(old_key, old_value, true);
                self.order.touch_live(slot);
                let table = &mut self.table;
                self.order.reweigh_front(slot, weight, |slot, entry| {
                    let (key, value) = forget(table, slot, entry);
                    out(key, value, false);
                });
            }
            None => {
                let table = &mut self.table;
                let entry = Entry::occupied(hash, key, value);
                let slot = self.order.push_front(weight, entry, |slot, entry| {
                    let (key, value) = forget(table, slot, entry);
                    out(key, value, false);
                });
                self.table.insert(&self.order, hash, slot);
            }
        }
        Ok(())
    }
}

/// Drops `slot`, which held `entry`, from the index; returns the key and value.
#[inline]
fn forget<K, V, S: BuildHasher>(table: &mut Table<S>, slot: u32, entry: Entry<K, V>) -> (K, V) {
    table.remove(entry.hash(), slot);
    match entry {
        Entry::Occupied { key, value, .. } => (key, value),
        Entry::Vacant => unreachable!("live slots hold entries"),
    }
}

#[inline]
fn entry_ref<K, V>(entry: &Entry<K, V>) -> Option<(&K, &V)> {
    match entry {
        Entry::Occupied { key, value, .. } => Some((key, value)),
        Entry::Vacant => None,
    }
}

impl<K, V, S> fmt::Debug for LruCache<K, V, S>
where
    K: fmt::Debug + Hash + Eq,
    V: fmt::Debug,
    S: BuildHasher,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Clone, V: Clone, S: Clone> Clone for LruCache<K, V, S> {
    fn clone(&self) -> Self {
        Self { order: self.order.clone(), table: self.table.clone() }
    }
}

/// The entries of an [`LruCache`], most recently used first; double-ended.
///
/// # Examples
/// ```
/// let mut cache = edge_lru::LruCache::new(2).unwrap();
/// cache.put(1, 'a');
/// let mut iter = cache.iter();
/// assert_eq!(iter.len(), 1);
/// assert_eq!(iter.next(), Some((&1, &'a')));
/// ```
pub struct Iter<'a, K, V> {
    slots: list::Iter<'a, Entry<K, V>>,
}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let slot = self.slots.next()?;
        entry_ref(self.slots.order().payload(slot))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.slots.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        let slot = self.slots.next_back()?;
        entry_ref(self.slots.order().payload(slot))
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}

impl<K, V> core::iter::FusedIterator for Iter<'_, K, V> {}

impl<K, V> Clone for Iter<'_, K, V> {
    fn clone(&self) -> Self {
        Iter { slots: self.slots.clone() }
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for Iter<'_, K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}

impl<'a, K: Hash + Eq, V, S: BuildHasher> IntoIterator for &'a LruCache<K, V, S> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}
