//! The method registry, for the page's method list and the JS library's `methods()`.

use wasm_bindgen::prelude::*;

/// Every method as JSON: `[{name, title, summary, help, loss, deep, images, settings}]`, in
/// the registry's order (see `crate::cluster::registry`).
#[wasm_bindgen]
pub fn methods() -> String {
    crate::cluster::registry::methods_json()
}
