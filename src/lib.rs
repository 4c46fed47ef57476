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
