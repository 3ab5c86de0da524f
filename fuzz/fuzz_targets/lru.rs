//! `LruCache` against a model: a vector in recency order, oldest first, evicting from
//! the front until both the entry bound and the weight bound hold. Every return value
//! and, after every step, the whole order and total weight must agree.
#![no_main]

use arbitrary::Arbitrary;
use edge_lru::LruCache;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Step {
    Put(u8, u16),
    PutWeighted(u8, u16, u8),
    Get(u8),
    Peek(u8),
    Contains(u8),
    Remove(u8),
    PopLru,
    Resize(u8),
    SetMaxWeight(Option<u8>),
    Clear,
}

#[derive(Arbitrary, Debug)]
struct Input {
    cap: u8,
    max_weight: Option<u8>,
    steps: Vec<Step>,
}

struct Model {
    cap: usize,
    max_weight: Option<u64>,
    /// Oldest first: (key, value, weight).
    entries: Vec<(u8, u16, u64)>,
}

impl Model {
    fn position(&self, key: u8) -> Option<usize> {
        self.entries.iter().position(|e| e.0 == key)
    }
    fn weight(&self) -> u64 {
        self.entries.iter().map(|e| e.2).sum()
    }
    fn evict(&mut self) {
        while self.entries.len() > self.cap || self.max_weight.is_some_and(|max| self.weight() > max) {
            self.entries.remove(0);
        }
    }
    fn touch(&mut self, key: u8) -> Option<u16> {
        let i = self.position(key)?;
        let entry = self.entries.remove(i);
        self.entries.push(entry);
        Some(entry.1)
    }
    /// `None` when refused.
    fn put(&mut self, key: u8, value: u16, weight: u64) -> Option<Option<u16>> {
        if weight == 0 || self.max_weight.is_some_and(|max| weight > max) {
            return None;
        }
        let old = self.position(key).map(|i| self.entries.remove(i).1);
        self.entries.push((key, value, weight));
        self.evict();
        Some(old)
    }
}

fuzz_target!(|input: Input| {
    let cap = usize::from(input.cap % 16) + 1;
    let max_weight = input.max_weight.map(|w| u64::from(w % 64) + 1);
    let mut cache = match max_weight {
        Some(w) => LruCache::with_max_weight(cap, w).unwrap(),
        None => LruCache::new(cap).unwrap(),
    };
    let mut model = Model { cap, max_weight, entries: Vec::new() };
    for step in input.steps.iter().take(512) {
        match *step {
            Step::Put(k, v) => {
                let want = model.put(k, v, 1);
                let got = cache.put_weighted(k, v, 1).ok();
                assert_eq!(got, want, "{step:?}");
            }
            Step::PutWeighted(k, v, w) => {
                let w = u64::from(w % 80);
                let want = model.put(k, v, w);
                let got = cache.put_weighted(k, v, w).ok();
                assert_eq!(got, want, "{step:?}");
            }
            Step::Get(k) => assert_eq!(cache.get(&k).copied(), model.touch(k), "{step:?}"),
            Step::Peek(k) => {
                let want = model.position(k).map(|i| model.entries[i].1);
                assert_eq!(cache.peek(&k).copied(), want, "{step:?}");
            }
            Step::Contains(k) => assert_eq!(cache.contains(&k), model.position(k).is_some(), "{step:?}"),
            Step::Remove(k) => {
                let want = model.position(k).map(|i| model.entries.remove(i).1);
                assert_eq!(cache.remove(&k), want, "{step:?}");
            }
            Step::PopLru => {
                let want = (!model.entries.is_empty()).then(|| model.entries.remove(0)).map(|e| (e.0, e.1));
                assert_eq!(cache.pop_lru(), want, "{step:?}");
            }
            Step::Resize(n) => {
                let n = usize::from(n % 16) + 1;
                cache.resize(n).unwrap();
                model.cap = n;
                model.evict();
            }
            Step::SetMaxWeight(w) => {
                let w = w.map(|w| u64::from(w % 64) + 1);
                cache.set_max_weight(w).unwrap();
                model.max_weight = w;
                model.evict();
            }
            Step::Clear => {
                cache.clear();
                model.entries.clear();
            }
        }
        cache.assert_invariants();
        let order: Vec<(u8, u16)> = cache.iter().rev().map(|(k, v)| (*k, *v)).collect();
        let want: Vec<(u8, u16)> = model.entries.iter().map(|e| (e.0, e.1)).collect();
        assert_eq!(order, want, "order after {step:?}");
        assert_eq!(cache.weight(), model.weight(), "weight after {step:?}");
        assert_eq!(cache.len(), model.entries.len());
    }
});
