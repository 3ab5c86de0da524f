//! Model-based property tests: random operation sequences run against `LruCache` and
//! `Order` and against simple, obviously correct reference models (a `VecDeque`,
//! newest first, searched linearly). Every result and every observable property is
//! compared after each step, and the structures' own invariant checks are run too.

use std::collections::VecDeque;

use edge_lru::{CapacityError, LruCache, Order, WeightError, MAX_CAPACITY};
use proptest::prelude::*;

const CASES: u32 = 384;
const MAX_OPS: usize = 200;

/// Weights: mostly small, sometimes refused (0, or above any budget the tests use),
/// sometimes huge, to exercise the weight arithmetic of unbounded caches near `u64::MAX`.
fn weight() -> impl Strategy<Value = u64> {
    prop_oneof![
        12 => 1u64..=20,
        1 => Just(0u64),
        1 => 21u64..=60,
        1 => Just(1u64 << 63),
        1 => (u64::MAX - 3)..=u64::MAX,
    ]
}

fn max_weight() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![2 => Just(None), 3 => (1u64..=40).prop_map(Some), 1 => Just(Some(0))]
}

fn cap() -> impl Strategy<Value = usize> {
    prop_oneof![10 => 1usize..=8, 1 => Just(0usize), 1 => Just(MAX_CAPACITY + 1)]
}

/// The reference model's view of a budget: `u64::MAX` stands for "none", as in `Order`.
fn budget(max_weight: Option<u64>) -> u64 {
    max_weight.unwrap_or(u64::MAX)
}

fn check_cap(cap: usize) -> Result<usize, CapacityError> {
    match cap {
        0 => Err(CapacityError::ZeroCapacity),
        c if c > MAX_CAPACITY => Err(CapacityError::TooLarge { requested: c }),
        c => Ok(c),
    }
}

fn check_max_weight(max_weight: Option<u64>) -> Result<u64, CapacityError> {
    match max_weight {
        Some(0) => Err(CapacityError::ZeroMaxWeight),
        m => Ok(budget(m)),
    }
}

fn check_weight(weight: u64, max: u64) -> Result<(), WeightError> {
    if weight == 0 {
        Err(WeightError::Zero)
    } else if weight > max {
        Err(WeightError::TooHeavy { weight, max_weight: max })
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------
// LruCache
// ---------------------------------------------------------------------------------

type K = u8;
type V = u32;

/// The entries that leave on an insertion: the replaced one, then the evicted ones.
type Left = (Option<(K, V)>, Vec<(K, V)>);

/// Newest first; `(key, value, weight)`.
#[derive(Debug, Clone)]
struct Model {
    entries: VecDeque<(K, V, u64)>,
    cap: usize,
    max: u64,
}

impl Model {
    fn pos(&self, k: K) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == k)
    }

    fn weight(&self) -> u128 {
        self.entries.iter().map(|e| u128::from(e.2)).sum()
    }

    fn touch(&mut self, k: K) -> Option<&mut V> {
        let i = self.pos(k)?;
        let e = self.entries.remove(i).unwrap();
        self.entries.push_front(e);
        Some(&mut self.entries[0].1)
    }

    fn evict(&mut self) -> Vec<(K, V)> {
        let mut out = Vec::new();
        while self.entries.len() > self.cap || self.weight() > u128::from(self.max) {
            let (k, v, _) = self.entries.pop_back().unwrap();
            out.push((k, v));
        }
        out
    }

    /// Every entry that leaves: the replaced one first, then evictions oldest first.
    fn push(&mut self, k: K, v: V, w: u64) -> Result<Left, WeightError> {
        check_weight(w, self.max)?;
        let replaced = self.pos(k).map(|i| {
            let (k, v, _) = self.entries.remove(i).unwrap();
            (k, v)
        });
        self.entries.push_front((k, v, w));
        let evicted = self.evict();
        assert_ne!(self.entries.front().map(|e| e.0), None, "model evicted the new entry");
        assert_eq!(self.entries[0].0, k, "model evicted the new entry");
        Ok((replaced, evicted))
    }

    fn remove(&mut self, k: K) -> Option<(K, V)> {
        let (k, v, _) = self.entries.remove(self.pos(k)?)?;
        Some((k, v))
    }
}

#[derive(Debug, Clone)]
enum Op {
    Get(K),
    GetMut(K),
    Peek(K),
    PeekMut(K),
    Contains(K),
    Put(K, V),
    Push(K, V),
    PutWeighted(K, V, u64),
    PushWeighted(K, V, u64),
    Remove(K),
    RemoveEntry(K),
    PopLru,
    PeekLru,
    Clear,
    Resize(usize),
    SetMaxWeight(Option<u64>),
    Retain(u16),
    Iter,
    IterMixed(u32),
    Clone,
}

fn key() -> impl Strategy<Value = K> {
    0u8..16
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => key().prop_map(Op::Get),
        2 => key().prop_map(Op::GetMut),
        2 => key().prop_map(Op::Peek),
        2 => key().prop_map(Op::PeekMut),
        2 => key().prop_map(Op::Contains),
        6 => (key(), any::<V>()).prop_map(|(k, v)| Op::Put(k, v)),
        3 => (key(), any::<V>()).prop_map(|(k, v)| Op::Push(k, v)),
        5 => (key(), any::<V>(), weight()).prop_map(|(k, v, w)| Op::PutWeighted(k, v, w)),
        3 => (key(), any::<V>(), weight()).prop_map(|(k, v, w)| Op::PushWeighted(k, v, w)),
        2 => key().prop_map(Op::Remove),
        2 => key().prop_map(Op::RemoveEntry),
        2 => Just(Op::PopLru),
        1 => Just(Op::PeekLru),
        1 => Just(Op::Clear),
        1 => cap().prop_map(Op::Resize),
        1 => max_weight().prop_map(Op::SetMaxWeight),
        1 => any::<u16>().prop_map(Op::Retain),
        1 => Just(Op::Iter),
        1 => any::<u32>().prop_map(Op::IterMixed),
        1 => Just(Op::Clone),
    ]
}

fn mutate(v: &mut V) {
    *v = v.wrapping_mul(3).wrapping_add(1);
}

fn check_cache(cache: &LruCache<K, V>, model: &Model) {
    cache.assert_invariants();
    assert_eq!(cache.len(), model.entries.len());
    assert_eq!(cache.is_empty(), model.entries.is_empty());
    assert_eq!(u128::from(cache.weight()), model.weight());
    assert_eq!(cache.cap(), model.cap);
    assert_eq!(cache.max_weight(), Some(model.max).filter(|&m| m != u64::MAX));
    let got: Vec<(K, V)> = cache.iter().map(|(k, v)| (*k, *v)).collect();
    let want: Vec<(K, V)> = model.entries.iter().map(|e| (e.0, e.1)).collect();
    assert_eq!(got, want);
    assert_eq!(cache.peek_lru().map(|(k, v)| (*k, *v)), want.last().copied());
}

fn run_cache(cap: usize, max_weight: Option<u64>, ops: &[Op]) {
    let made = match max_weight {
        None => LruCache::new(cap),
        Some(m) => LruCache::with_max_weight(cap, m),
    };
    let (cap, max) = match (check_cap(cap), check_max_weight(max_weight)) {
        (Ok(c), Ok(m)) => (c, m),
        (Err(e), _) | (Ok(_), Err(e)) => {
            assert_eq!(made.err(), Some(e));
            return;
        }
    };
    let mut cache: LruCache<K, V> = made.expect("valid bounds");
    let mut model = Model { entries: VecDeque::new(), cap, max };
    check_cache(&cache, &model);

    for op in ops {
        match *op {
            Op::Get(k) => assert_eq!(cache.get(&k).copied(), model.touch(k).map(|v| *v)),
            Op::GetMut(k) => {
                let got = cache.get_mut(&k).map(|v| {
                    mutate(v);
                    *v
                });
                let want = model.touch(k).map(|v| {
                    mutate(v);
                    *v
                });
                assert_eq!(got, want);
            }
            Op::Peek(k) => {
                let want = model.pos(k).map(|i| model.entries[i].1);
                assert_eq!(cache.peek(&k).copied(), want);
            }
            Op::PeekMut(k) => {
                let got = cache.peek_mut(&k).map(|v| {
                    mutate(v);
                    *v
                });
                let want = model.pos(k).map(|i| {
                    mutate(&mut model.entries[i].1);
                    model.entries[i].1
                });
                assert_eq!(got, want);
            }
            Op::Contains(k) => assert_eq!(cache.contains(&k), model.pos(k).is_some()),
            Op::Put(k, v) => {
                let (replaced, _) = model.push(k, v, 1).expect("weight 1 always fits");
                assert_eq!(cache.put(k, v), replaced.map(|(_, v)| v));
            }
            Op::Push(k, v) => {
                let (replaced, evicted) = model.push(k, v, 1).expect("weight 1 always fits");
                let want = match replaced {
                    Some(r) => {
                        assert!(evicted.is_empty(), "replacing at weight 1 evicts nothing");
                        Some(r)
                    }
                    None => {
                        assert!(evicted.len() <= 1, "a weight-1 insertion evicts at most one");
                        evicted.into_iter().next()
                    }
                };
                assert_eq!(cache.push(k, v), want);
            }
            Op::PutWeighted(k, v, w) => {
                let got = cache.put_weighted(k, v, w);
                match model.push(k, v, w) {
                    Ok((replaced, _)) => assert_eq!(got, Ok(replaced.map(|(_, v)| v))),
                    Err(error) => {
                        let refused = got.expect_err("the model refused this weight");
                        assert_eq!((refused.key, refused.value, refused.error), (k, v, error));
                    }
                }
            }
            Op::PushWeighted(k, v, w) => {
                let got = cache.push_weighted(k, v, w);
                match model.push(k, v, w) {
                    Ok((replaced, evicted)) => {
                        let want: Vec<(K, V)> = replaced.into_iter().chain(evicted).collect();
                        assert_eq!(got, Ok(want));
                    }
                    Err(error) => {
                        let refused = got.expect_err("the model refused this weight");
                        assert_eq!((refused.key, refused.value, refused.error), (k, v, error));
                    }
                }
            }
            Op::Remove(k) => assert_eq!(cache.remove(&k), model.remove(k).map(|(_, v)| v)),
            Op::RemoveEntry(k) => assert_eq!(cache.remove_entry(&k), model.remove(k)),
            Op::PopLru => {
                let want = model.entries.pop_back().map(|(k, v, _)| (k, v));
                assert_eq!(cache.pop_lru(), want);
            }
            Op::PeekLru => {
                let want = model.entries.back().map(|e| (e.0, e.1));
                assert_eq!(cache.peek_lru().map(|(k, v)| (*k, *v)), want);
            }
            Op::Clear => {
                cache.clear();
                model.entries.clear();
            }
            Op::Resize(cap) => {
                let got = cache.resize(cap);
                match check_cap(cap) {
                    Ok(c) => {
                        assert_eq!(got, Ok(()));
                        model.cap = c;
                        model.evict();
                    }
                    Err(e) => assert_eq!(got, Err(e)),
                }
            }
            Op::SetMaxWeight(m) => {
                let got = cache.set_max_weight(m);
                match check_max_weight(m) {
                    Ok(max) => {
                        assert_eq!(got, Ok(()));
                        model.max = max;
                        model.evict();
                    }
                    Err(e) => assert_eq!(got, Err(e)),
                }
            }
            Op::Retain(mask) => {
                let keep = |k: K| mask & (1 << k) != 0;
                let mut visited = Vec::new();
                cache.retain(|k, v| {
                    visited.push(*k);
                    if keep(*k) {
                        mutate(v);
                    }
                    keep(*k)
                });
                let mut expected_visits: Vec<K> = model.entries.iter().map(|e| e.0).collect();
                visited.sort_unstable();
                expected_visits.sort_unstable();
                assert_eq!(visited, expected_visits, "retain visits every entry once");
                model.entries.retain_mut(|e| {
                    if keep(e.0) {
                        mutate(&mut e.1);
                    }
                    keep(e.0)
                });
            }
            Op::Iter => {
                let keys: Vec<K> = model.entries.iter().map(|e| e.0).collect();
                let values: Vec<V> = model.entries.iter().map(|e| e.1).collect();
                assert_eq!(cache.keys().copied().collect::<Vec<_>>(), keys);
                assert_eq!(cache.values().copied().collect::<Vec<_>>(), values);
                let rev_keys: Vec<K> = keys.iter().rev().copied().collect();
                let rev_values: Vec<V> = values.iter().rev().copied().collect();
                assert_eq!(cache.keys().rev().copied().collect::<Vec<_>>(), rev_keys);
                assert_eq!(cache.values().rev().copied().collect::<Vec<_>>(), rev_values);
                let rev: Vec<(K, V)> = cache.iter().rev().map(|(k, v)| (*k, *v)).collect();
                let want: Vec<(K, V)> = model.entries.iter().rev().map(|e| (e.0, e.1)).collect();
                assert_eq!(rev, want);
                assert_eq!(cache.keys().len(), keys.len());
                assert_eq!(cache.values().len(), keys.len());
                assert_eq!((&cache).into_iter().len(), keys.len());
            }
            Op::IterMixed(bits) => {
                // Take from either end as `bits` says; the iterator must meet in the middle.
                let mut want: VecDeque<(K, V)> = model.entries.iter().map(|e| (e.0, e.1)).collect();
                let mut iter = cache.iter();
                for i in 0..=want.len() + 1 {
                    assert_eq!(iter.len(), want.len());
                    assert_eq!(iter.size_hint(), (want.len(), Some(want.len())));
                    let (got, expected) = if bits & (1 << (i % 32)) != 0 {
                        (iter.next_back(), want.pop_back())
                    } else {
                        (iter.next(), want.pop_front())
                    };
                    assert_eq!(got.map(|(k, v)| (*k, *v)), expected);
                }
                assert_eq!(iter.next(), None);
                assert_eq!(iter.next_back(), None);
            }
            Op::Clone => {
                let copy = cache.clone();
                check_cache(&copy, &model);
                assert_eq!(format!("{copy:?}"), format!("{cache:?}"));
                cache = copy;
            }
        }
        check_cache(&cache, &model);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn lru_cache_matches_model(
        cap in cap(),
        max_weight in max_weight(),
        ops in proptest::collection::vec(op(), 0..=MAX_OPS),
    ) {
        run_cache(cap, max_weight, &ops);
    }
}

// ---------------------------------------------------------------------------------
// Order
// ---------------------------------------------------------------------------------

/// Newest first; `(slot, weight)`, plus the free-slot stack (last freed on top) and the
/// number of slot numbers handed out.
#[derive(Debug)]
struct OrderModel {
    live: VecDeque<(u32, u64)>,
    free: Vec<u32>,
    slots: u32,
    cap: usize,
    max: u64,
}

impl OrderModel {
    fn weight(&self) -> u128 {
        self.live.iter().map(|e| u128::from(e.1)).sum()
    }

    fn release(&mut self, slot: u32) {
        self.free.push(slot);
    }

    fn evict(&mut self, extra_len: usize, extra_weight: u64) -> Vec<u32> {
        let mut out = Vec::new();
        while self.live.len() + extra_len > self.cap
            || self.weight() + u128::from(extra_weight) > u128::from(self.max)
        {
            let (slot, _) = self.live.pop_back().expect("the budget admits the new entry alone");
            self.release(slot);
            out.push(slot);
        }
        out
    }

    fn position(&self, slot: u32) -> Option<usize> {
        self.live.iter().position(|e| e.0 == slot)
    }
}

#[derive(Debug, Clone)]
enum OrderOp {
    Insert(u64),
    Touch(prop::sample::Index),
    Reweigh(prop::sample::Index, u64),
    Remove(prop::sample::Index),
    PopOldest,
    Resize(usize),
    SetMaxWeight(Option<u64>),
    Clear,
    Iter(u32),
    /// Operations on a slot that may not be live: the ones that must not panic.
    Probe(u32),
}

fn order_op() -> impl Strategy<Value = OrderOp> {
    prop_oneof![
        10 => weight().prop_map(OrderOp::Insert),
        4 => any::<prop::sample::Index>().prop_map(OrderOp::Touch),
        3 => (any::<prop::sample::Index>(), weight()).prop_map(|(i, w)| OrderOp::Reweigh(i, w)),
        3 => any::<prop::sample::Index>().prop_map(OrderOp::Remove),
        2 => Just(OrderOp::PopOldest),
        1 => cap().prop_map(OrderOp::Resize),
        1 => max_weight().prop_map(OrderOp::SetMaxWeight),
        1 => Just(OrderOp::Clear),
        1 => any::<u32>().prop_map(OrderOp::Iter),
        2 => (0u32..12).prop_map(OrderOp::Probe),
    ]
}

fn check_order(order: &Order, model: &OrderModel) {
    order.assert_invariants();
    assert_eq!(order.len(), model.live.len());
    assert_eq!(order.is_empty(), model.live.is_empty());
    assert_eq!(order.cap(), model.cap);
    assert_eq!(order.max_weight(), model.max);
    assert_eq!(u128::from(order.weight()), model.weight());
    assert_eq!(order.slots(), model.slots as usize);
    assert_eq!(order.newest(), model.live.front().map(|e| e.0));
    assert_eq!(order.oldest(), model.live.back().map(|e| e.0));
    let want: Vec<u32> = model.live.iter().map(|e| e.0).collect();
    assert_eq!(order.iter().collect::<Vec<_>>(), want);
    for slot in 0..=model.slots + 1 {
        let weight = model.position(slot).map(|i| model.live[i].1);
        assert_eq!(order.weight_of(slot), weight, "weight_of({slot})");
        assert_eq!(order.contains(slot), weight.is_some(), "contains({slot})");
    }
}

fn run_order(cap: usize, max_weight: Option<u64>, ops: &[OrderOp]) {
    let made = Order::new(cap, max_weight);
    let (cap, max) = match (check_cap(cap), check_max_weight(max_weight)) {
        (Ok(c), Ok(m)) => (c, m),
        (Err(e), _) | (Ok(_), Err(e)) => {
            assert_eq!(made.err(), Some(e));
            return;
        }
    };
    let mut order = made.expect("valid bounds");
    let mut model = OrderModel { live: VecDeque::new(), free: Vec::new(), slots: 0, cap, max };
    check_order(&order, &model);

    for op in ops {
        match op {
            &OrderOp::Insert(w) => {
                let mut evicted = Vec::new();
                let got = order.insert(w, |slot| evicted.push(slot));
                assert_eq!(order.check_weight(w), check_weight(w, model.max));
                match check_weight(w, model.max) {
                    Ok(()) => {
                        let want_evicted = model.evict(1, w);
                        let slot = model.free.pop().unwrap_or_else(|| {
                            model.slots += 1;
                            model.slots - 1
                        });
                        model.live.push_front((slot, w));
                        assert_eq!(evicted, want_evicted, "evicted slots, oldest first");
                        assert_eq!(got, Ok(slot), "the last freed slot is reused first");
                    }
                    Err(e) => {
                        assert_eq!(got, Err(e));
                        assert!(evicted.is_empty(), "a refused insert evicts nothing");
                    }
                }
            }
            OrderOp::Touch(i) => {
                if model.live.is_empty() {
                    continue;
                }
                let e = model.live.remove(i.index(model.live.len())).unwrap();
                order.touch(e.0);
                model.live.push_front(e);
            }
            &OrderOp::Reweigh(ref i, w) => {
                if model.live.is_empty() {
                    continue;
                }
                let at = i.index(model.live.len());
                let slot = model.live[at].0;
                let mut evicted = Vec::new();
                let got = order.reweigh(slot, w, |s| evicted.push(s));
                match check_weight(w, model.max) {
                    Ok(()) => {
                        model.live.remove(at);
                        let want_evicted = model.evict(1, w);
                        model.live.push_front((slot, w));
                        assert_eq!(got, Ok(()));
                        assert_eq!(evicted, want_evicted, "evicted slots, oldest first");
                    }
                    Err(e) => {
                        assert_eq!(got, Err(e), "a refused reweigh leaves the slot as it was");
                        assert!(evicted.is_empty());
                    }
                }
            }
            OrderOp::Remove(i) => {
                if model.live.is_empty() {
                    continue;
                }
                let (slot, w) = model.live.remove(i.index(model.live.len())).unwrap();
                model.release(slot);
                assert_eq!(order.remove(slot), w);
            }
            OrderOp::PopOldest => {
                let want = model.live.pop_back().map(|e| e.0);
                if let Some(slot) = want {
                    model.release(slot);
                }
                assert_eq!(order.pop_oldest(), want);
            }
            &OrderOp::Resize(cap) => {
                let mut evicted = Vec::new();
                let got = order.resize(cap, |s| evicted.push(s));
                match check_cap(cap) {
                    Ok(c) => {
                        model.cap = c;
                        assert_eq!(got, Ok(()));
                        assert_eq!(evicted, model.evict(0, 0));
                    }
                    Err(e) => {
                        assert_eq!(got, Err(e));
                        assert!(evicted.is_empty());
                    }
                }
            }
            &OrderOp::SetMaxWeight(m) => {
                let mut evicted = Vec::new();
                let got = order.set_max_weight(m, |s| evicted.push(s));
                match check_max_weight(m) {
                    Ok(max) => {
                        model.max = max;
                        assert_eq!(got, Ok(()));
                        assert_eq!(evicted, model.evict(0, 0));
                    }
                    Err(e) => {
                        assert_eq!(got, Err(e));
                        assert!(evicted.is_empty());
                    }
                }
            }
            OrderOp::Clear => {
                order.clear();
                model.live.clear();
                model.free.clear();
                model.slots = 0;
            }
            &OrderOp::Iter(bits) => {
                let want: Vec<u32> = model.live.iter().map(|e| e.0).collect();
                let rev: Vec<u32> = want.iter().rev().copied().collect();
                assert_eq!(order.iter().rev().collect::<Vec<_>>(), rev);
                let mut want: VecDeque<u32> = want.into();
                let mut iter = order.iter();
                for i in 0..=want.len() + 1 {
                    assert_eq!(iter.len(), want.len());
                    if bits & (1 << (i % 32)) != 0 {
                        assert_eq!(iter.next_back(), want.pop_back());
                    } else {
                        assert_eq!(iter.next(), want.pop_front());
                    }
                }
            }
            &OrderOp::Probe(slot) => {
                let weight = model.position(slot).map(|i| model.live[i].1);
                assert_eq!(order.weight_of(slot), weight);
                assert_eq!(order.contains(slot), weight.is_some());
            }
        }
        check_order(&order, &model);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    #[test]
    fn order_matches_model(
        cap in cap(),
        max_weight in max_weight(),
        ops in proptest::collection::vec(order_op(), 0..=MAX_OPS),
    ) {
        run_order(cap, max_weight, &ops);
    }
}

/// Pins the overflow case the property tests found: in an order without a weight
/// budget, reweighing a slot so the total would pass `u64::MAX` must evict instead.
#[test]
fn reweigh_near_u64_max_evicts_instead_of_overflowing() {
    let mut order = Order::new(4, None).unwrap();
    let a = order.insert(1 << 63, |_| {}).unwrap();
    let b = order.insert(1, |_| {}).unwrap();
    let mut evicted = Vec::new();
    order.reweigh(b, 1 << 63, |s| evicted.push(s)).unwrap();
    assert_eq!(evicted, [a]);
    assert_eq!(order.weight(), 1 << 63);
    order.assert_invariants();

    let mut cache = LruCache::new(4).unwrap();
    cache.put_weighted('a', (), u64::MAX).unwrap();
    cache.put('b', ());
    assert_eq!(cache.keys().copied().collect::<Vec<_>>(), ['b']);
    cache.put_weighted('c', (), u64::MAX - 1).unwrap();
    assert_eq!(cache.push_weighted('c', (), u64::MAX).unwrap(), [('c', ()), ('b', ())]);
    assert_eq!(cache.weight(), u64::MAX);
    cache.assert_invariants();
}
