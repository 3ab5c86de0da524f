//! Path validation and normalization.

use core::fmt;

/// Why a path was refused.
///
/// Paths are absolute and `/`-separated. Empty segments (from repeated or trailing
/// slashes) and `.` segments are ignored; everything in this enum is refused outright,
/// never repaired, and in particular `..` is never resolved upward. When a path has
/// several problems, the first one from the left is reported (an empty or relative path
/// is reported before anything else).
///
/// # Examples
/// ```
/// use edge_lru::permissions::{normalize, PathError};
///
/// assert_eq!(normalize("home/alice"), Err(PathError::Relative));
/// assert_eq!(normalize("/home/../etc"), Err(PathError::DotDot));
/// assert_eq!(
///     PathError::DotDot.to_string(),
///     "path has a '..' segment; parent segments are refused, not resolved"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PathError {
    /// The path is the empty string.
    Empty,
    /// The path does not start with `/`.
    Relative,
    /// The path has a `..` segment.
    DotDot,
    /// The path contains a NUL byte.
    Nul,
    /// The path contains a backslash.
    Backslash,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PathError::Empty => "path is empty; paths must be absolute, starting with '/'",
            PathError::Relative => "path is relative; paths must be absolute, starting with '/'",
            PathError::DotDot => "path has a '..' segment; parent segments are refused, not resolved",
            PathError::Nul => "path contains a NUL byte",
            PathError::Backslash => "path contains a backslash",
        })
    }
}

impl std::error::Error for PathError {}

/// Checks `path` without allocating: `Ok` exactly when [`normalize`] would accept it,
/// and the same error when it would not. See [`PathError`] for the rules.
///
/// A caller can refuse a bad path before doing anything costly with it, such as
/// loading the rules of a user who is not cached.
///
/// # Errors
/// A [`PathError`] if the path is refused.
///
/// # Examples
/// ```
/// use edge_lru::permissions::{validate, PathError};
///
/// assert_eq!(validate("//srv/./www/"), Ok(()));
/// assert_eq!(validate("/srv/../etc"), Err(PathError::DotDot));
/// ```
pub fn validate(path: &str) -> Result<(), PathError> {
    let bytes = path.as_bytes();
    match bytes.first() {
        None => return Err(PathError::Empty),
        Some(&b) if b != b'/' => return Err(PathError::Relative),
        Some(_) => {}
    }
    // `start` is the index of the current segment's first byte.
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'/' => {
                if &bytes[start..i] == b".." {
                    return Err(PathError::DotDot);
                }
                start = i + 1;
            }
            0 => return Err(PathError::Nul),
            b'\\' => return Err(PathError::Backslash),
            _ => {}
        }
    }
    if &bytes[start..] == b".." {
        return Err(PathError::DotDot);
    }
    Ok(())
}

/// The segments of `path`, which [`validate`] must have accepted: empty and `.`
/// segments are skipped.
pub(crate) fn segments_of_valid(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty() && *s != ".")
}

/// The segments of `path` after validation.
pub(crate) fn segments(path: &str) -> Result<impl Iterator<Item = &str>, PathError> {
    validate(path)?;
    Ok(segments_of_valid(path))
}

/// Whether `name` is a single path segment that can name a directory entry: not empty,
/// not `.` or `..`, and without `/`, `\` or NUL. UTF-8 is checked separately.
#[inline]
pub(crate) fn is_entry_name(name: &[u8]) -> bool {
    !matches!(name, b"" | b"." | b"..") && !name.iter().any(|&b| matches!(b, b'/' | b'\\' | 0))
}

/// The canonical form of `path`: `/` followed by its segments joined with `/`, without
/// empty or `.` segments; the root is `/`.
///
/// This is the form rule paths take inside a [`RuleSet`](super::RuleSet) and the form
/// [`RuleSet::rules`](super::RuleSet::rules) reports. Matching does not need it:
/// [`RuleSet::allowed`](super::RuleSet::allowed) normalizes as it goes, without
/// allocating.
///
/// # Errors
/// A [`PathError`] if the path is refused.
///
/// # Examples
/// ```
/// use edge_lru::permissions::{normalize, PathError};
///
/// assert_eq!(normalize("//home/./alice/").unwrap(), "/home/alice");
/// assert_eq!(normalize("/.").unwrap(), "/");
/// assert_eq!(normalize(""), Err(PathError::Empty));
/// assert_eq!(normalize("/a\\b"), Err(PathError::Backslash));
/// ```
pub fn normalize(path: &str) -> Result<String, PathError> {
    let mut out = String::with_capacity(path.len());
    for segment in segments(path)? {
        out.push('/');
        out.push_str(segment);
    }
    if out.is_empty() {
        out.push('/');
    }
    Ok(out)
}
