//! Keys and values stored by slot number, found by key through a hash table of slots.

use core::hash::{BuildHasher, Hash};

use hashbrown::{Equivalent, HashTable};

#[derive(Debug, Clone)]
pub(crate) struct Bucket<K, V> {
    pub(crate) hash: u64,
    pub(crate) key: K,
    pub(crate) value: V,
}

/// A slot-addressed store of entries with a key index: `buckets[slot]` holds the entry,
/// and `index` maps a key's hash to its slot. Slot numbers come from an
/// [`Order`](crate::Order); this type never decides them.
#[derive(Debug, Clone)]
pub(crate) struct Table<K, V, S> {
    buckets: Vec<Option<Bucket<K, V>>>,
    index: HashTable<u32>,
    hasher: S,
}

impl<K: Hash + Eq, V, S: BuildHasher> Table<K, V, S> {
    pub(crate) fn with_hasher(hasher: S) -> Self {
        Self { buckets: Vec::new(), index: HashTable::new(), hasher }
    }

    pub(crate) fn hasher(&self) -> &S {
        &self.hasher
    }

    #[inline]
    pub(crate) fn hash<Q: Hash + ?Sized>(&self, key: &Q) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The slot holding `key`.
    #[inline]
    pub(crate) fn find<Q>(&self, hash: u64, key: &Q) -> Option<u32>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let buckets = &self.buckets;
        self.index
            .find(hash, |&slot| match &buckets[slot as usize] {
                Some(bucket) => key.equivalent(&bucket.key),
                None => false,
            })
            .copied()
    }

    /// The slot holding `key`, with its entry.
    #[inline]
    pub(crate) fn find_bucket<Q>(&self, hash: u64, key: &Q) -> Option<(u32, &Bucket<K, V>)>
    where
        Q: Hash + Equivalent<K> + ?Sized,
    {
        let buckets = &self.buckets;
        let mut found = None;
        self.index.find(hash, |&slot| match &buckets[slot as usize] {
            Some(bucket) if key.equivalent(&bucket.key) => {
                found = Some((slot, bucket));
                true
            }
            _ => false,
        })?;
        found
    }

    /// Stores a new entry at a free `slot`; the key must not be present.
    #[inline]
    pub(crate) fn insert(&mut self, slot: u32, hash: u64, key: K, value: V) {
        let buckets = &mut self.buckets;
        self.index.insert_unique(hash, slot, |s| bucket_hash(buckets, s));
        let bucket = Some(Bucket { hash, key, value });
        match (slot as usize).cmp(&buckets.len()) {
            core::cmp::Ordering::Less => buckets[slot as usize] = bucket,
            core::cmp::Ordering::Equal => buckets.push(bucket),
            core::cmp::Ordering::Greater => {
                buckets.resize_with(slot as usize, || None);
                buckets.push(bucket);
            }
        }
    }

    /// Takes the entry out of `slot`.
    #[inline]
    pub(crate) fn take(&mut self, slot: u32) -> Option<Bucket<K, V>> {
        let bucket = self.buckets.get_mut(slot as usize)?.take()?;
        match self.index.find_entry(bucket.hash, |&s| s == slot) {
            Ok(entry) => {
                entry.remove();
            }
            Err(_) => unreachable!("a stored entry is always indexed"),
        }
        Some(bucket)
    }

    #[inline]
    pub(crate) fn get(&self, slot: u32) -> Option<&Bucket<K, V>> {
        self.buckets.get(slot as usize)?.as_ref()
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, slot: u32) -> Option<&mut Bucket<K, V>> {
        self.buckets.get_mut(slot as usize)?.as_mut()
    }

    pub(crate) fn clear(&mut self) {
        self.buckets.clear();
        self.index.clear();
    }

    /// Checks that the index and the buckets agree with each other and with `live`,
    /// the number of live slots.
    pub(crate) fn assert_invariants(&self, is_live: impl Fn(u32) -> bool, live: usize) {
        assert_eq!(self.index.len(), live, "index holds {} slots, order {live}", self.index.len());
        let stored = self.buckets.iter().filter(|b| b.is_some()).count();
        assert_eq!(stored, live, "{stored} buckets hold entries, order has {live} live slots");
        for (slot, bucket) in self.buckets.iter().enumerate() {
            let slot = slot as u32;
            assert_eq!(bucket.is_some(), is_live(slot), "slot {slot} storage and liveness differ");
            if let Some(bucket) = bucket {
                assert_eq!(bucket.hash, self.hash(&bucket.key), "slot {slot} has a stale hash");
                assert_eq!(self.find(bucket.hash, &bucket.key), Some(slot), "slot {slot} not indexed");
            }
        }
    }
}

#[inline]
fn bucket_hash<K, V>(buckets: &[Option<Bucket<K, V>>], slot: &u32) -> u64 {
    match &buckets[*slot as usize] {
        Some(bucket) => bucket.hash,
        None => unreachable!("an indexed slot always holds an entry"),
    }
}
