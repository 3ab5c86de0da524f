//! The boundary of the JS `PermissionCache`: users' compiled rule sets live here, in
//! slots ordered by an [`Order`] whose weights are the sets' exact sizes in bytes.
//!
//! The wrapper maps user names to slots. A listing is decided without passing its
//! names in: [`PermissionEngine::resolve`] returns the directory's decision and
//! publishes the few entry names whose decision differs, so a 1,000-entry listing is
//! one crossing with one short path.

use wasm_bindgen::prelude::*;

use edge_lru::permissions::{self, Op, PathError, RuleError, RuleSet};
use edge_lru::{Order, WeightError};

use super::errors::{self, range_error, type_error};
use super::{publish, publish_list, NIL};

/// Users' rule sets, bounded by a user count and a byte budget.
#[wasm_bindgen]
pub struct PermissionEngine {
    order: Order,
    sets: Vec<Option<RuleSet>>,
    evicted: Vec<u32>,
    exceptions: Vec<u8>,
    /// `[evicted count, evicted address, exceptions length, exceptions address]`
    io: Box<[u32; 4]>,
}

#[wasm_bindgen]
impl PermissionEngine {
    /// An engine for at most `max_users` users and, when `max_bytes` is above 0, at
    /// most that many bytes of compiled rules.
    #[wasm_bindgen(constructor)]
    pub fn new(max_users: f64, max_bytes: f64) -> Result<PermissionEngine, JsValue> {
        let max_bytes = (max_bytes > 0.0).then_some(max_bytes as u64);
        let users = errors::whole(max_users, "ERR_PERM_MAX_USERS")?;
        let order = Order::new(users, max_bytes).map_err(errors::capacity)?;
        Ok(PermissionEngine {
            order,
            sets: Vec::new(),
            evicted: Vec::new(),
            exceptions: Vec::new(),
            io: Box::new([0; 4]),
        })
    }

    /// The byte address of the I/O block.
    #[wasm_bindgen(getter = ioPtr)]
    pub fn io_ptr(&self) -> u32 {
        self.io.as_ptr() as u32
    }

    /// Compiles `packed` rules (see [`RuleSet::compile_packed`]) and stores them in
    /// `slot`, or in a new slot when `slot` is `u32::MAX`, as the most recently used.
    /// Returns the slot; evicted slots are published. On error nothing changes.
    pub fn store(&mut self, slot: u32, packed: &[u8]) -> Result<u32, JsValue> {
        let set = RuleSet::compile_packed(packed).map_err(rule_error)?;
        let weight = set.bytes() as u64;
        self.evicted.clear();
        let (evicted, sets) = (&mut self.evicted, &mut self.sets);
        let evict = |slot: u32| {
            sets[slot as usize] = None;
            evicted.push(slot);
        };
        let result = if slot == NIL {
            self.order.insert(weight, evict)
        } else {
            self.order.reweigh(slot, weight, evict).map(|()| slot)
        };
        self.publish();
        let slot = result.map_err(|e| match e {
            WeightError::TooHeavy { weight, max_weight } => range_error(
                "ERR_PERM_TOO_LARGE",
                &format!("the user's rules take {weight} bytes, more than maxBytes ({max_weight})"),
            ),
            WeightError::Zero => unreachable!("a rule set has a size"),
        })?;
        match self.sets.get_mut(slot as usize) {
            Some(place) => *place = Some(set),
            None => self.sets.push(Some(set)),
        }
        Ok(slot)
    }

    /// Whether the user in `slot` may do `op` (an [`Op`] number) on `path`; marks the
    /// user as the most recently used. A refused path changes nothing.
    pub fn check(&mut self, slot: u32, path: &str, op: u8) -> Result<bool, JsValue> {
        let op = to_op(op)?;
        let allowed = self.set(slot).allows(path, op).map_err(path_error)?;
        self.order.touch(slot);
        Ok(allowed)
    }

    /// Whether any rule of the user in `slot` lies strictly below `path` (see
    /// [`RuleSet::has_rules_below`]); marks the user as the most recently used. A
    /// refused path changes nothing.
    #[wasm_bindgen(js_name = hasRulesBelow)]
    pub fn has_rules_below(&mut self, slot: u32, path: &str) -> Result<bool, JsValue> {
        let below = self.set(slot).has_rules_below(path).map_err(path_error)?;
        self.order.touch(slot);
        Ok(below)
    }

    /// Decides `op` for the entries of `dir`: returns whether an ordinary entry is
    /// allowed, and publishes, NUL-terminated, the entry names decided the other way.
    /// Marks the user as the most recently used. A refused path changes nothing.
    pub fn resolve(&mut self, slot: u32, dir: &str, op: u8) -> Result<bool, JsValue> {
        let op = to_op(op)?;
        let set = self.sets[slot as usize].as_ref().expect("live slots hold a rule set");
        let rules = set.dir(dir).map_err(path_error)?;
        self.exceptions.clear();
        for name in rules.exceptions(op) {
            self.exceptions.extend_from_slice(name.as_bytes());
            self.exceptions.push(0);
        }
        self.io[2] = self.exceptions.len() as u32;
        self.io[3] = self.exceptions.as_ptr() as u32;
        let allowed = rules.ops().contains(op);
        self.order.touch(slot);
        Ok(allowed)
    }

    /// Refuses a path that no check would accept (relative, or holding `..`, a NUL byte
    /// or a backslash), so that a call for a user who is not cached can fail before
    /// loading them.
    #[wasm_bindgen(js_name = checkPath)]
    pub fn check_path(path: &str) -> Result<(), JsValue> {
        permissions::validate(path).map_err(path_error)
    }

    /// The size in bytes of the rule set in `slot`.
    #[wasm_bindgen(js_name = bytesOf)]
    pub fn bytes_of(&self, slot: u32) -> f64 {
        self.set(slot).bytes() as f64
    }

    /// Removes the user in `slot`.
    pub fn remove(&mut self, slot: u32) {
        self.order.remove(slot);
        self.sets[slot as usize] = None;
    }

    /// Removes every user.
    pub fn clear(&mut self) {
        self.order.clear();
        self.sets.clear();
    }

    /// Publishes every user's slot, most recently used first, as evicted slots are;
    /// returns how many there are.
    pub fn snapshot(&mut self) -> u32 {
        publish_list(&mut self.io[..], &mut self.evicted, self.order.iter())
    }

    /// The number of cached users.
    #[wasm_bindgen(getter = len)]
    pub fn count(&self) -> u32 {
        self.order.len() as u32
    }

    /// The bytes of all cached rule sets.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        self.order.weight() as f64
    }

    fn set(&self, slot: u32) -> &RuleSet {
        self.sets[slot as usize].as_ref().expect("live slots hold a rule set")
    }

    fn publish(&mut self) {
        publish(&mut self.io[..], &self.evicted);
    }
}

fn to_op(op: u8) -> Result<Op, JsValue> {
    Op::ALL
        .get(usize::from(op))
        .copied()
        .ok_or_else(|| type_error("ERR_PERM_OP", &format!("no operation {op}")))
}

fn path_error(error: PathError) -> JsValue {
    type_error("ERR_PERM_PATH", &error.to_string())
}

fn rule_error(error: RuleError) -> JsValue {
    type_error("ERR_PERM_RULES", &error.to_string())
}
