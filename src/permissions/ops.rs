//! Operations ([`Op`]) and sets of operations ([`Ops`]).

use core::fmt;
use core::ops::{BitAnd, BitOr, BitOrAssign};
use core::str::FromStr;

/// One operation a user may perform on a path.
///
/// Each operation has a fixed bit in an [`Ops`] set ([`Op::bit`]) and a lowercase name
/// ([`Op::name`]) used by [`Display`](fmt::Display) and [`FromStr`].
///
/// # Examples
/// ```
/// use edge_lru::permissions::Op;
///
/// let op: Op = "mkdir".parse().unwrap();
/// assert_eq!(op, Op::Mkdir);
/// assert_eq!(op.to_string(), "mkdir");
/// assert_eq!(op.bit(), 0b1_0000);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Op {
    /// List a directory's entries. Bit `0x01`.
    List = 0,
    /// Read (download) a file. Bit `0x02`.
    Read = 1,
    /// Write (upload or overwrite) a file. Bit `0x04`.
    Write = 2,
    /// Delete a file or directory. Bit `0x08`.
    Delete = 3,
    /// Create a directory. Bit `0x10`.
    Mkdir = 4,
    /// Rename or move a file or directory. Bit `0x20`.
    Rename = 5,
}

impl Op {
    /// Every operation, in bit order.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::Op;
    ///
    /// let names: Vec<&str> = Op::ALL.iter().map(|op| op.name()).collect();
    /// assert_eq!(names, ["list", "read", "write", "delete", "mkdir", "rename"]);
    /// ```
    pub const ALL: [Op; 6] = [Op::List, Op::Read, Op::Write, Op::Delete, Op::Mkdir, Op::Rename];

    /// The operation's lowercase name, as accepted by [`FromStr`].
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::Op;
    ///
    /// assert_eq!(Op::Rename.name(), "rename");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Op::List => "list",
            Op::Read => "read",
            Op::Write => "write",
            Op::Delete => "delete",
            Op::Mkdir => "mkdir",
            Op::Rename => "rename",
        }
    }

    /// The operation's bit in [`Ops::bits`]: `1 << (op as u8)`.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::Op;
    ///
    /// assert_eq!(Op::List.bit(), 0x01);
    /// assert_eq!(Op::Rename.bit(), 0x20);
    /// ```
    pub const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Op {
    type Err = ParseOpError;

    /// Parses one lowercase operation name; anything else is a [`ParseOpError`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Op::ALL.into_iter().find(|op| op.name() == s).ok_or_else(|| ParseOpError { name: s.into() })
    }
}

impl BitOr for Op {
    type Output = Ops;

    fn bitor(self, rhs: Op) -> Ops {
        Ops(self.bit() | rhs.bit())
    }
}

/// An operation name that is not known.
///
/// Names are matched exactly and are case-sensitive: `list`, `read`, `write`, `delete`,
/// `mkdir`, `rename`, plus the keywords `all` and `none` accepted by [`Ops::parse`].
///
/// # Examples
/// ```
/// use edge_lru::permissions::{Op, Ops};
///
/// let err = "upload".parse::<Op>().unwrap_err();
/// assert_eq!(err.name(), "upload");
/// assert!(err.to_string().contains("unknown operation \"upload\""));
/// assert_eq!(Ops::parse("read, Write").unwrap_err().name(), "Write");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseOpError {
    name: Box<str>,
}

impl ParseOpError {
    /// The name that was not recognised.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::Op;
    ///
    /// assert_eq!("LIST".parse::<Op>().unwrap_err().name(), "LIST");
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for ParseOpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown operation {:?}: expected list, read, write, delete, mkdir or rename (or, for a set, all or none)",
            self.name
        )
    }
}

impl std::error::Error for ParseOpError {}

/// A set of [`Op`]s, stored as one byte of bits (see [`Op::bit`]).
///
/// Displays as comma-separated names in bit order, or `none` for the empty set; [`Ops::parse`]
/// reads that form back.
///
/// # Examples
/// ```
/// use edge_lru::permissions::{Op, Ops};
///
/// let ops = Op::List | Op::Read;
/// assert!(ops.contains(Op::Read));
/// assert!(!ops.contains(Op::Write));
/// assert_eq!(ops.bits(), 0b11);
/// assert_eq!(ops.to_string(), "list,read");
/// assert_eq!(Ops::parse("read list").unwrap(), ops);
/// assert_eq!(Ops::NONE.to_string(), "none");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Ops(u8);

impl Ops {
    /// The empty set: nothing is allowed.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::Ops;
    ///
    /// assert!(Ops::NONE.is_empty());
    /// assert_eq!(Ops::NONE, Ops::default());
    /// ```
    pub const NONE: Ops = Ops(0);

    /// Every operation.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert!(Op::ALL.iter().all(|&op| Ops::ALL.contains(op)));
    /// assert_eq!(Ops::ALL.bits(), 0x3f);
    /// ```
    pub const ALL: Ops = Ops(0x3f);

    /// The set with these bits, or `None` if a bit above [`Op::Rename`]'s (`0x20`) is set.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert_eq!(Ops::from_bits(0x03), Some(Op::List | Op::Read));
    /// assert_eq!(Ops::from_bits(0x40), None);
    /// ```
    pub const fn from_bits(bits: u8) -> Option<Ops> {
        if bits & !Ops::ALL.0 == 0 {
            Some(Ops(bits))
        } else {
            None
        }
    }

    /// The set's bits.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::Op;
    ///
    /// assert_eq!((Op::Write | Op::Delete).bits(), 0x0c);
    /// ```
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// Whether the set holds `op`.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert!(Ops::from(Op::Mkdir).contains(Op::Mkdir));
    /// assert!(!Ops::NONE.contains(Op::List));
    /// ```
    pub const fn contains(self, op: Op) -> bool {
        self.0 & op.bit() != 0
    }

    /// Whether the set holds every operation of `other`.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert!(Ops::ALL.contains_all(Op::Read | Op::Write));
    /// assert!(!Ops::from(Op::Read).contains_all(Op::Read | Op::Write));
    /// ```
    pub const fn contains_all(self, other: Ops) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether the set is empty.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert!(Ops::NONE.is_empty());
    /// assert!(!Ops::from(Op::List).is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The number of operations in the set.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert_eq!(Ops::ALL.len(), 6);
    /// assert_eq!((Op::List | Op::Read).len(), 2);
    /// ```
    pub const fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The set with `op` added.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert_eq!(Ops::NONE.with(Op::Read), Ops::from(Op::Read));
    /// ```
    #[must_use]
    pub const fn with(self, op: Op) -> Ops {
        Ops(self.0 | op.bit())
    }

    /// The set with `op` removed.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert!(!Ops::ALL.without(Op::Delete).contains(Op::Delete));
    /// assert_eq!(Ops::ALL.without(Op::Delete).len(), 5);
    /// ```
    #[must_use]
    pub const fn without(self, op: Op) -> Ops {
        Ops(self.0 & !op.bit())
    }

    /// The operations in the set, in bit order.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::Op;
    ///
    /// let ops: Vec<Op> = (Op::Rename | Op::List).iter().collect();
    /// assert_eq!(ops, [Op::List, Op::Rename]);
    /// ```
    pub fn iter(self) -> impl Iterator<Item = Op> {
        Op::ALL.into_iter().filter(move |&op| self.contains(op))
    }

    /// Parses operation names separated by commas and/or whitespace, such as
    /// `"list,read"` or `"read write"`.
    ///
    /// Names are the lowercase [`Op::name`]s; the keyword `all` stands for every operation
    /// and `none` for no operation. The result is the union of every name, so `""` and
    /// `"none"` both give [`Ops::NONE`]. The first unknown name is reported.
    ///
    /// # Errors
    /// [`ParseOpError`] naming the first word that is not an operation or keyword.
    ///
    /// # Examples
    /// ```
    /// use edge_lru::permissions::{Op, Ops};
    ///
    /// assert_eq!(Ops::parse("list, read").unwrap(), Op::List | Op::Read);
    /// assert_eq!(Ops::parse("all").unwrap(), Ops::ALL);
    /// assert_eq!(Ops::parse("none").unwrap(), Ops::NONE);
    /// assert_eq!(Ops::parse("").unwrap(), Ops::NONE);
    /// assert_eq!(Ops::parse("read,exec").unwrap_err().name(), "exec");
    /// ```
    pub fn parse(s: &str) -> Result<Ops, ParseOpError> {
        let mut ops = Ops::NONE;
        for word in s.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty()) {
            ops |= match word {
                "all" => Ops::ALL,
                "none" => Ops::NONE,
                _ => Ops::from(word.parse::<Op>()?),
            };
        }
        Ok(ops)
    }
}

impl FromStr for Ops {
    type Err = ParseOpError;

    /// Same as [`Ops::parse`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ops::parse(s)
    }
}

impl From<Op> for Ops {
    fn from(op: Op) -> Ops {
        Ops(op.bit())
    }
}

impl FromIterator<Op> for Ops {
    fn from_iter<I: IntoIterator<Item = Op>>(iter: I) -> Ops {
        iter.into_iter().fold(Ops::NONE, Ops::with)
    }
}

impl BitOr for Ops {
    type Output = Ops;

    fn bitor(self, rhs: Ops) -> Ops {
        Ops(self.0 | rhs.0)
    }
}

impl BitOr<Op> for Ops {
    type Output = Ops;

    fn bitor(self, rhs: Op) -> Ops {
        self.with(rhs)
    }
}

impl BitOrAssign for Ops {
    fn bitor_assign(&mut self, rhs: Ops) {
        self.0 |= rhs.0;
    }
}

impl BitOrAssign<Op> for Ops {
    fn bitor_assign(&mut self, rhs: Op) {
        self.0 |= rhs.bit();
    }
}

impl BitAnd for Ops {
    type Output = Ops;

    fn bitand(self, rhs: Ops) -> Ops {
        Ops(self.0 & rhs.0)
    }
}

impl fmt::Display for Ops {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        for (i, op) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(op.name())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Ops {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Ops({self})")
    }
}
