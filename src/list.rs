//! The recency list: slots in least-recently-used order, with count and weight bounds.
//!
//! [`List`] hands out dense `u32` slot numbers, keeps them in a doubly linked list from
//! most to least recently used, and decides which slots leave when a bound would be
//! crossed. Each slot carries a payload of type `T` in the same array as its links:
//! [`LruCache`](crate::LruCache) stores its keys and values there, so finding an entry
//! and moving it to the front touch one slot, not one in each of two arrays. The public
//! [`Order`](crate::Order) is a `List<()>`, driven with slot numbers only.

use crate::error::{CapacityError, WeightError, MAX_CAPACITY};

/// The end of a list.
pub(crate) const NIL: u32 = u32::MAX;

/// The `prev` link of a free slot. Slot numbers stay below [`MAX_CAPACITY`], so neither
/// this nor [`NIL`] is ever a slot.
const FREE: u32 = u32::MAX - 1;
const _: () = assert!(MAX_CAPACITY as u64 <= FREE as u64);

/// One slot: its links and its payload, side by side.
#[derive(Debug, Clone)]
struct Node<T> {
    /// The newer neighbour ([`NIL`] for the newest), or [`FREE`] on a free slot.
    prev: u32,
    /// The older neighbour ([`NIL`] for the oldest), or the next free slot.
    next: u32,
    /// `T::default()` on a free slot.
    payload: T,
}

/// Slot numbers in recency order, bounded by an entry count and a total weight.
///
/// Every operation is amortized O(1) (the slot arena grows by doubling, and the first
/// weight other than 1 allocates the weights of every slot) except those that evict,
/// which are amortized O(1) for each slot they evict. Evicted slots are reported to a callback as they leave, oldest first, and
/// are reused by the next insertion (last evicted first).
///
/// `T` is a payload kept in each slot beside its links: `()` in an
/// [`Order`](crate::Order), the entries in an [`LruCache`](crate::LruCache).
#[derive(Debug, Clone)]
pub(crate) struct List<T> {
    nodes: Vec<Node<T>>,
    /// The weight of each slot (meaningless on free ones), apart from the nodes: only
    /// insertion, eviction, removal and reweighing use it, so lookups and touches do not
    /// carry it in cache. Empty while every live slot weighs 1, as in an order bounded
    /// by count alone, which then never reads or writes it.
    weights: Vec<u64>,
    head: u32,
    tail: u32,
    free: u32,
    len: u32,
    cap: u32,
    weight: u64,
    max_weight: u64,
}

impl List<()> {
    /// Creates an empty order holding at most `cap` slots and, when given, at most
    /// `max_weight` in total weight.
    ///
    /// # Errors
    /// [`CapacityError`] when `cap` is zero or above [`MAX_CAPACITY`], or `max_weight` is zero.
    pub(crate) fn new(cap: usize, max_weight: Option<u64>) -> Result<Self, CapacityError> {
        Self::with_bounds(cap, max_weight)
    }

    /// Adds a slot of `weight` as the most recently used, first evicting the least
    /// recently used slots until both bounds hold. Returns the new slot.
    ///
    /// # Errors
    /// [`WeightError`] when `weight` could never fit; nothing is evicted then.
    pub(crate) fn insert(&mut self, weight: u64, mut evict: impl FnMut(u32)) -> Result<u32, WeightError> {
        self.check_weight(weight)?;
        Ok(self.push_front(weight, (), |slot, ()| evict(slot)))
    }

    /// Marks a live slot as the most recently used and gives it a new weight, evicting
    /// other slots, least recently used first, until the weight bound holds again.
    ///
    /// # Errors
    /// [`WeightError`] when `weight` could never fit; the slot is left as it was.
    ///
    /// # Panics
    /// When `slot` is not live.
    pub(crate) fn reweigh(
        &mut self,
        slot: u32,
        weight: u64,
        mut evict: impl FnMut(u32),
    ) -> Result<(), WeightError> {
        assert!(self.contains(slot), "reweigh of a slot that is not live");
        self.check_weight(weight)?;
        self.touch_live(slot);
        self.reweigh_front(slot, weight, |slot, ()| evict(slot));
        Ok(())
    }

    /// Removes a live slot and returns its weight.
    ///
    /// # Panics
    /// When `slot` is not live.
    pub(crate) fn remove(&mut self, slot: u32) -> u64 {
        self.take(slot).0
    }

    /// Removes and returns the least recently used slot.
    pub(crate) fn pop_oldest(&mut self) -> Option<u32> {
        let slot = self.oldest()?;
        self.remove(slot);
        Some(slot)
    }

    /// Sets the entry-count bound, evicting the least recently used slots beyond it.
    ///
    /// # Errors
    /// [`CapacityError`] when `cap` is zero or too large; nothing changes then.
    pub(crate) fn resize(&mut self, cap: usize, mut evict: impl FnMut(u32)) -> Result<(), CapacityError> {
        self.resize_with(cap, |slot, ()| evict(slot))
    }

    /// Sets the weight bound (`None` for none), evicting the least recently used slots
    /// until it holds.
    ///
    /// # Errors
    /// [`CapacityError::ZeroMaxWeight`] for `Some(0)`; nothing changes then.
    pub(crate) fn set_max_weight(
        &mut self,
        max_weight: Option<u64>,
        mut evict: impl FnMut(u32),
    ) -> Result<(), CapacityError> {
        self.set_max_weight_with(max_weight, |slot, ()| evict(slot))
    }
}

impl<T> List<T> {
    /// An empty list with the given bounds.
    pub(crate) fn with_bounds(cap: usize, max_weight: Option<u64>) -> Result<Self, CapacityError> {
        Ok(Self {
            nodes: Vec::new(),
            weights: Vec::new(),
            head: NIL,
            tail: NIL,
            free: NIL,
            len: 0,
            cap: check_cap(cap)?,
            weight: 0,
            max_weight: check_max_weight(max_weight)?,
        })
    }

    /// The number of live slots.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len as usize
    }

    /// Whether no slot is live.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The most slots that can be live at once.
    #[inline]
    pub(crate) fn cap(&self) -> usize {
        self.cap as usize
    }

    /// The total weight of the live slots.
    #[inline]
    pub(crate) fn weight(&self) -> u64 {
        self.weight
    }

    /// The weight budget; `u64::MAX` when the order was made without one.
    #[inline]
    pub(crate) fn max_weight(&self) -> u64 {
        self.max_weight
    }

    /// The number of slot numbers handed out so far: every live slot is below it.
    #[inline]
    pub(crate) fn slots(&self) -> usize {
        self.nodes.len()
    }

    /// Whether `slot` is live.
    #[inline]
    pub(crate) fn contains(&self, slot: u32) -> bool {
        self.nodes.get(slot as usize).is_some_and(|n| n.prev != FREE)
    }

    /// The weight of a live slot.
    #[inline]
    pub(crate) fn weight_of(&self, slot: u32) -> Option<u64> {
        self.contains(slot).then(|| self.weight_at(slot))
    }

    /// The most recently used slot.
    #[inline]
    pub(crate) fn newest(&self) -> Option<u32> {
        (self.head != NIL).then_some(self.head)
    }

    /// The least recently used slot: the next to be evicted.
    #[inline]
    pub(crate) fn oldest(&self) -> Option<u32> {
        (self.tail != NIL).then_some(self.tail)
    }

    /// Marks a live slot as the most recently used.
    ///
    /// # Panics
    /// When `slot` is not live.
    #[inline]
    pub(crate) fn touch(&mut self, slot: u32) {
        assert!(self.contains(slot), "touch of a slot that is not live");
        self.move_to_front(slot);
    }

    /// [`touch`](Self::touch) for a slot the caller knows to be live, such as one just
    /// found through [`LruCache`](crate::LruCache)'s key index.
    #[inline]
    pub(crate) fn touch_live(&mut self, slot: u32) {
        debug_assert!(self.contains(slot), "touch of a slot that is not live");
        self.move_to_front(slot);
    }

    /// Checks that an entry of `weight` could ever be held.
    ///
    /// # Errors
    /// [`WeightError`] when `weight` is zero or above [`max_weight`](Self::max_weight).
    #[inline]
    pub(crate) fn check_weight(&self, weight: u64) -> Result<(), WeightError> {
        if weight == 0 {
            Err(WeightError::Zero)
        } else if weight > self.max_weight {
            Err(WeightError::TooHeavy { weight, max_weight: self.max_weight })
        } else {
            Ok(())
        }
    }

    /// Removes every slot and forgets every slot number.
    pub(crate) fn clear(&mut self) {
        // Empty first, then drop the payloads: a payload whose `Drop` panics leaves an
        // empty, usable order (and `Vec` still drops the rest).
        let mut nodes = core::mem::take(&mut self.nodes);
        self.weights.clear();
        self.head = NIL;
        self.tail = NIL;
        self.free = NIL;
        self.len = 0;
        self.weight = 0;
        nodes.clear();
        self.nodes = nodes;
    }

    /// The live slots from most to least recently used; iterate it backwards for the
    /// reverse.
    pub(crate) fn iter(&self) -> Iter<'_, T> {
        Iter { order: self, front: self.head, back: self.tail, remaining: self.len as usize }
    }

    /// The slot used just after `slot`, toward the newest; for walks that remove as
    /// they go.
    #[inline]
    pub(crate) fn newer(&self, slot: u32) -> Option<u32> {
        let prev = self.nodes[slot as usize].prev;
        (prev != NIL).then_some(prev)
    }

    /// The payload of `slot`; `T::default()` for a free slot.
    ///
    /// # Panics
    /// When `slot` was never handed out.
    #[inline]
    pub(crate) fn payload(&self, slot: u32) -> &T {
        &self.nodes[slot as usize].payload
    }

    /// The payload of `slot`, mutably; see [`payload`](Self::payload).
    #[inline]
    pub(crate) fn payload_mut(&mut self, slot: u32) -> &mut T {
        &mut self.nodes[slot as usize].payload
    }

    /// Checks every internal invariant and panics with a description of the first one
    /// broken. A hook for tests (it walks every slot), not part of the API.
    pub(crate) fn assert_invariants(&self) {
        let mut seen = vec![false; self.nodes.len()];
        let (mut count, mut weight, mut prev, mut slot) = (0u32, 0u64, NIL, self.head);
        while slot != NIL {
            let node = &self.nodes[slot as usize];
            assert!(!seen[slot as usize], "slot {slot} is linked twice");
            seen[slot as usize] = true;
            assert_eq!(node.prev, prev, "slot {slot} has a wrong prev link");
            let slot_weight = self.weight_at(slot);
            assert_ne!(slot_weight, 0, "linked slot {slot} has weight 0");
            count += 1;
            weight += slot_weight;
            prev = slot;
            slot = node.next;
        }
        assert_eq!(prev, self.tail, "tail is not the last linked slot");
        assert_eq!(count, self.len, "len differs from the linked count");
        assert_eq!(weight, self.weight, "weight differs from the linked sum");
        assert!(self.len <= self.cap, "len {} above cap {}", self.len, self.cap);
        assert!(self.weight <= self.max_weight, "weight above max_weight");
        if !self.weights.is_empty() {
            assert_eq!(self.weights.len(), self.nodes.len(), "weights and nodes differ in length");
        }
        let mut free = 0usize;
        let mut slot = self.free;
        while slot != NIL {
            let node = &self.nodes[slot as usize];
            assert!(!seen[slot as usize], "slot {slot} is both free and linked, or free twice");
            seen[slot as usize] = true;
            assert_eq!(node.prev, FREE, "free slot {slot} is not marked free");
            free += 1;
            slot = node.next;
        }
        assert_eq!(free + self.len as usize, self.nodes.len(), "a slot is neither live nor free");
    }

    /// The weight of a live slot.
    #[inline]
    fn weight_at(&self, slot: u32) -> u64 {
        self.weights.get(slot as usize).copied().unwrap_or(1)
    }

    /// Makes room for more slots: twice as many, but never more than the count bound, so
    /// that a full order holds no slack (a slot is only added below the bound).
    #[cold]
    #[inline(never)]
    fn grow(&mut self) {
        let len = self.nodes.len();
        let target = (2 * len).max(8).min(self.cap as usize);
        self.nodes.reserve_exact(target - len);
    }

    /// Reserves room for `slots` slots in all, at most the count bound, so that the order
    /// allocates nothing more until it holds that many.
    pub(crate) fn reserve(&mut self, slots: usize) {
        let target = slots.min(self.cap as usize);
        self.nodes.reserve_exact(target.saturating_sub(self.nodes.len()));
    }

    /// Sets the weight of a live slot whose node is in place.
    #[inline]
    fn set_weight(&mut self, slot: u32, weight: u64) {
        if let Some(w) = self.weights.get_mut(slot as usize) {
            *w = weight;
        } else if weight != 1 || !self.weights.is_empty() {
            self.grow_weights(slot, weight);
        }
    }

    /// [`set_weight`](Self::set_weight) for a slot past the end of `weights`: a new
    /// slot of a weighted order, or the first slot not to weigh 1.
    #[inline(never)]
    fn grow_weights(&mut self, slot: u32, weight: u64) {
        if self.weights.is_empty() {
            self.weights = self.nodes.iter().map(|n| u64::from(n.prev != FREE)).collect();
        } else {
            self.weights.resize(self.nodes.len(), 0);
        }
        self.weights[slot as usize] = weight;
    }

    /// Moves a live slot to the front of the list.
    #[inline]
    fn move_to_front(&mut self, slot: u32) {
        let head = self.head;
        if head == slot {
            return;
        }
        let node = &self.nodes[slot as usize];
        let (prev, next) = (node.prev, node.next);
        // A live slot that is not the head has a newer neighbour, and the head is live.
        self.nodes[prev as usize].next = next;
        match next {
            NIL => self.tail = prev,
            n => self.nodes[n as usize].prev = prev,
        }
        self.nodes[head as usize].prev = slot;
        let node = &mut self.nodes[slot as usize];
        node.prev = NIL;
        node.next = head;
        self.head = slot;
    }

    #[inline]
    fn unlink(&mut self, slot: u32) {
        let node = &self.nodes[slot as usize];
        let (prev, next) = (node.prev, node.next);
        match prev {
            NIL => self.head = next,
            p => self.nodes[p as usize].next = next,
        }
        match next {
            NIL => self.tail = prev,
            n => self.nodes[n as usize].prev = prev,
        }
    }
}

impl<T: Default> List<T> {
    /// Adds a slot of `weight` holding `payload` as the most recently used, first
    /// evicting the least recently used slots, with their payloads, until both bounds
    /// hold. Returns the new slot: the last one freed, if any.
    ///
    /// `weight` must have passed [`check_weight`](Self::check_weight).
    #[inline]
    pub(crate) fn push_front(&mut self, weight: u64, payload: T, evict: impl FnMut(u32, T)) -> u32 {
        debug_assert!(self.check_weight(weight).is_ok());
        self.evict_until(self.cap - 1, self.max_weight - weight, evict);
        let head = self.head;
        let node = Node { prev: NIL, next: head, payload };
        let slot = match self.free {
            NIL => {
                if self.nodes.len() == self.nodes.capacity() {
                    self.grow();
                }
                self.nodes.push(node);
                (self.nodes.len() - 1) as u32
            }
            slot => {
                let free = &mut self.nodes[slot as usize];
                self.free = free.next;
                *free = node;
                slot
            }
        };
        self.set_weight(slot, weight);
        match head {
            NIL => self.tail = slot,
            h => self.nodes[h as usize].prev = slot,
        }
        self.head = slot;
        self.len += 1;
        self.weight += weight;
        slot
    }

    /// Gives the newest slot a new weight, evicting other slots, least recently used
    /// first, until the weight bound holds again.
    ///
    /// `slot` must be the newest, and `weight` must have passed
    /// [`check_weight`](Self::check_weight).
    #[inline]
    pub(crate) fn reweigh_front(&mut self, slot: u32, weight: u64, evict: impl FnMut(u32, T)) {
        debug_assert!(self.check_weight(weight).is_ok() && self.head == slot);
        // Evict the others until `weight - old + new` fits, without adding `new` first
        // (that could pass `u64::MAX` when there is no budget) and without taking `old`
        // out first (an `evict` that panics would leave the total short). The slot is
        // the newest and fits alone, so it is never evicted here, and `len` does not
        // change. A bound above `u64::MAX` saturates, and no weight exceeds it.
        let old = self.weight_at(slot);
        self.evict_until(self.cap, (self.max_weight - weight).saturating_add(old), evict);
        self.set_weight(slot, weight);
        self.weight = self.weight - old + weight;
    }

    /// Removes a live slot; returns its weight and payload.
    ///
    /// # Panics
    /// When `slot` is not live.
    #[inline]
    pub(crate) fn take(&mut self, slot: u32) -> (u64, T) {
        assert!(self.contains(slot), "remove of a slot that is not live");
        self.unlink(slot);
        let free = self.free;
        let node = &mut self.nodes[slot as usize];
        let payload = core::mem::take(&mut node.payload);
        node.prev = FREE;
        node.next = free;
        let weight = self.weight_at(slot);
        self.free = slot;
        self.len -= 1;
        self.weight -= weight;
        (weight, payload)
    }

    /// [`List::resize`], handing each evicted slot's payload to `evict`.
    pub(crate) fn resize_with(&mut self, cap: usize, evict: impl FnMut(u32, T)) -> Result<(), CapacityError> {
        let cap = check_cap(cap)?;
        // Evict first: if `evict` panics, the old bound still holds.
        self.evict_until(cap, self.max_weight, evict);
        self.cap = cap;
        Ok(())
    }

    /// [`List::set_max_weight`], handing each evicted slot's payload to `evict`.
    pub(crate) fn set_max_weight_with(
        &mut self,
        max_weight: Option<u64>,
        evict: impl FnMut(u32, T),
    ) -> Result<(), CapacityError> {
        let max_weight = check_max_weight(max_weight)?;
        // Evict first: if `evict` panics, the old bound still holds.
        self.evict_until(self.cap, max_weight, evict);
        self.max_weight = max_weight;
        Ok(())
    }

    /// Evicts from the tail until at most `max_len` slots and `max_weight` weight remain.
    #[inline]
    fn evict_until(&mut self, max_len: u32, max_weight: u64, mut evict: impl FnMut(u32, T)) {
        while self.len > max_len || self.weight > max_weight {
            // The bounds are crossed, so the list is not empty and `tail` is live.
            let slot = self.tail;
            let free = self.free;
            let node = &mut self.nodes[slot as usize];
            let prev = node.prev;
            let payload = core::mem::take(&mut node.payload);
            node.prev = FREE;
            node.next = free;
            let weight = self.weight_at(slot);
            match prev {
                NIL => self.head = NIL,
                p => self.nodes[p as usize].next = NIL,
            }
            self.tail = prev;
            self.free = slot;
            self.len -= 1;
            self.weight -= weight;
            evict(slot, payload);
        }
    }
}

fn check_cap(cap: usize) -> Result<u32, CapacityError> {
    match cap {
        0 => Err(CapacityError::ZeroCapacity),
        c if c > MAX_CAPACITY => Err(CapacityError::TooLarge { requested: c }),
        c => Ok(c as u32),
    }
}

fn check_max_weight(max_weight: Option<u64>) -> Result<u64, CapacityError> {
    match max_weight {
        Some(0) => Err(CapacityError::ZeroMaxWeight),
        Some(w) => Ok(w),
        None => Ok(u64::MAX),
    }
}

/// The live slots of an [`List`], newest first; double-ended.
#[derive(Debug)]
pub(crate) struct Iter<'a, T> {
    order: &'a List<T>,
    front: u32,
    back: u32,
    remaining: usize,
}

impl<'a, T> Iter<'a, T> {
    /// The order walked, for reading the payloads of the slots it yields.
    #[inline]
    pub(crate) fn order(&self) -> &'a List<T> {
        self.order
    }
}

impl<T> Clone for Iter<'_, T> {
    fn clone(&self) -> Self {
        Self { ..*self }
    }
}

impl<T> Iterator for Iter<'_, T> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.remaining == 0 {
            return None;
        }
        let slot = self.front;
        self.front = self.order.nodes[slot as usize].next;
        self.remaining -= 1;
        Some(slot)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    #[inline]
    fn next_back(&mut self) -> Option<u32> {
        if self.remaining == 0 {
            return None;
        }
        let slot = self.back;
        self.back = self.order.nodes[slot as usize].prev;
        self.remaining -= 1;
        Some(slot)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}
impl<T> core::iter::FusedIterator for Iter<'_, T> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_slots_grow_up_to_the_count_bound_and_no_further() {
        let mut list = List::<()>::new(100, None).unwrap();
        for _ in 0..250 {
            list.insert(1, |_| {}).unwrap();
            assert!(list.nodes.capacity() <= 100, "capacity {}", list.nodes.capacity());
        }
        assert_eq!(list.nodes.len(), 100);
        assert_eq!(list.nodes.capacity(), 100);
    }

    #[test]
    fn reserved_slots_are_not_moved_by_insertions() {
        let mut list = List::<()>::new(1000, None).unwrap();
        list.reserve(5000);
        assert_eq!(list.nodes.capacity(), 1000);
        let before = list.nodes.as_ptr();
        for _ in 0..1500 {
            list.insert(1, |_| {}).unwrap();
        }
        assert_eq!(list.nodes.as_ptr(), before);
        assert_eq!(list.nodes.capacity(), 1000);
    }
}
