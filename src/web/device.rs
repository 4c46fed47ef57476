//! The device every run in this worker trains on, chosen once.

use std::cell::RefCell;

use burn::tensor::Device;
use wasm_bindgen::prelude::*;

use crate::train::{Backend, choose_device};

thread_local! {
    /// wgpu initialises once per worker, so the chosen device is kept for every run after.
    static DEVICE: RefCell<Option<(Device, Backend)>> = const { RefCell::new(None) };
}

/// Chooses the device once. Returns text for the UI that starts with `WebGPU` or `CPU`.
#[wasm_bindgen]
pub async fn init_device(prefer_gpu: bool) -> String {
    if let Some((_, backend)) = DEVICE.with_borrow(|d| d.clone()) {
        return describe(backend, None);
    }
    let (device, backend, why_not) = choose_device(prefer_gpu).await;
    DEVICE.set(Some((device, backend)));
    describe(backend, why_not)
}

fn describe(backend: Backend, why_not: Option<String>) -> String {
    match (backend, why_not) {
        (Backend::Gpu, _) => "WebGPU".into(),
        (Backend::Cpu, None) => "CPU".into(),
        (Backend::Cpu, Some(_)) => "CPU (this browser offers no WebGPU adapter)".into(),
    }
}

/// The chosen device, or an error asking for [`init_device`] first.
pub(super) fn device() -> Result<Device, JsError> {
    DEVICE
        .with_borrow(|d| d.as_ref().map(|(device, _)| device.clone()))
        .ok_or_else(|| JsError::new("call init_device first"))
}
