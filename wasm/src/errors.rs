//! Core errors as JS `RangeError`s and `TypeError`s carrying a stable `code` property.

#[cfg(feature = "permissions")]
use js_sys::TypeError;
use js_sys::{RangeError, Reflect};
use wasm_bindgen::JsValue;

use edge_lru::{CapacityError, WeightError, MAX_CAPACITY};

/// A `RangeError` with `message` and `code`.
pub(crate) fn range_error(code: &str, message: &str) -> JsValue {
    with_code(RangeError::new(message).into(), code)
}

/// A `TypeError` with `message` and `code`.
#[cfg(feature = "permissions")]
pub(crate) fn type_error(code: &str, message: &str) -> JsValue {
    with_code(TypeError::new(message).into(), code)
}

fn with_code(error: JsValue, code: &str) -> JsValue {
    // Setting a property on a fresh error object cannot fail.
    let _ = Reflect::set(&error, &JsValue::from_str("code"), &JsValue::from_str(code));
    error
}

pub(crate) fn capacity(error: CapacityError) -> JsValue {
    let code = match error {
        CapacityError::ZeroCapacity | CapacityError::TooLarge { .. } => "ERR_LRU_MAX",
        CapacityError::ZeroMaxWeight => "ERR_LRU_MAX_SIZE",
    };
    range_error(code, &error.to_string())
}

pub(crate) fn weight(error: WeightError) -> JsValue {
    let message = match error {
        WeightError::Zero => "entry size must be at least 1".to_string(),
        WeightError::TooHeavy { weight, max_weight } => {
            format!("entry size {weight} is above maxSize {max_weight}; the entry was not stored")
        }
    };
    range_error("ERR_LRU_ENTRY_SIZE", &message)
}

/// A JS number as a whole count, or a `RangeError` with `code`.
pub(crate) fn whole(value: f64, code: &str) -> Result<usize, JsValue> {
    if value.fract() == 0.0 && value >= 0.0 && value <= MAX_CAPACITY as f64 {
        Ok(value as usize)
    } else {
        Err(range_error(code, &format!("{value} is not a whole number from 1 to {}", MAX_CAPACITY)))
    }
}
