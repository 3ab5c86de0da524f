//! Edge cases the doc tests do not cover.

use std::collections::hash_map::RandomState;

use edge_lru::{CapacityError, LruCache, Order, Refused, WeightError, MAX_CAPACITY};

fn keys<K: Copy + std::hash::Hash + Eq, V>(cache: &LruCache<K, V>) -> Vec<K> {
    cache.keys().copied().collect()
}

#[test]
fn capacity_errors() {
    assert_eq!(LruCache::<u8, u8>::new(0).err(), Some(CapacityError::ZeroCapacity));
    assert_eq!(
        LruCache::<u8, u8>::new(MAX_CAPACITY + 1).err(),
        Some(CapacityError::TooLarge { requested: MAX_CAPACITY + 1 })
    );
    assert_eq!(
        LruCache::<u8, u8>::new(usize::MAX).err(),
        Some(CapacityError::TooLarge { requested: usize::MAX })
    );
    assert_eq!(LruCache::<u8, u8>::with_max_weight(4, 0).err(), Some(CapacityError::ZeroMaxWeight));
    assert_eq!(LruCache::<u8, u8>::with_max_weight(0, 0).err(), Some(CapacityError::ZeroCapacity));
    assert_eq!(
        LruCache::<u8, u8, _>::with_hasher(0, None, RandomState::new()).err(),
        Some(CapacityError::ZeroCapacity)
    );
    assert_eq!(
        Order::new(MAX_CAPACITY + 1, None).err(),
        Some(CapacityError::TooLarge { requested: MAX_CAPACITY + 1 })
    );
    assert_eq!(Order::new(1, Some(0)).err(), Some(CapacityError::ZeroMaxWeight));
}

#[test]
fn the_largest_capacity_is_accepted_and_allocates_lazily() {
    let mut cache = LruCache::new(MAX_CAPACITY).unwrap();
    assert_eq!(cache.cap(), MAX_CAPACITY);
    for k in 0..100u32 {
        cache.put(k, k);
    }
    assert_eq!(cache.len(), 100);
    assert_eq!(cache.peek_lru(), Some((&0, &0)));
    cache.assert_invariants();
    assert_eq!(Order::new(MAX_CAPACITY, None).unwrap().cap(), MAX_CAPACITY);
}

#[test]
fn failed_resize_and_set_max_weight_change_nothing() {
    let mut cache = LruCache::with_max_weight(3, 10).unwrap();
    cache.put_weighted(1, 'a', 4).unwrap();
    cache.put_weighted(2, 'b', 4).unwrap();
    cache.get(&1);
    assert_eq!(cache.resize(0), Err(CapacityError::ZeroCapacity));
    assert_eq!(cache.resize(MAX_CAPACITY + 1), Err(CapacityError::TooLarge { requested: MAX_CAPACITY + 1 }));
    assert_eq!(cache.set_max_weight(Some(0)), Err(CapacityError::ZeroMaxWeight));
    assert_eq!((cache.cap(), cache.max_weight(), cache.weight()), (3, Some(10), 8));
    assert_eq!(keys(&cache), [1, 2]);
    cache.assert_invariants();
}

#[test]
fn capacity_error_messages() {
    assert_eq!(CapacityError::ZeroCapacity.to_string(), "capacity must be at least 1");
    assert_eq!(CapacityError::ZeroMaxWeight.to_string(), "maximum weight must be at least 1");
    let too_large = CapacityError::TooLarge { requested: MAX_CAPACITY + 1 };
    assert_eq!(
        too_large.to_string(),
        format!("capacity {} is above the limit of {MAX_CAPACITY}", MAX_CAPACITY + 1)
    );
    let boxed: Box<dyn std::error::Error> = Box::new(too_large);
    assert!(boxed.source().is_none());
}

#[test]
fn refused_weights_leave_the_old_entry_and_its_recency_intact() {
    let mut cache = LruCache::with_max_weight(4, 10).unwrap();
    cache.put_weighted("a", 1, 3).unwrap();
    cache.put_weighted("b", 2, 3).unwrap();
    cache.put_weighted("c", 3, 3).unwrap();

    let refused = cache.put_weighted("a", 10, 11).unwrap_err();
    assert_eq!(
        refused,
        Refused { key: "a", value: 10, error: WeightError::TooHeavy { weight: 11, max_weight: 10 } }
    );
    assert_eq!(refused.to_string(), "entry weight 11 is above the cache's maximum weight 10");
    let refused = cache.push_weighted("a", 10, 0).unwrap_err();
    assert_eq!((refused.key, refused.value, refused.error), ("a", 10, WeightError::Zero));
    assert_eq!(refused.to_string(), "entry weight must be at least 1");

    assert_eq!(cache.peek(&"a"), Some(&1), "the old value stays");
    assert_eq!(cache.weight(), 9, "the old weight stays");
    assert_eq!(keys(&cache), ["c", "b", "a"], "a refused insert is not a use");
    cache.assert_invariants();

    // A refused weight for a new key evicts nothing.
    assert!(cache.put_weighted("d", 4, 11).is_err());
    assert_eq!(keys(&cache), ["c", "b", "a"]);
}

#[test]
fn refused_is_an_error_with_the_weight_error_inside() {
    let refused = Refused { key: 1u8, value: "v", error: WeightError::Zero };
    let err: &dyn std::error::Error = &refused;
    assert_eq!(err.to_string(), WeightError::Zero.to_string());
    let clone = refused.clone();
    assert_eq!(clone, refused);
    assert!(format!("{refused:?}").contains("Zero"));
}

#[test]
fn a_weight_equal_to_the_budget_fits_and_evicts_everything_else() {
    let mut cache = LruCache::with_max_weight(8, 10).unwrap();
    for k in 0..5 {
        cache.put_weighted(k, (), 2).unwrap();
    }
    let out = cache.push_weighted(9, (), 10).unwrap();
    assert_eq!(out.iter().map(|e| e.0).collect::<Vec<_>>(), [0, 1, 2, 3, 4]);
    assert_eq!((cache.len(), cache.weight()), (1, 10));
    // Lightening an entry evicts nothing.
    assert_eq!(cache.push_weighted(9, (), 1).unwrap(), [(9, ())]);
    assert_eq!((cache.len(), cache.weight()), (1, 1));
}

#[test]
fn removing_the_weight_budget() {
    let mut cache = LruCache::with_max_weight(4, 10).unwrap();
    cache.put_weighted(1, (), 10).unwrap();
    cache.set_max_weight(None).unwrap();
    assert_eq!(cache.max_weight(), None);
    cache.put_weighted(2, (), u64::MAX - 10).unwrap();
    assert_eq!((cache.len(), cache.weight()), (2, u64::MAX));
    // Any further weight now forces evictions, oldest first.
    assert_eq!(cache.push_weighted(3, (), 1).unwrap(), [(1, ())]);
    assert_eq!(keys(&cache), [3, 2]);
    cache.assert_invariants();
}

#[test]
fn borrowed_lookups_on_string_keys() {
    let mut cache: LruCache<String, Vec<u8>> = LruCache::new(4).unwrap();
    cache.put("a".to_string(), vec![1]);
    cache.put("b".to_string(), vec![2]);
    assert!(cache.contains("a"));
    assert_eq!(cache.peek("a"), Some(&vec![1]));
    assert_eq!(keys_of(&cache), ["b", "a"], "peek is not a use");
    assert_eq!(cache.get("a"), Some(&vec![1]));
    assert_eq!(keys_of(&cache), ["a", "b"]);
    cache.get_mut("b").unwrap().push(3);
    cache.peek_mut("a").unwrap().push(4);
    assert_eq!(cache.peek("b"), Some(&vec![2, 3]));
    assert_eq!(cache.peek("a"), Some(&vec![1, 4]));
    assert_eq!(cache.remove("a"), Some(vec![1, 4]));
    assert_eq!(cache.remove_entry("b"), Some(("b".to_string(), vec![2, 3])));
    assert!(cache.get("zz").is_none() && cache.remove("zz").is_none());
    assert!(cache.is_empty());

    fn keys_of(cache: &LruCache<String, Vec<u8>>) -> Vec<&str> {
        cache.keys().map(String::as_str).collect()
    }
}

#[test]
fn borrowed_lookups_on_byte_vector_keys() {
    let mut cache: LruCache<Vec<u8>, u32> = LruCache::new(2).unwrap();
    cache.put(b"key".to_vec(), 7);
    assert_eq!(cache.get(&b"key"[..]), Some(&7));
    assert_eq!(cache.remove(&b"key"[..]), Some(7));
}

#[test]
fn a_custom_hasher_is_used_and_kept() {
    let mut cache = LruCache::with_hasher(2, Some(5), RandomState::new()).unwrap();
    cache.put_weighted("a", 1, 5).unwrap();
    cache.put("b", 2);
    assert_eq!(cache.iter().collect::<Vec<_>>(), [(&"b", &2)]);
    let _: &RandomState = cache.hasher();
    cache.assert_invariants();
}

#[test]
fn debug_output_lists_entries_newest_first() {
    let mut cache = LruCache::new(3).unwrap();
    assert_eq!(format!("{cache:?}"), "{}");
    cache.put("a", 1);
    cache.put("b", 2);
    cache.get(&"a");
    assert_eq!(format!("{cache:?}"), r#"{"a": 1, "b": 2}"#);
    assert_eq!(format!("{cache:#?}"), "{\n    \"a\": 1,\n    \"b\": 2,\n}");
}

#[test]
fn a_clone_is_independent_and_keeps_order_and_bounds() {
    let mut cache = LruCache::with_max_weight(3, 9).unwrap();
    cache.put_weighted(1, "one".to_string(), 2).unwrap();
    cache.put_weighted(2, "two".to_string(), 3).unwrap();
    cache.get(&1);
    let mut copy = cache.clone();
    assert_eq!(format!("{copy:?}"), format!("{cache:?}"));
    assert_eq!((copy.cap(), copy.max_weight(), copy.weight()), (3, Some(9), 5));
    copy.put(3, "three".to_string());
    copy.get_mut(&2).unwrap().push('!');
    copy.assert_invariants();
    assert_eq!(keys(&copy), [2, 3, 1]);
    assert_eq!(keys(&cache), [1, 2]);
    assert_eq!(cache.peek(&2).map(String::as_str), Some("two"));
    cache.assert_invariants();
}

#[test]
fn iterators_mix_next_and_next_back() {
    let mut cache = LruCache::new(8).unwrap();
    for k in 0..5 {
        cache.put(k, k * 10);
    }
    // Newest first: 4 3 2 1 0.
    let mut iter = cache.iter();
    assert_eq!(iter.len(), 5);
    assert_eq!(iter.next(), Some((&4, &40)));
    assert_eq!(iter.next_back(), Some((&0, &0)));
    assert_eq!(iter.len(), 3);
    assert_eq!(iter.size_hint(), (3, Some(3)));
    assert_eq!(iter.next_back(), Some((&1, &10)));
    assert_eq!(iter.next(), Some((&3, &30)));
    assert_eq!(iter.next_back(), Some((&2, &20)));
    assert_eq!(iter.len(), 0);
    assert_eq!(iter.next(), None);
    assert_eq!(iter.next_back(), None);
    assert_eq!(iter.next(), None);

    let mut keys = cache.keys();
    assert_eq!((keys.next(), keys.next_back(), keys.len()), (Some(&4), Some(&0), 3));
    let mut values = cache.values().rev();
    assert_eq!((values.next(), values.next_back(), values.len()), (Some(&0), Some(&40), 3));
    assert_eq!(cache.values().rev().nth(1), Some(&10));

    let mut seen = Vec::new();
    for (k, v) in &cache {
        seen.push((*k, *v));
    }
    assert_eq!(seen.len(), cache.len());
    assert_eq!(cache.iter().count(), 5);
    assert_eq!(cache.iter().next_back(), Some((&0, &0)));
}

#[test]
fn order_iterator_mixes_next_and_next_back() {
    let mut order = Order::new(4, None).unwrap();
    let slots: Vec<u32> = (0..4).map(|_| order.insert(1, |_| {}).unwrap()).collect();
    let mut iter = order.iter();
    assert_eq!(iter.next_back(), Some(slots[0]));
    assert_eq!(iter.next(), Some(slots[3]));
    assert_eq!(iter.len(), 2);
    let rest: Vec<u32> = iter.clone().collect();
    assert_eq!(rest, [slots[2], slots[1]]);
    assert_eq!(iter.next_back(), Some(slots[1]));
    assert_eq!(iter.next_back(), Some(slots[2]));
    assert_eq!((iter.next(), iter.next_back()), (None, None));
}

#[test]
fn empty_cache_edges() {
    let mut cache: LruCache<u8, u8> = LruCache::new(1).unwrap();
    assert_eq!(cache.pop_lru(), None);
    assert_eq!(cache.peek_lru(), None);
    assert_eq!(cache.get(&0), None);
    assert_eq!(cache.iter().next_back(), None);
    cache.retain(|_, _| unreachable!("nothing to visit"));
    cache.clear();
    assert_eq!(cache.push(1, 1), None);
    assert_eq!(cache.push(2, 2), Some((1, 1)), "a capacity-1 cache keeps the newest only");
    assert_eq!(cache.put(3, 3), None);
    assert_eq!(keys(&cache), [3]);
}

#[test]
fn a_miss_does_not_change_recency() {
    let mut cache = LruCache::new(2).unwrap();
    cache.put(1, ());
    cache.put(2, ());
    assert!(cache.get(&3).is_none());
    assert!(cache.get_mut(&3).is_none());
    assert!(cache.remove(&3).is_none());
    cache.put(4, ());
    assert_eq!(keys(&cache), [4, 2]);
}

#[test]
fn put_replaces_the_stored_key_too() {
    // Keys that compare equal but are distinguishable: the newest key is kept.
    #[derive(Debug, Clone, Copy)]
    struct Tagged(u8, char);
    impl PartialEq for Tagged {
        fn eq(&self, other: &Self) -> bool {
            self.0 == other.0
        }
    }
    impl Eq for Tagged {}
    impl std::hash::Hash for Tagged {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            self.0.hash(state);
        }
    }
    let mut cache = LruCache::new(2).unwrap();
    cache.put(Tagged(1, 'x'), ());
    let (old, ()) = cache.push(Tagged(1, 'y'), ()).unwrap();
    assert_eq!(old.1, 'x');
    assert_eq!(cache.keys().next().map(|k| k.1), Some('y'));
}

#[test]
#[should_panic(expected = "touch of a slot that is not live")]
fn order_touch_of_a_free_slot_panics() {
    let mut order = Order::new(2, None).unwrap();
    let slot = order.insert(1, |_| {}).unwrap();
    order.remove(slot);
    order.touch(slot);
}

#[test]
#[should_panic(expected = "remove of a slot that is not live")]
fn order_remove_of_an_unknown_slot_panics() {
    let mut order = Order::new(2, None).unwrap();
    order.remove(7);
}

#[test]
#[should_panic(expected = "not live")]
fn order_reweigh_of_an_unknown_slot_panics() {
    let mut order = Order::new(2, None).unwrap();
    let _ = order.reweigh(0, 1, |_| {});
}

#[test]
#[should_panic(expected = "not live")]
fn order_reweigh_of_an_unknown_slot_panics_even_with_a_refused_weight() {
    let mut order = Order::new(2, Some(10)).unwrap();
    let _ = order.reweigh(0, 11, |_| {});
}

#[test]
fn order_reweigh_refused_leaves_the_slot_as_it_was() {
    let mut order = Order::new(3, Some(10)).unwrap();
    let a = order.insert(4, |_| {}).unwrap();
    let b = order.insert(4, |_| {}).unwrap();
    assert_eq!(
        order.reweigh(a, 11, |_| unreachable!()),
        Err(WeightError::TooHeavy { weight: 11, max_weight: 10 })
    );
    assert_eq!(order.reweigh(a, 0, |_| unreachable!()), Err(WeightError::Zero));
    assert_eq!(order.iter().collect::<Vec<_>>(), [b, a], "not touched");
    assert_eq!((order.weight_of(a), order.weight()), (Some(4), 8));
    order.assert_invariants();
}

#[test]
fn order_clear_restarts_slot_numbers_and_keeps_bounds() {
    let mut order = Order::new(3, Some(10)).unwrap();
    for _ in 0..3 {
        order.insert(2, |_| {}).unwrap();
    }
    order.clear();
    assert_eq!(
        (order.len(), order.slots(), order.weight(), order.cap(), order.max_weight()),
        (0, 0, 0, 3, 10)
    );
    assert_eq!(order.insert(1, |_| {}), Ok(0));
    assert_eq!((order.newest(), order.oldest()), (Some(0), Some(0)));
    order.assert_invariants();
}

#[test]
fn long_churn_keeps_every_entry_findable() {
    // Evicting on every insertion fills hashbrown's index with tombstones, which the
    // cache clears by rebuilding it: entries must survive every rebuild, in order.
    for cap in [1, 7, 100, 1000] {
        let mut cache = LruCache::new(cap).unwrap();
        // Newest first.
        let mut model = std::collections::VecDeque::new();
        let put = |cache: &mut LruCache<u64, u64>, model: &mut std::collections::VecDeque<u64>, k: u64| {
            cache.put(k, k * 2);
            model.retain(|&m| m != k);
            model.push_front(k);
            model.truncate(cap);
        };
        for k in 0u64..30_000 {
            put(&mut cache, &mut model, k);
            // Hits and removals in between, to vary the index.
            if k % 7 == 0 {
                let hit = model.iter().position(|&m| m == k / 2);
                assert_eq!(cache.get(&(k / 2)).copied(), hit.map(|_| k / 2 * 2));
                if let Some(i) = hit {
                    model.remove(i);
                    model.push_front(k / 2);
                }
            }
            if k % 11 == 10 {
                let hit = model.iter().position(|&m| m == k - 1);
                assert_eq!(cache.remove(&(k - 1)), hit.map(|_| (k - 1) * 2));
                if let Some(i) = hit {
                    model.remove(i);
                }
            }
            if k % 4_999 == 0 {
                cache.assert_invariants();
            }
        }
        cache.assert_invariants();
        assert_eq!(keys(&cache), Vec::from(model), "cap {cap}");
    }
}

/// What the one-line doctests of `Order`'s accessors used to show, in one place.
#[test]
fn order_accessors_and_slot_numbers() {
    let mut order = Order::new(4, Some(100)).unwrap();
    assert!(order.is_empty());
    assert_eq!((order.cap(), order.max_weight(), order.slots()), (4, 100, 0));
    assert_eq!(Order::new(4, None).unwrap().max_weight(), u64::MAX);
    let a = order.insert(30, |_| {}).unwrap();
    let b = order.insert(7, |_| {}).unwrap();
    assert_eq!((order.len(), order.weight()), (2, 37));
    assert_eq!((order.weight_of(a), order.weight_of(b), order.weight_of(b + 1)), (Some(30), Some(7), None));
    assert_eq!((order.newest(), order.oldest()), (Some(b), Some(a)));
    order.touch(a);
    assert_eq!((order.newest(), order.oldest()), (Some(a), Some(b)));
    assert_eq!(order.check_weight(100), Ok(()));
    assert_eq!(order.check_weight(101), Err(WeightError::TooHeavy { weight: 101, max_weight: 100 }));
    assert_eq!(order.check_weight(0), Err(WeightError::Zero));
    assert_eq!(order.remove(b), 7);
    assert!(!order.contains(b) && order.contains(a));
    assert_eq!(order.slots(), 2, "a removed slot's number stays handed out");
    assert_eq!(order.insert(1, |_| {}).unwrap(), b, "and is reused first");
    assert_eq!(order.pop_oldest(), Some(a));
    assert_eq!((&order).into_iter().collect::<Vec<_>>(), [b]);
    order.clear();
    assert_eq!((order.len(), order.slots(), order.weight(), order.pop_oldest()), (0, 0, 0, None));
    assert_eq!(order.insert(1, |_| {}).unwrap(), 0, "slot numbers start over after clear");
    order.assert_invariants();
}

#[test]
#[should_panic(expected = "not live")]
fn touching_a_slot_that_is_not_live_panics() {
    let mut order = Order::new(4, None).unwrap();
    let a = order.insert(1, |_| {}).unwrap();
    order.remove(a);
    order.touch(a);
}
