//! Word-at-a-time scanning of a NUL-separated buffer of names.
//!
//! A listing's names arrive as one buffer; finding the separators and the bytes that
//! disqualify a name (`/`, `\`) a byte at a time would dominate the cost of checking
//! them, so this looks at eight bytes per step and only visits the bytes of interest.

const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// `0x80` in each byte of `word` that equals `byte`, `0` in every other byte (exact: no
/// borrow crosses between bytes).
#[inline(always)]
fn bytes_equal(word: u64, byte: u8) -> u64 {
    let x = word ^ (ONES * u64::from(byte));
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// The separators (NUL) and disqualifying bytes (`/`, `\`) of eight bytes, as `0x80`
/// markers.
#[inline(always)]
fn markers(chunk: &[u8]) -> (u64, u64) {
    let word = load(chunk);
    (bytes_equal(word, 0), bytes_equal(word, b'/') | bytes_equal(word, b'\\'))
}

/// The separators (NUL) of eight bytes, as `0x80` markers.
#[inline(always)]
fn nul_markers(chunk: &[u8]) -> u64 {
    bytes_equal(load(chunk), 0)
}

/// Calls `f(name, clean)` for each piece of `body` split at NUL bytes (as
/// `body.split(|&b| b == 0)` would give them), where `clean` says the piece has no `/`
/// and no `\`.
#[inline]
pub(crate) fn for_each_name(body: &[u8], mut f: impl FnMut(&[u8], bool)) {
    let mut start = 0;
    let mut clean = true;
    let mut visit = |i: usize, is_nul: bool, start: &mut usize, clean: &mut bool| {
        if is_nul {
            f(&body[*start..i], *clean);
            *start = i + 1;
            *clean = true;
        } else {
            *clean = false;
        }
    };
    let mut chunks = body.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let (nul, bad) = markers(chunk);
        let mut all = nul | bad;
        while all != 0 {
            let bit = all.trailing_zeros();
            visit(base + (bit / 8) as usize, nul & (1 << bit) != 0, &mut start, &mut clean);
            all &= all - 1;
        }
        base += 8;
    }
    for (i, &b) in chunks.remainder().iter().enumerate() {
        if matches!(b, 0 | b'/' | b'\\') {
            visit(base + i, b == 0, &mut start, &mut clean);
        }
    }
    f(&body[start..], clean);
}

/// The number of NUL bytes in `body`.
pub(crate) fn count_nul(body: &[u8]) -> usize {
    let mut chunks = body.chunks_exact(8);
    let mut count = 0;
    for chunk in &mut chunks {
        count += nul_markers(chunk).count_ones() as usize;
    }
    count + chunks.remainder().iter().filter(|&&b| b == 0).count()
}

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
    use super::*;

    fn reference(body: &[u8]) -> Vec<(Vec<u8>, bool)> {
        body.split(|&b| b == 0).map(|n| (n.to_vec(), !n.iter().any(|&b| b == b'/' || b == b'\\'))).collect()
    }

    #[test]
    fn matches_split() {
        // Every byte value next to separators, at every alignment.
        let alphabet: Vec<u8> = (0..=255).collect();
        let mut bodies: Vec<Vec<u8>> = vec![vec![], vec![0], vec![0; 17], b"a/b\\c\0d".to_vec()];
        for len in 0..40 {
            for shift in 0..7 {
                let body: Vec<u8> = (0..len)
                    .map(|i| match (i * 7 + shift) % 11 {
                        0 => 0,
                        1 => b'/',
                        2 => b'\\',
                        k => alphabet[(i * 37 + k * 13) % 256],
                    })
                    .collect();
                bodies.push(body);
            }
        }
        bodies.push(alphabet);
        for body in bodies {
            let mut got = Vec::new();
            for_each_name(&body, |n, clean| got.push((n.to_vec(), clean)));
            assert_eq!(got, reference(&body), "{body:?}");
            assert_eq!(count_nul(&body), body.iter().filter(|&&b| b == 0).count());
        }
    }

    #[test]
    fn bytes_equal_is_exact() {
        for byte in [0u8, b'/', b'\\', 0x80, 0xff] {
            for v in 0..=255u8 {
                for other in [0u8, 1, 0x7f, 0x80, 0xff, byte] {
                    let word = u64::from_le_bytes([other, v, other, v, v, other, 0, 0xff]);
                    let m = bytes_equal(word, byte).to_le_bytes();
                    let expect =
                        [other, v, other, v, v, other, 0, 0xff].map(|b| if b == byte { 0x80 } else { 0 });
                    assert_eq!(m, expect);
                }
            }
        }
    }
}
