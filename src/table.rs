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
    /// A live entry, with the low 32 bits of its key's hash: enough to find it in the
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

/// The slots of an [`LruCache`](crate::LruCache): links, weights and entries together.
pub(crate) type Slots<K, V> = Order<Entry<K, V>>;

/// Maps keys to the slots of a [`Slots`] array. Slot numbers come from the [`Order`];
/// this type never decides them, and reads keys through the slots it is given.
#[derive(Debug, Clone)]
pub(crate) struct Table<S> {
    index: HashTable<u32>,
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
        Self { index: HashTable::new(), hasher }
    }

    pub(crate) fn hasher(&self) -> &S {
        &self.hasher
    }

    /// The hash an entry for `key` stores.
    #[inline]
    pub(crate) fn hash<Q: Hash + ?Sized>(&self, key: &Q) -> u32 {
        self.hasher.hash_one(key) as u32
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
        self.index.insert_unique(spread(hash), slot, |&s| spread(slots.payload(s).hash()));
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
    }

    /// Checks that the index holds exactly the live slots, each under its key's hash,
    /// and that only live slots hold entries.
    pub(crate) fn assert_invariants<K: Hash + Eq, V>(&self, slots: &Slots<K, V>) {
        let live = slots.len();
        assert_eq!(self.index.len(), live, "index holds {} slots, order {live}", self.index.len());
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
