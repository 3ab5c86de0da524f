//! The key index: a hash table of slot numbers, whose keys live in the slots of an
//! [`List`] beside the links, so a lookup reads one slot for the key and the touch.

use core::hash::{BuildHasher, Hash};

use hashbrown::{Equivalent, HashTable};

use crate::list::List;

/// What a slot of an [`LruCache`](crate::LruCache) holds.
#[derive(Debug, Clone, Default)]
pub(crate) enum Entry<K, V> {
    /// A free slot.
    #[default]
    Vacant,
    /// A live entry, with the bits of its key's [`Table::hash`] (see [`KEPT`]): enough
    /// to find it in the index again on eviction or growth without hashing the key
    /// again, and small enough to share a word with the variant tag.
    Occupied { hash_low: u32, hash_top: u8, key: K, value: V },
}

impl<K, V> Entry<K, V> {
    /// A live entry for `key`, whose [`Table::hash`] is `hash`.
    #[inline]
    pub(crate) fn occupied(hash: u64, key: K, value: V) -> Self {
        Entry::Occupied { hash_low: hash as u32, hash_top: (hash >> 57) as u8, key, value }
    }

    /// The [`Table::hash`] of a live entry's key.
    #[inline]
    pub(crate) fn hash(&self) -> u64 {
        match *self {
            Entry::Occupied { hash_low, hash_top, .. } => u64::from(hash_low) | u64::from(hash_top) << 57,
            Entry::Vacant => unreachable!("an indexed slot always holds an entry"),
        }
    }
}

/// The slots of an [`LruCache`](crate::LruCache): entries and their links together.
pub(crate) type Slots<K, V> = List<Entry<K, V>>;

/// Maps keys to the slots of a [`Slots`] array. Slot numbers come from the [`List`];
/// this type never decides them, and reads keys through the slots it is given.
#[derive(Debug, Clone)]
pub(crate) struct Table<S> {
    index: HashTable<u32>,
    /// The index's `capacity()` when it last held no tombstones (see
    /// [`tombstones`](Self::tombstones)).
    clean: usize,
    hasher: S,
}

/// The bits of the hasher's output the index uses: hashbrown finds the first bucket to
/// probe from the low bits and compares a 7-bit tag from the top 7, and no index of up
/// to 2^32 buckets looks at the others. Dropping them lets an entry keep its hash in 39
/// bits, beside its variant tag, while lookups use the hasher's output as it comes (one
/// `and`), with the same probe sequences and tags as the whole hash.
const KEPT: u64 = 0xFE00_0000_FFFF_FFFF;

impl<S: BuildHasher> Table<S> {
    pub(crate) fn with_hasher(hasher: S) -> Self {
        Self { index: HashTable::new(), clean: 0, hasher }
    }

    pub(crate) fn hasher(&self) -> &S {
        &self.hasher
    }

    /// The hash `key` is indexed under: the hasher's, less the bits no index uses.
    #[inline]
    pub(crate) fn hash<Q: Hash + ?Sized>(&self, key: &Q) -> u64 {
        self.hasher.hash_one(key) & KEPT
    }

    /// The slot holding `key`, whose [`hash`](Self::hash) is `hash`.
    #[inline]
    pub(crate) fn find<K, V, Q>(&self, slots: &Slots<K, V>, hash: u64, key: &Q) -> Option<u32>
    where
        Q: Equivalent<K> + ?Sized,
    {
        self.index
            .find(hash, |&slot| match slots.payload(slot) {
                Entry::Occupied { key: stored, .. } => key.equivalent(stored),
                Entry::Vacant => false,
            })
            .copied()
    }

    /// Indexes the entry just stored at `slot`, whose key is not indexed yet.
    #[inline]
    pub(crate) fn insert<K, V>(&mut self, slots: &Slots<K, V>, hash: u64, slot: u32) {
        if self.tombstones() > self.index.num_buckets() / 16 {
            self.rebuild(slots);
        }
        let buckets = self.index.num_buckets();
        self.index.insert_unique(hash, slot, |&s| slots.payload(s).hash());
        if self.index.num_buckets() != buckets {
            // Grown, so rehashed: no tombstones.
            self.clean = self.index.capacity();
        }
    }

    /// How many buckets of the index hold tombstones, or at least how much room they
    /// take. hashbrown marks a bucket it empties as deleted, not empty, when its probe
    /// group is full, so that lookups probe past it; only a rehash clears them, once
    /// they and the entries fill 7/8 of the buckets. A cache that evicts on every
    /// insertion makes them fast, and then a miss probes several groups and
    /// mispredicts its way out: a full 1,000-entry cache spent about 20 ns per `put`
    /// instead of about 11. [`insert`](Self::insert) rebuilds the index well before.
    ///
    /// `capacity()` is the entries plus the room left before a rehash; tombstones take
    /// from that room, and nothing else makes it shrink.
    #[inline]
    fn tombstones(&self) -> usize {
        self.clean.saturating_sub(self.index.capacity())
    }

    /// Moves the index into a fresh table without tombstones: with twice the buckets
    /// when the entries fill more than half the usable ones, as hashbrown itself would
    /// grow it once the tombstones ran out, else with as many. O(entries), at least
    /// 1/16 of the buckets' worth of evictions apart.
    #[cold]
    #[inline(never)]
    fn rebuild<K, V>(&mut self, slots: &Slots<K, V>) {
        let room = if self.index.len() > self.clean / 2 { self.clean * 2 } else { self.clean };
        let old = core::mem::replace(&mut self.index, HashTable::with_capacity(room));
        let hasher = |&s: &u32| slots.payload(s).hash();
        for slot in old {
            self.index.insert_unique(hasher(&slot), slot, hasher);
        }
        self.clean = self.index.capacity();
    }

    /// Forgets the entry that was at `slot`, whose key's hash is `hash`.
    #[inline]
    pub(crate) fn remove(&mut self, hash: u64, slot: u32) {
        match self.index.find_entry(hash, |&s| s == slot) {
            Ok(entry) => {
                entry.remove();
            }
            Err(_) => unreachable!("a stored entry is always indexed"),
        }
    }

    pub(crate) fn clear(&mut self) {
        self.index.clear();
        self.clean = self.index.capacity();
    }

    /// Checks that the index holds exactly the live slots, each under its key's hash,
    /// and that only live slots hold entries.
    pub(crate) fn assert_invariants<K: Hash + Eq, V>(&self, slots: &Slots<K, V>) {
        let live = slots.len();
        assert_eq!(self.index.len(), live, "index holds {} slots, order {live}", self.index.len());
        assert!(self.index.capacity() <= self.clean, "the index has more room than when it was clean");
        for &slot in &self.index {
            assert!(slots.contains(slot), "the index holds slot {slot}, which is not live");
        }
        for slot in 0..slots.slots() as u32 {
            match slots.payload(slot) {
                entry @ Entry::Occupied { key, .. } => {
                    assert!(slots.contains(slot), "free slot {slot} holds an entry");
                    assert_eq!(entry.hash(), self.hash(key), "slot {slot} has a stale hash");
                    assert_eq!(self.find(slots, entry.hash(), key), Some(slot), "slot {slot} not indexed");
                }
                Entry::Vacant => assert!(!slots.contains(slot), "live slot {slot} holds no entry"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Entry;

    #[test]
    fn an_entry_keeps_its_hash_in_the_word_of_its_tag() {
        // Not a layout guarantee of the language, but what keeps a `u64 -> u64` slot
        // (links included) at 32 bytes.
        assert_eq!(core::mem::size_of::<Entry<u64, u64>>(), 24);
    }
}
