//! A cheap hash of a directory entry's name, for the sieve of [`DirRules`](super::DirRules).

/// Up to eight bytes as a little-endian word, zero-padded.
#[inline(always)]
fn load(bytes: &[u8]) -> u64 {
    let mut word = [0; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// An 8-bit hash of a name from its length and its first and last eight bytes, where
/// names in one directory usually differ.
#[inline]
pub(crate) fn name_hash(name: &[u8]) -> u8 {
    let len = name.len();
    let (head, tail) = if len > 8 { (load(&name[..8]), load(&name[len - 8..])) } else { (load(name), 0) };
    let mixed = (head ^ tail.rotate_left(29) ^ len as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (mixed >> 56) as u8
}

#[cfg(test)]
mod tests {
    use super::name_hash;
    use std::collections::HashSet;

    /// The sieve only saves work if one directory's names land in many of its 256 bits.
    #[test]
    fn spreads_the_names_of_one_listing() {
        let names: Vec<String> = (0..1000).map(|i| format!("IMG_{i:04}.jpg")).collect();
        let buckets: HashSet<u8> = names.iter().map(|n| name_hash(n.as_bytes())).collect();
        assert!(buckets.len() >= 200, "{} buckets", buckets.len());
        let short: HashSet<u8> = (0..=255u8).map(|b| name_hash(&[b])).collect();
        assert!(short.len() >= 150, "{} buckets for one-byte names", short.len());
    }

    /// Long names that differ only in the middle collide by design; those that differ at
    /// either end or in length do not, mostly.
    #[test]
    fn reads_the_length_and_both_ends() {
        let prefix = "a-long-common-prefix-";
        let by_end: HashSet<u8> = (0..64).map(|i| name_hash(format!("{prefix}{i:03}").as_bytes())).collect();
        assert!(by_end.len() >= 40, "{} buckets by the last bytes", by_end.len());
        let by_len: HashSet<u8> = (0..64).map(|n| name_hash("x".repeat(20 + n).as_bytes())).collect();
        assert!(by_len.len() >= 40, "{} buckets by length", by_len.len());
        let middle = |c: char| format!("abcdefgh{c}{c}{c}{c}ijklmnop");
        assert_eq!(name_hash(middle('1').as_bytes()), name_hash(middle('2').as_bytes()));
    }
}
