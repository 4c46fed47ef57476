//! deepclust: deep clustering (DEC and friends) that runs in a browser on WebGPU or the CPU,
//! and natively with the same code.
//!
//! The road the data takes: [`data`] (files → numeric matrix) → [`model`] (autoencoders) →
//! [`cluster`] (methods and their maths) → [`train`] (the step-by-step driver) → `web`
//! (the only wasm-bindgen code). [`metrics`] scores results; [`project`] draws them in 2-D.

pub mod cluster;
pub mod data;
pub mod metrics;
pub mod model;
pub mod project;
pub mod rng;
pub mod train;

#[cfg(target_family = "wasm")]
mod web;

/// The page's CPU build on every core: `initThreadPool(n)` from JS starts `n` rayon threads
/// (Web Workers on this module's shared memory) before the first run.
#[cfg(all(target_family = "wasm", feature = "threads"))]
pub use wasm_bindgen_rayon::init_thread_pool;
