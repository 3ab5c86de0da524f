//! The key index: a hash table of slot numbers, whose keys live in the slots of an
//! [`Order`] beside the links, so a lookup reads one slot for the key and the touch.

use core::hash::{BuildHasher, Hash};

use hashbrown::{Equivalent, HashTable};

use crate::order::Order;

/// What a slot of an [`LruCache`](crate::LruCache) holds.
#[derive(Debug, Clone, Default)]
pub(crate) enum Entry<K, V> {
    /// A free slot.
    #[default]
    Vacant,
    /// A live entry, with its key's 32-bit [`Table::hash`]: enough to find it in the
    /// index again on eviction or growth without hashing the key again, and small
    /// enough to share a word with the variant tag.
    Occupied { hash: u32, key: K, value: V },
}

impl<K, V> Entry<K, V> {
    /// The stored hash of a live entry.
    #[inline]
    fn hash(&self) -> u32 {
        match self {
            Entry::Occupied { hash, .. } => *hash,
            Entry::Vacant => unreachable!("an indexed slot always holds an entry"),
        }
    }
}

/// The slots of an [`LruCache`](crate::LruCache): entries and their links together.
pub(crate) type Slots<K, V> = Order<Entry<K, V>>;

/// Maps keys to the slots of a [`Slots`] array. Slot numbers come from the [`Order`];
/// this type never decides them, and reads keys through the slots it is given.
#[derive(Debug, Clone)]
pub(crate) struct Table<S> {
    index: HashTable<u32>,
    /// The index's `capacity()` when it last held no tombstones (see
    /// [`tombstones`](Self::tombstones)).
    clean: usize,
    hasher: S,
}

/// The table hash of an entry from its stored 32 bits. hashbrown takes the bucket from
/// the low bits of the hash and a 7-bit tag from the top bits: the multiplication by an
/// odd constant keeps the low bits a bijection of the stored ones and mixes all of
/// them into the top.
#[inline]
fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl<S: BuildHasher> Table<S> {
    pub(crate) fn with_hasher(hasher: S) -> Self {
        Self { index: HashTable::new(), clean: 0, hasher }
    }

    pub(crate) fn hasher(&self) -> &S {
        &self.hasher
    }

    /// The hash an entry for `key` stores: the hasher's 64 bits folded to 32, so that
    /// keys told apart only by the high or only by the low half of a hash (as with
    /// multiplicative or identity hashers) still get different ones.
    #[inline]
    pub(crate) fn hash<Q: Hash + ?Sized>(&self, key: &Q) -> u32 {
        let hash = self.hasher.hash_one(key);
        (hash ^ (hash >> 32)) as u32
    }

    /// The slot holding `key`, whose [`hash`](Self::hash) is `hash`.
    #[inline]
    pub(crate) fn find<K, V, Q>(&self, slots: &Slots<K, V>, hash: u32, key: &Q) -> Option<u32>
    where
        Q: Equivalent<K> + ?Sized,
    {
        self.index
            .find(spread(hash), |&slot| match slots.payload(slot) {
                Entry::Occupied { key: stored, .. } => key.equivalent(stored),
                Entry::Vacant => false,
            })
            .copied()
    }

    /// Indexes the entry just stored at `slot`, whose key is not indexed yet.
    #[inline]
    pub(crate) fn insert<K, V>(&mut self, slots: &Slots<K, V>, hash: u32, slot: u32) {
        if self.tombstones() > self.index.num_buckets() / 16 {
            self.rebuild(slots);
        }
        let buckets = self.index.num_buckets();
        self.index.insert_unique(spread(hash), slot, |&s| spread(slots.payload(s).hash()));
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
        let hasher = |&s: &u32| spread(slots.payload(s).hash());
        for slot in old {
            self.index.insert_unique(hasher(&slot), slot, hasher);
        }
        self.clean = self.index.capacity();
    }

    /// Forgets the entry that was at `slot`, whose stored hash is `hash`.
    #[inline]
    pub(crate) fn remove(&mut self, hash: u32, slot: u32) {
        match self.index.find_entry(spread(hash), |&s| s == slot) {
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
                Entry::Occupied { hash, key, .. } => {
                    assert!(slots.contains(slot), "free slot {slot} holds an entry");
                    assert_eq!(*hash, self.hash(key), "slot {slot} has a stale hash");
                    assert_eq!(self.find(slots, *hash, key), Some(slot), "slot {slot} not indexed");
                }
                Entry::Vacant => assert!(!slots.contains(slot), "live slot {slot} holds no entry"),
            }
        }
    }
}
