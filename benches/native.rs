//! Native benchmarks: `edge_lru::LruCache` side by side with the `lru` crate and with
//! `schnellru::LruMap<_, _, ByLength>`, on `u64` keys and values, at 1k and 100k entries.
//!
//! Workloads (one operation per criterion iteration, keys read from a precomputed
//! stream of 2^20 keys, cycled):
//! - `get_hit`: the cache is full and every key looked up is present (uniform keys).
//! - `put_evict`: the cache is full and every put is a new key, so each one evicts.
//! - `zipf_mix`: read-through use: keys drawn from Zipf(0.99); a `get` that misses is
//!   followed by a `put`. The key universe is sized for about 90% hits, so about 90% gets
//!   and 10% put-on-miss: 1.7x the capacity at 1k, 2.5x at 100k (the stream is finite and
//!   cycled, which concentrates it). The measured hit ratio (the same for all of them,
//!   strict LRU caches all) is printed once per size.
//!
//! Hashers: each cache is measured with its default hasher, which is what its users get.
//! - edge-lru: hashbrown 0.17's `DefaultHashBuilder`, i.e. foldhash (fast variant).
//! - lru 0.19: its default `hashbrown` feature, so the same hashbrown 0.17 `DefaultHashBuilder`
//!   (foldhash).
//! - schnellru 0.2: its own `RandomState`, a wrapper around ahash.
//!
//! To separate the data structure from the hasher, schnellru is also run with foldhash
//! (`schnellru+foldhash`).
//!
//! Run with `cargo bench --bench native`, or `scripts/bench-native.sh` for a table.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use hashbrown::DefaultHashBuilder;
use schnellru::{ByLength, LruMap};

/// `(capacity, Zipf key universe)`.
const SIZES: [(usize, usize); 2] = [(1_000, 1_700), (100_000, 250_000)];
const STREAM_LEN: usize = 1 << 20;
const MASK: usize = STREAM_LEN - 1;

/// The operations the workloads need, so each workload is written once.
trait Cache {
    const NAME: &'static str;
    fn with_cap(cap: usize) -> Self;
    fn get(&mut self, key: u64) -> Option<u64>;
    fn put(&mut self, key: u64, value: u64);
}

impl Cache for edge_lru::LruCache<u64, u64> {
    const NAME: &'static str = "edge-lru";
    fn with_cap(cap: usize) -> Self {
        edge_lru::LruCache::new(cap).unwrap()
    }
    #[inline]
    fn get(&mut self, key: u64) -> Option<u64> {
        edge_lru::LruCache::get(self, &key).copied()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u64) {
        black_box(edge_lru::LruCache::put(self, key, value));
    }
}

impl Cache for lru::LruCache<u64, u64> {
    const NAME: &'static str = "lru";
    fn with_cap(cap: usize) -> Self {
        lru::LruCache::new(NonZeroUsize::new(cap).unwrap())
    }
    #[inline]
    fn get(&mut self, key: u64) -> Option<u64> {
        lru::LruCache::get(self, &key).copied()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u64) {
        black_box(lru::LruCache::put(self, key, value));
    }
}

impl Cache for LruMap<u64, u64, ByLength> {
    const NAME: &'static str = "schnellru";
    fn with_cap(cap: usize) -> Self {
        LruMap::new(ByLength::new(cap as u32))
    }
    #[inline]
    fn get(&mut self, key: u64) -> Option<u64> {
        LruMap::get(self, &key).copied()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u64) {
        black_box(LruMap::insert(self, key, value));
    }
}

impl Cache for LruMap<u64, u64, ByLength, DefaultHashBuilder> {
    const NAME: &'static str = "schnellru+foldhash";
    fn with_cap(cap: usize) -> Self {
        LruMap::with_hasher(ByLength::new(cap as u32), DefaultHashBuilder::default())
    }
    #[inline]
    fn get(&mut self, key: u64) -> Option<u64> {
        LruMap::get(self, &key).copied()
    }
    #[inline]
    fn put(&mut self, key: u64, value: u64) {
        black_box(LruMap::insert(self, key, value));
    }
}

/// splitmix64: a tiny deterministic generator, so every run sees the same streams.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Spreads ranks over the key space, so hot keys are not small consecutive integers.
fn scramble(rank: u64) -> u64 {
    rank.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x5555
}

fn uniform_stream(n: usize, seed: u64) -> Vec<u64> {
    let mut rng = Rng(seed);
    (0..STREAM_LEN).map(|_| scramble(rng.below(n as u64))).collect()
}

/// Keys drawn from Zipf(`s`) over `universe` ranks, by inverting the CDF.
fn zipf_stream(universe: usize, s: f64, seed: u64) -> Vec<u64> {
    let mut cdf = Vec::with_capacity(universe);
    let mut total = 0.0;
    for rank in 1..=universe {
        total += 1.0 / (rank as f64).powf(s);
        cdf.push(total);
    }
    let mut rng = Rng(seed);
    (0..STREAM_LEN)
        .map(|_| {
            let u = rng.unit() * total;
            scramble(cdf.partition_point(|&c| c < u).min(universe - 1) as u64)
        })
        .collect()
}

fn filled<C: Cache>(n: usize) -> C {
    let mut cache = C::with_cap(n);
    for rank in 0..n as u64 {
        cache.put(scramble(rank), rank);
    }
    cache
}

fn get_hit<C: Cache>(c: &mut Criterion, n: usize, stream: &[u64]) {
    let mut cache = filled::<C>(n);
    let mut i = 0usize;
    c.benchmark_group("get_hit").bench_function(BenchmarkId::new(C::NAME, n), |b| {
        b.iter(|| {
            let key = stream[i & MASK];
            i = i.wrapping_add(1);
            black_box(cache.get(key))
        })
    });
}

fn put_evict<C: Cache>(c: &mut Criterion, n: usize) {
    let mut cache = filled::<C>(n);
    // Ranks from n on were never inserted: every put is a miss on a full cache.
    let mut next = n as u64;
    c.benchmark_group("put_evict").bench_function(BenchmarkId::new(C::NAME, n), |b| {
        b.iter(|| {
            let key = scramble(next);
            next += 1;
            cache.put(key, next);
        })
    });
}

/// One read-through lookup: `get`, and `put` on a miss. Returns whether it hit.
#[inline]
fn read_through<C: Cache>(cache: &mut C, key: u64) -> bool {
    match cache.get(key) {
        Some(v) => {
            black_box(v);
            true
        }
        None => {
            cache.put(key, key);
            false
        }
    }
}

fn zipf_mix<C: Cache>(c: &mut Criterion, n: usize, stream: &[u64]) {
    let mut cache = C::with_cap(n);
    // Warm up on the whole stream once, so the measurement starts in a steady state.
    let hits = stream.iter().filter(|&&key| read_through(&mut cache, key)).count();
    if C::NAME == "edge-lru" {
        eprintln!("zipf_mix/{n}: hit ratio {:.3} over the key stream", hits as f64 / stream.len() as f64);
    }
    let mut i = 0usize;
    c.benchmark_group("zipf_mix").bench_function(BenchmarkId::new(C::NAME, n), |b| {
        b.iter(|| {
            let key = stream[i & MASK];
            i = i.wrapping_add(1);
            read_through(&mut cache, key)
        })
    });
}

fn all<C: Cache>(c: &mut Criterion, n: usize, uniform: &[u64], zipf: &[u64]) {
    get_hit::<C>(c, n, uniform);
    put_evict::<C>(c, n);
    zipf_mix::<C>(c, n, zipf);
}

fn benches(c: &mut Criterion) {
    for (n, universe) in SIZES {
        let uniform = uniform_stream(n, 1);
        let zipf = zipf_stream(universe, 0.99, 2);
        all::<edge_lru::LruCache<u64, u64>>(c, n, &uniform, &zipf);
        all::<lru::LruCache<u64, u64>>(c, n, &uniform, &zipf);
        all::<LruMap<u64, u64, ByLength>>(c, n, &uniform, &zipf);
        all::<LruMap<u64, u64, ByLength, DefaultHashBuilder>>(c, n, &uniform, &zipf);
    }
}

criterion_group! {
    name = native;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = benches
}
criterion_main!(native);
