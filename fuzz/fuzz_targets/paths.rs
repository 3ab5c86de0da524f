//! `normalize` against a plain reference: the same refusals, the same canonical form,
//! and a canonical form that normalizes to itself.
#![no_main]

use edge_lru::permissions::{normalize, PathError};
use libfuzzer_sys::fuzz_target;

/// The documented rules, written as plainly as possible: empty and relative paths are
/// refused first; then, left to right, the first `..` segment, NUL or backslash.
fn reference(path: &str) -> Result<String, PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    if !path.starts_with('/') {
        return Err(PathError::Relative);
    }
    let mut segments = Vec::new();
    for segment in path.split('/') {
        if let Some(i) = segment.find(['\0', '\\']) {
            // A `..` segment before this one was already reported; within a segment the
            // first bad character decides.
            return Err(if segment.as_bytes()[i] == 0 { PathError::Nul } else { PathError::Backslash });
        }
        match segment {
            ".." => return Err(PathError::DotDot),
            "" | "." => {}
            s => segments.push(s),
        }
    }
    Ok(format!("/{}", segments.join("/")))
}

fuzz_target!(|path: &str| {
    let got = normalize(path);
    assert_eq!(got, reference(path), "normalize({path:?})");
    if let Ok(canonical) = got {
        assert_eq!(normalize(&canonical).as_deref(), Ok(canonical.as_str()), "idempotent for {path:?}");
    }
});
