//! [`Order`]: the recency list of an [`LruCache`](crate::LruCache) without the keys
//! and values, driven by slot numbers.

use crate::error::{CapacityError, WeightError};
use crate::list::{self, List};

/// Slot numbers in recency order, bounded by an entry count and a total weight: the
/// list under an [`LruCache`](crate::LruCache), for callers that keep keys and values
/// elsewhere (in arrays indexed by slot, say) and need only the decisions.
///
/// An `Order` hands out dense `u32` slot numbers, keeps them from most to least
/// recently used, and decides which slots leave when a bound would be crossed. Every
/// operation is amortized O(1) (the slot arena grows by doubling, and the first weight
/// other than 1 allocates the weights of every slot) except those that evict, which are
/// amortized O(1) for each slot they evict. Evicted slots are reported to a callback as
/// they leave, oldest first, and are reused by the next insertion (last evicted first),
/// so slot numbers stay below [`cap`](Order::cap) plus the slots removed and not yet
/// reused.
///
/// A slot is *live* from the insertion that returns it until it is removed or evicted.
/// Methods that take a slot panic when it is not live, as indexing out of bounds would:
/// the caller's arrays and the order have gone out of step.
///
/// # Examples
/// Values kept in a `Vec` indexed by slot, two at most:
/// ```
/// use edge_lru::Order;
///
/// let mut order = Order::new(2, None)?;
/// let mut values: Vec<&str> = Vec::new();
/// let put = |order: &mut Order, values: &mut Vec<&'static str>, value| {
///     let slot = order.insert(1, |gone| println!("evicted {}", values[gone as usize]))?;
///     match values.get_mut(slot as usize) {
///         Some(place) => *place = value,
///         None => values.push(value),
///     }
///     Ok::<u32, edge_lru::WeightError>(slot)
/// };
/// let a = put(&mut order, &mut values, "a")?;
/// let b = put(&mut order, &mut values, "b")?;
/// order.touch(a); // a read of "a": "b" is now the least recently used
/// let c = put(&mut order, &mut values, "c")?; // prints "evicted b"
/// assert_eq!(c, b, "the evicted slot is reused");
/// let newest_first: Vec<&str> = order.iter().map(|slot| values[slot as usize]).collect();
/// assert_eq!(newest_first, ["c", "a"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// With a weight budget, an insertion evicts until the new slot fits, and a weight that
/// could never fit is refused before anything is evicted:
/// ```
/// use edge_lru::{Order, WeightError};
///
/// let mut order = Order::new(100, Some(10))?;
/// let a = order.insert(6, |_| {})?;
/// let mut evicted = Vec::new();
/// let b = order.insert(5, |slot| evicted.push(slot))?;
/// assert_eq!((evicted, order.weight()), (vec![a], 5));
/// assert_eq!(order.insert(11, |_| unreachable!()), Err(WeightError::TooHeavy { weight: 11, max_weight: 10 }));
///
/// // Reweighing touches the slot too; shrinking the bounds evicts the oldest first.
/// order.reweigh(b, 8, |_| {})?;
/// let c = order.insert(2, |_| {})?;
/// order.set_max_weight(Some(9), |slot| assert_eq!(slot, b))?;
/// assert_eq!((order.len(), order.weight(), order.newest()), (1, 2, Some(c)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Order(List<()>);

impl Order {
    /// Creates an empty order holding at most `cap` slots and, when given, at most
    /// `max_weight` in total weight.
    ///
    /// # Errors
    /// [`CapacityError`] when `cap` is zero or above [`MAX_CAPACITY`](crate::MAX_CAPACITY),
    /// or `max_weight` is zero.
    pub fn new(cap: usize, max_weight: Option<u64>) -> Result<Self, CapacityError> {
        List::new(cap, max_weight).map(Order)
    }

    /// Reserves room for `slots` slots in all (at most the count bound), so that the
    /// order allocates nothing more until it holds that many. Without it, the slots grow
    /// by doubling, up to the count bound.
    pub fn reserve(&mut self, slots: usize) {
        self.0.reserve(slots);
    }

    /// Adds a slot of `weight` as the most recently used, first evicting the least
    /// recently used slots until both bounds hold. Returns the new slot.
    ///
    /// # Errors
    /// [`WeightError`] when `weight` could never fit; nothing is evicted then.
    pub fn insert(&mut self, weight: u64, evict: impl FnMut(u32)) -> Result<u32, WeightError> {
        self.0.insert(weight, evict)
    }

    /// Marks a live slot as the most recently used and gives it a new weight, evicting
    /// other slots, least recently used first, until the weight bound holds again.
    ///
    /// # Errors
    /// [`WeightError`] when `weight` could never fit; the slot is left as it was.
    ///
    /// # Panics
    /// When `slot` is not live.
    pub fn reweigh(&mut self, slot: u32, weight: u64, evict: impl FnMut(u32)) -> Result<(), WeightError> {
        self.0.reweigh(slot, weight, evict)
    }

    /// Removes a live slot and returns its weight.
    ///
    /// # Panics
    /// When `slot` is not live.
    pub fn remove(&mut self, slot: u32) -> u64 {
        self.0.remove(slot)
    }

    /// Removes and returns the least recently used slot.
    pub fn pop_oldest(&mut self) -> Option<u32> {
        self.0.pop_oldest()
    }

    /// Sets the entry-count bound, evicting the least recently used slots beyond it.
    ///
    /// # Errors
    /// [`CapacityError`] when `cap` is zero or too large; nothing changes then.
    pub fn resize(&mut self, cap: usize, evict: impl FnMut(u32)) -> Result<(), CapacityError> {
        self.0.resize(cap, evict)
    }

    /// Sets the weight bound (`None` for none), evicting the least recently used slots
    /// until it holds.
    ///
    /// # Errors
    /// [`CapacityError::ZeroMaxWeight`] for `Some(0)`; nothing changes then.
    pub fn set_max_weight(
        &mut self,
        max_weight: Option<u64>,
        evict: impl FnMut(u32),
    ) -> Result<(), CapacityError> {
        self.0.set_max_weight(max_weight, evict)
    }

    /// The number of live slots.
    #[inline]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no slot is live.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The most slots that can be live at once.
    #[inline]
    pub fn cap(&self) -> usize {
        self.0.cap()
    }

    /// The total weight of the live slots.
    #[inline]
    pub fn weight(&self) -> u64 {
        self.0.weight()
    }

    /// The weight budget; `u64::MAX` when the order was made without one.
    #[inline]
    pub fn max_weight(&self) -> u64 {
        self.0.max_weight()
    }

    /// The number of slot numbers handed out so far: every live slot is below it, so it
    /// is the length the caller's arrays indexed by slot need.
    #[inline]
    pub fn slots(&self) -> usize {
        self.0.slots()
    }

    /// Whether `slot` is live.
    #[inline]
    pub fn contains(&self, slot: u32) -> bool {
        self.0.contains(slot)
    }

    /// The weight of a live slot; `None` if `slot` is not live.
    #[inline]
    pub fn weight_of(&self, slot: u32) -> Option<u64> {
        self.0.weight_of(slot)
    }

    /// The most recently used slot.
    #[inline]
    pub fn newest(&self) -> Option<u32> {
        self.0.newest()
    }

    /// The least recently used slot: the next to be evicted.
    #[inline]
    pub fn oldest(&self) -> Option<u32> {
        self.0.oldest()
    }

    /// Marks a live slot as the most recently used.
    ///
    /// # Panics
    /// When `slot` is not live.
    #[inline]
    pub fn touch(&mut self, slot: u32) {
        self.0.touch(slot);
    }

    /// Checks that a slot of `weight` could ever be held, without changing anything.
    ///
    /// # Errors
    /// [`WeightError`] when `weight` is zero or above [`max_weight`](Self::max_weight).
    #[inline]
    pub fn check_weight(&self, weight: u64) -> Result<(), WeightError> {
        self.0.check_weight(weight)
    }

    /// Removes every slot and forgets every slot number: the next insertion returns 0.
    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The live slots from most to least recently used; iterate it backwards for the
    /// reverse (the next victims first).
    ///
    /// # Examples
    /// ```
    /// let mut order = edge_lru::Order::new(4, None).unwrap();
    /// let [a, b, c] = [(); 3].map(|()| order.insert(1, |_| {}).unwrap());
    /// assert_eq!(order.iter().collect::<Vec<_>>(), [c, b, a]);
    /// // The two slots the next two insertions into a full order would evict:
    /// order.insert(1, |_| {}).unwrap();
    /// assert_eq!(order.iter().rev().take(2).collect::<Vec<_>>(), [a, b]);
    /// ```
    pub fn iter(&self) -> Iter<'_> {
        Iter(self.0.iter())
    }

    /// Checks every internal invariant and panics with a description of the first one
    /// broken. A hook for tests (it walks every slot), not part of the API.
    #[doc(hidden)]
    pub fn assert_invariants(&self) {
        self.0.assert_invariants();
    }
}

/// The live slots of an [`Order`], newest first; double-ended. See [`Order::iter`].
#[derive(Debug, Clone)]
pub struct Iter<'a>(list::Iter<'a, ()>);

impl Iterator for Iter<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        self.0.next()
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<u32> {
        self.0.next_back()
    }
}

impl ExactSizeIterator for Iter<'_> {}
impl core::iter::FusedIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Order {
    type Item = u32;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}
