//! Drop accounting: every key and value the cache takes is dropped exactly once, by
//! the cache or by whoever it hands the entry back to, whichever way it leaves.
//!
//! Keys and values carry an id registered in a shared log; dropping one removes the
//! id, and removing an id that is not there counts as a double drop.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::rc::Rc;

use edge_lru::{LruCache, WeightError};
use proptest::prelude::*;

#[derive(Debug, Default)]
struct Log {
    next_id: u64,
    live: BTreeSet<u64>,
    created: usize,
    dropped: usize,
    double_drops: usize,
}

#[derive(Debug, Clone, Default)]
struct Shared(Rc<RefCell<Log>>);

impl Shared {
    fn live(&self) -> usize {
        self.0.borrow().live.len()
    }

    fn created(&self) -> usize {
        self.0.borrow().created
    }

    fn dropped(&self) -> usize {
        self.0.borrow().dropped
    }

    fn is_live(&self, id: u64) -> bool {
        self.0.borrow().live.contains(&id)
    }

    /// Everything created was dropped once, and nothing twice.
    fn assert_all_dropped_once(&self) {
        let log = self.0.borrow();
        assert_eq!(log.double_drops, 0, "double drops");
        assert_eq!(log.created, log.dropped, "created vs dropped");
        assert!(log.live.is_empty(), "still live: {:?}", log.live);
    }
}

#[derive(Debug)]
struct Tracked {
    id: u64,
    log: Shared,
}

impl Tracked {
    fn new(log: &Shared) -> Self {
        let mut l = log.0.borrow_mut();
        let id = l.next_id;
        l.next_id += 1;
        l.created += 1;
        l.live.insert(id);
        Self { id, log: log.clone() }
    }
}

impl Clone for Tracked {
    fn clone(&self) -> Self {
        Self::new(&self.log)
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        let mut log = self.log.0.borrow_mut();
        log.dropped += 1;
        if !log.live.remove(&self.id) {
            log.double_drops += 1;
        }
    }
}

/// A key compared and hashed by `k` alone, so that `&u8` finds it.
#[derive(Debug, Clone)]
struct Key {
    k: u8,
    tracked: Tracked,
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.k == other.k
    }
}

impl Eq for Key {}

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.k.hash(state);
    }
}

impl std::borrow::Borrow<u8> for Key {
    fn borrow(&self) -> &u8 {
        &self.k
    }
}

struct Fixture {
    keys: Shared,
    values: Shared,
}

impl Fixture {
    fn new() -> Self {
        Self { keys: Shared::default(), values: Shared::default() }
    }

    fn key(&self, k: u8) -> Key {
        Key { k, tracked: Tracked::new(&self.keys) }
    }

    fn value(&self) -> Tracked {
        Tracked::new(&self.values)
    }

    /// Each entry in the cache owns exactly one live key and one live value, and
    /// nothing else is alive.
    fn assert_live(&self, cache: &LruCache<Key, Tracked>) {
        assert_eq!(self.keys.live(), cache.len(), "live keys");
        assert_eq!(self.values.live(), cache.len(), "live values");
        for (k, v) in cache {
            assert!(self.keys.is_live(k.tracked.id));
            assert!(self.values.is_live(v.id));
        }
    }

    fn fill(&self, cache: &mut LruCache<Key, Tracked>, keys: std::ops::Range<u8>) {
        for k in keys {
            assert!(cache.put(self.key(k), self.value()).is_none());
        }
    }

    fn assert_all_dropped_once(&self) {
        self.keys.assert_all_dropped_once();
        self.values.assert_all_dropped_once();
    }
}

#[test]
fn pop_lru_hands_the_entry_back() {
    let f = Fixture::new();
    let mut cache = LruCache::new(4).unwrap();
    f.fill(&mut cache, 0..3);
    let (k, v) = cache.pop_lru().unwrap();
    assert_eq!(k.k, 0);
    assert_eq!((f.keys.live(), f.values.live()), (3, 3), "the popped entry is alive in our hands");
    drop((k, v));
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn remove_and_remove_entry() {
    let f = Fixture::new();
    let mut cache = LruCache::new(4).unwrap();
    f.fill(&mut cache, 0..4);
    let v = cache.remove(&1).unwrap();
    assert_eq!(f.keys.live(), 3, "remove drops the stored key");
    assert_eq!(f.values.live(), 4, "and returns the value");
    drop(v);
    let (k, v) = cache.remove_entry(&2).unwrap();
    assert_eq!((f.keys.live(), f.values.live()), (3, 3));
    drop((k, v));
    assert!(cache.remove(&2).is_none());
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn clear_drops_everything_and_the_cache_stays_usable() {
    let f = Fixture::new();
    let mut cache = LruCache::new(8).unwrap();
    f.fill(&mut cache, 0..8);
    cache.clear();
    assert_eq!((f.keys.dropped(), f.values.dropped()), (8, 8));
    f.assert_live(&cache);
    f.fill(&mut cache, 0..3);
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn resize_and_set_max_weight_drop_what_they_evict() {
    let f = Fixture::new();
    let mut cache = LruCache::with_max_weight(8, 100).unwrap();
    for k in 0..8 {
        cache.put_weighted(f.key(k), f.value(), 10).unwrap();
    }
    cache.resize(5).unwrap();
    assert_eq!((f.keys.dropped(), f.values.dropped()), (3, 3));
    f.assert_live(&cache);
    cache.set_max_weight(Some(25)).unwrap();
    assert_eq!(cache.len(), 2);
    f.assert_live(&cache);
    assert!(cache.resize(0).is_err());
    assert!(cache.set_max_weight(Some(0)).is_err());
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn put_replacing_drops_the_old_key_and_returns_the_old_value() {
    let f = Fixture::new();
    let mut cache = LruCache::new(4).unwrap();
    let old_key = f.key(1);
    let old_key_id = old_key.tracked.id;
    let old_value = f.value();
    let old_value_id = old_value.id;
    cache.put(old_key, old_value);
    let new_key = f.key(1);
    let new_key_id = new_key.tracked.id;
    let replaced = cache.put(new_key, f.value()).unwrap();
    assert_eq!(replaced.id, old_value_id);
    assert!(!f.keys.is_live(old_key_id), "the old key is dropped");
    assert!(f.keys.is_live(new_key_id), "the new key is kept");
    drop(replaced);
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn push_returns_the_replaced_or_evicted_entry() {
    let f = Fixture::new();
    let mut cache = LruCache::new(2).unwrap();
    assert!(cache.push(f.key(1), f.value()).is_none());
    let (k, v) = cache.push(f.key(1), f.value()).unwrap();
    assert_eq!(k.k, 1);
    assert_eq!((f.keys.live(), f.values.live()), (2, 2));
    drop((k, v));
    assert!(cache.push(f.key(2), f.value()).is_none());
    let (k, v) = cache.push(f.key(3), f.value()).unwrap();
    assert_eq!(k.k, 1, "the least recently used entry is evicted");
    drop((k, v));
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn put_weighted_and_push_weighted_replace_and_evict() {
    let f = Fixture::new();
    let mut cache = LruCache::with_max_weight(10, 10).unwrap();
    for k in 0..5 {
        cache.put_weighted(f.key(k), f.value(), 2).unwrap();
    }
    // Replacing 4 with weight 6 evicts 0 and 1, which put_weighted drops.
    let replaced = cache.put_weighted(f.key(4), f.value(), 6).unwrap().unwrap();
    assert_eq!(cache.len(), 3);
    assert_eq!(f.keys.dropped(), 3, "two evicted keys and the replaced key");
    assert_eq!(f.values.dropped(), 2, "two evicted values; the replaced one is ours");
    drop(replaced);
    f.assert_live(&cache);
    // push_weighted hands back the replaced entry and every evicted one.
    let out = cache.push_weighted(f.key(2), f.value(), 9).unwrap();
    assert_eq!(out.iter().map(|(k, _)| k.k).collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!((f.keys.live(), f.values.live()), (4, 4));
    drop(out);
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn eviction_by_put_drops_the_evicted_entry() {
    let f = Fixture::new();
    let mut cache = LruCache::new(3).unwrap();
    f.fill(&mut cache, 0..10);
    assert_eq!((f.keys.dropped(), f.values.dropped()), (7, 7));
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn refused_put_weighted_hands_back_key_and_value_and_keeps_the_old_entry() {
    let f = Fixture::new();
    let mut cache = LruCache::with_max_weight(4, 10).unwrap();
    cache.put_weighted(f.key(1), f.value(), 5).unwrap();
    let key = f.key(1);
    let value = f.value();
    let (key_id, value_id) = (key.tracked.id, value.id);
    let refused = cache.put_weighted(key, value, 11).unwrap_err();
    assert_eq!(refused.error, WeightError::TooHeavy { weight: 11, max_weight: 10 });
    assert_eq!((refused.key.tracked.id, refused.value.id), (key_id, value_id));
    assert_eq!((f.keys.live(), f.values.live()), (2, 2), "the refused pair is alive in `refused`");
    drop(refused);
    assert!(!f.keys.is_live(key_id) && !f.values.is_live(value_id));
    f.assert_live(&cache);
    assert_eq!(cache.len(), 1, "the old entry is intact");

    let refused = cache.push_weighted(f.key(2), f.value(), 0).unwrap_err();
    assert_eq!(refused.error, WeightError::Zero);
    drop(refused);
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn retain_drops_what_it_removes() {
    let f = Fixture::new();
    let mut cache = LruCache::new(10).unwrap();
    f.fill(&mut cache, 0..10);
    cache.retain(|k, _| k.k % 3 == 0);
    assert_eq!(cache.len(), 4);
    assert_eq!((f.keys.dropped(), f.values.dropped()), (6, 6));
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn a_panic_in_retain_leaves_a_cache_that_still_drops_everything_once() {
    let f = Fixture::new();
    let mut cache = LruCache::new(10).unwrap();
    f.fill(&mut cache, 0..10);
    let result = catch_unwind(AssertUnwindSafe(|| {
        cache.retain(|k, _| {
            assert!(k.k != 5, "keep panics");
            k.k % 2 == 0
        });
    }));
    assert!(result.is_err());
    cache.assert_invariants();
    f.assert_live(&cache);
    drop(cache);
    f.assert_all_dropped_once();
}

/// A value whose `Drop` panics once it is armed (and only once).
#[derive(Debug)]
struct Bomb(Rc<std::cell::Cell<bool>>);

impl Drop for Bomb {
    fn drop(&mut self) {
        if self.0.replace(false) {
            panic!("bomb");
        }
    }
}

fn bomb() -> (Bomb, Rc<std::cell::Cell<bool>>) {
    let armed = Rc::new(std::cell::Cell::new(false));
    (Bomb(armed.clone()), armed)
}

/// Runs `f`, which must panic, then checks that the cache is consistent.
fn after_panic<K: Hash + Eq>(cache: &mut LruCache<K, Bomb>, f: impl FnOnce(&mut LruCache<K, Bomb>)) {
    assert!(catch_unwind(AssertUnwindSafe(|| f(cache))).is_err(), "no panic");
    cache.assert_invariants();
}

/// Empties the cache entry by entry, checking it all the way down.
fn drain<K: Hash + Eq>(cache: &mut LruCache<K, Bomb>) {
    while cache.pop_lru().is_some() {
        cache.assert_invariants();
    }
    assert_eq!((cache.len(), cache.weight()), (0, 0));
}

#[test]
fn a_panicking_drop_in_an_eviction_by_reweighing_keeps_the_weights_right() {
    let mut cache = LruCache::with_max_weight(10, 10).unwrap();
    let (first, armed) = bomb();
    cache.put_weighted(1, first, 5).unwrap();
    cache.put_weighted(2, bomb().0, 5).unwrap();
    armed.set(true);
    // Giving key 2 a weight of 8 evicts key 1, whose drop panics.
    after_panic(&mut cache, |cache| drop(cache.put_weighted(2, bomb().0, 8)));
    assert_eq!((cache.len(), cache.weight()), (1, 5));
    cache.put_weighted(3, bomb().0, 5).unwrap();
    assert_eq!(cache.weight(), 10);
    drain(&mut cache);
}

#[test]
fn a_panicking_drop_in_clear_leaves_an_empty_usable_cache() {
    let mut cache = LruCache::new(10).unwrap();
    let (first, armed) = bomb();
    cache.put(1, first);
    cache.put(2, bomb().0);
    armed.set(true);
    after_panic(&mut cache, |cache| cache.clear());
    assert!(!cache.contains(&2));
    cache.put(3, bomb().0);
    assert_eq!(cache.keys().copied().collect::<Vec<_>>(), [3]);
    drain(&mut cache);
}

#[test]
fn a_panicking_drop_in_resize_or_set_max_weight_keeps_the_old_bound() {
    let mut cache = LruCache::with_max_weight(5, 100).unwrap();
    let (first, armed) = bomb();
    cache.put(0, first);
    for k in 1..5 {
        cache.put(k, bomb().0);
    }
    armed.set(true);
    after_panic(&mut cache, |cache| cache.resize(2).unwrap());
    assert_eq!((cache.len(), cache.cap()), (4, 5), "the bound did not shrink under the entries");
    cache.resize(2).unwrap();
    assert_eq!(cache.keys().copied().collect::<Vec<_>>(), [4, 3]);

    let (oldest, armed) = bomb();
    let mut cache = LruCache::with_max_weight(5, 100).unwrap();
    cache.put_weighted(0, oldest, 10).unwrap();
    cache.put_weighted(1, bomb().0, 10).unwrap();
    cache.put_weighted(2, bomb().0, 10).unwrap();
    armed.set(true);
    after_panic(&mut cache, |cache| cache.set_max_weight(Some(10)).unwrap());
    assert_eq!((cache.max_weight(), cache.len(), cache.weight()), (Some(100), 2, 20));
    drain(&mut cache);
}

#[test]
fn a_panicking_evict_callback_in_order_reweigh_keeps_the_total() {
    let mut order = edge_lru::Order::new(10, Some(10)).unwrap();
    order.insert(5, |_| {}).unwrap();
    let b = order.insert(5, |_| {}).unwrap();
    assert!(catch_unwind(AssertUnwindSafe(|| order.reweigh(b, 8, |_| panic!("evict")))).is_err());
    order.assert_invariants();
    assert_eq!((order.len(), order.weight(), order.weight_of(b)), (1, 5, Some(5)));
    assert_eq!(order.remove(b), 5);
    assert_eq!(order.weight(), 0);
}

#[test]
fn dropping_the_cache_drops_every_entry_once() {
    let f = Fixture::new();
    let mut cache = LruCache::new(64).unwrap();
    f.fill(&mut cache, 0..50);
    for k in (0..50).step_by(3) {
        drop(cache.remove(&k));
    }
    f.fill(&mut cache, 100..110);
    assert_eq!(f.keys.created(), 60);
    drop(cache);
    f.assert_all_dropped_once();
}

#[test]
fn a_clone_owns_its_own_entries() {
    let f = Fixture::new();
    let mut cache = LruCache::new(8).unwrap();
    f.fill(&mut cache, 0..5);
    let copy = cache.clone();
    assert_eq!((f.keys.live(), f.values.live()), (10, 10));
    drop(cache);
    f.assert_live(&copy);
    drop(copy);
    f.assert_all_dropped_once();
}

#[derive(Debug, Clone)]
enum Op {
    Get(u8),
    Put(u8),
    Push(u8),
    PutWeighted(u8, u64),
    PushWeighted(u8, u64),
    Remove(u8),
    RemoveEntry(u8),
    PopLru,
    Clear,
    Resize(usize),
    SetMaxWeight(Option<u64>),
    Retain(u16),
    Clone,
}

fn op() -> impl Strategy<Value = Op> {
    let k = || 0u8..16;
    let w = || prop_oneof![10 => 1u64..=20, 1 => Just(0u64), 1 => 41u64..=50];
    prop_oneof![
        3 => k().prop_map(Op::Get),
        5 => k().prop_map(Op::Put),
        3 => k().prop_map(Op::Push),
        5 => (k(), w()).prop_map(|(k, w)| Op::PutWeighted(k, w)),
        3 => (k(), w()).prop_map(|(k, w)| Op::PushWeighted(k, w)),
        2 => k().prop_map(Op::Remove),
        2 => k().prop_map(Op::RemoveEntry),
        2 => Just(Op::PopLru),
        1 => Just(Op::Clear),
        1 => (0usize..=8).prop_map(Op::Resize),
        1 => prop_oneof![Just(None), (0u64..=40).prop_map(Some)].prop_map(Op::SetMaxWeight),
        1 => any::<u16>().prop_map(Op::Retain),
        1 => Just(Op::Clone),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// After every operation (whose results are dropped at once) exactly the entries
    /// in the cache are alive; after dropping the cache, nothing is, and nothing was
    /// dropped twice.
    #[test]
    fn random_operations_drop_everything_exactly_once(
        cap in 1usize..=8,
        max_weight in 1u64..=40,
        ops in proptest::collection::vec(op(), 0..=200),
    ) {
        let f = Fixture::new();
        let mut cache: LruCache<Key, Tracked> = LruCache::with_max_weight(cap, max_weight).unwrap();
        for op in ops {
            match op {
                Op::Get(k) => assert_eq!(cache.get(&k).is_some(), cache.contains(&k)),
                Op::Put(k) => drop(cache.put(f.key(k), f.value())),
                Op::Push(k) => drop(cache.push(f.key(k), f.value())),
                Op::PutWeighted(k, w) => drop(cache.put_weighted(f.key(k), f.value(), w)),
                Op::PushWeighted(k, w) => drop(cache.push_weighted(f.key(k), f.value(), w)),
                Op::Remove(k) => drop(cache.remove(&k)),
                Op::RemoveEntry(k) => drop(cache.remove_entry(&k)),
                Op::PopLru => drop(cache.pop_lru()),
                Op::Clear => cache.clear(),
                Op::Resize(c) => assert_eq!(cache.resize(c).is_ok(), c > 0),
                Op::SetMaxWeight(m) => assert_eq!(cache.set_max_weight(m).is_ok(), m != Some(0)),
                Op::Retain(mask) => cache.retain(|k, _| mask & (1 << k.k) != 0),
                Op::Clone => {
                    let copy = cache.clone();
                    drop(std::mem::replace(&mut cache, copy));
                }
            }
            cache.assert_invariants();
            f.assert_live(&cache);
        }
        drop(cache);
        f.assert_all_dropped_once();
    }
}
