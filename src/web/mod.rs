//! The browser boundary, and the only wasm-bindgen code: typed arrays, numbers and plain
//! objects in and out, Rust errors turned into JS errors with messages meant for people.
//! One file per concern; the worker (`www/lib/worker.js`) is its only caller.

mod bench;
mod device;
mod ksweep;
mod map;
mod model;
mod registry;
mod table;
mod training;

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let text = info.to_string();
        // The one-thread build is made without locations (`-Z location-detail=none`).
        let text = text.strip_prefix("panicked at <redacted>:").map_or(text.as_str(), str::trim);
        tell_the_worker(text);
    }));
}

/// Hands a panic's message to the worker's `deepclustPanic` (www/lib/worker.js), before the
/// trap that follows it: the trap's own error says only "unreachable", and calling into the
/// module after a trap is not safe. A thread of the pool has no such function and only logs.
fn tell_the_worker(message: &str) {
    let global = js_sys::global();
    if let Ok(f) = js_sys::Reflect::get(&global, &JsValue::from_str("deepclustPanic")) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let _ = f.call1(&global, &JsValue::from_str(message));
        }
    }
}

/// A panic on purpose, for the browser test of what a trap does to the page (its message
/// reaches the page, the worker restarts).
#[wasm_bindgen]
pub fn panic_for_tests(message: &str) {
    panic!("{message}");
}

fn to_js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn js_error(message: impl std::fmt::Display) -> JsValue {
    JsError::new(&message.to_string()).into()
}

/// Runs async work on the value in `cell` and returns it as a promise. The value is taken out
/// for the duration, so no `RefCell` borrow spans an `await` and a second call while one is
/// running gets a clear error instead of a panic.
fn run_taken<T: 'static>(
    cell: &Rc<RefCell<Option<T>>>,
    work: impl AsyncFnOnce(&mut T) -> Result<JsValue, JsValue> + 'static,
) -> Promise {
    let cell = cell.clone();
    future_to_promise(async move {
        let mut value = cell
            .take()
            .ok_or_else(|| js_error("the previous step is still running"))?;
        let result = work(&mut value).await;
        cell.replace(Some(value));
        result
    })
}

/// A plain JS object from `(name, value)` pairs.
fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let o = js_sys::Object::new();
    for (name, value) in fields {
        js_sys::Reflect::set(&o, &JsValue::from_str(name), value)
            .expect("setting a property of a fresh object");
    }
    o.into()
}
