//! The device every run in this worker trains on, chosen once.

use std::cell::{Cell, RefCell};

use burn::tensor::Device;
use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::table::Table;
use super::{js_error, object, to_js};
use crate::model::Architecture;
use crate::train::probe::{ProbeResult, step_ms};
use crate::train::{Backend, Settings, choose_device};

thread_local! {
    /// wgpu initialises once per worker, so the chosen device is kept for every run after.
    static DEVICE: RefCell<Option<(Device, Backend)>> = const { RefCell::new(None) };
    /// Runs train on the CPU although the GPU came up: the probe found the CPU faster.
    static ON_CPU: Cell<bool> = const { Cell::new(false) };
}

/// With `true`, later runs and models use the CPU even where the GPU came up; `false` goes
/// back to the chosen device.
#[wasm_bindgen]
pub fn use_cpu(on: bool) {
    ON_CPU.set(on);
}

/// The network and batch a run on `table` with `settings` would train, for the probe.
fn probed_network(table: &Table, settings: &str) -> Result<(Architecture, usize), JsError> {
    let config = Settings::from_json(settings).map_err(to_js)?.config(&table.0);
    if !config.method.is_deep() {
        return Err(JsError::new("this method trains no network"));
    }
    let batch = config.batch_size.min(table.0.dataset.rows).max(1);
    Ok((config.architecture(), batch))
}

/// Times a few training steps of the network a run on `table` with `settings` would train,
/// on the CPU and on the GPU, each for about `budget_ms` after a first untimed step. `cpu_ms`,
/// when given, is the CPU's time measured elsewhere (the threaded build, which would train
/// there), and the CPU is not timed here.
/// Resolves to `{cpuMs, gpuMs, gpuFaster, text}`, `text` the badge's words with `adapter`
/// (the GPU's name) in them. Rejects without a GPU, or for a method without a network.
#[wasm_bindgen]
pub fn probe_devices(
    table: &Table,
    settings: &str,
    budget_ms: f64,
    adapter: String,
    cpu_ms: Option<f64>,
) -> Result<Promise, JsError> {
    let (architecture, batch) = probed_network(table, settings)?;
    let gpu = DEVICE
        .with_borrow(|d| d.as_ref().filter(|(_, b)| *b == Backend::Gpu).map(|(d, _)| d.clone()))
        .ok_or_else(|| JsError::new("no GPU to compare with"))?;
    let now = || js_sys::Date::now();
    Ok(future_to_promise(async move {
        let cpu_ms = match cpu_ms {
            Some(ms) => ms,
            None => step_ms(&architecture, batch, Device::flex(), budget_ms, &now)
                .await
                .map_err(js_error)?,
        };
        let gpu_ms = step_ms(&architecture, batch, gpu, budget_ms, &now)
            .await
            .map_err(js_error)?;
        let result = ProbeResult { cpu_ms, gpu_ms };
        Ok(object(&[
            ("cpuMs", cpu_ms.into()),
            ("gpuMs", gpu_ms.into()),
            ("gpuFaster", result.gpu_faster().into()),
            ("text", result.describe("WebGPU", &adapter).into()),
        ]))
    }))
}

/// The CPU's side of [`probe_devices`] alone: milliseconds per training step of the network a
/// run on `table` with `settings` would train.
#[wasm_bindgen]
pub fn cpu_step_ms(table: &Table, settings: &str, budget_ms: f64) -> Result<Promise, JsError> {
    let (architecture, batch) = probed_network(table, settings)?;
    let now = || js_sys::Date::now();
    Ok(future_to_promise(async move {
        let ms = step_ms(&architecture, batch, Device::flex(), budget_ms, &now)
            .await
            .map_err(js_error)?;
        Ok(ms.into())
    }))
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
    if ON_CPU.get() {
        return Ok(Device::flex());
    }
    DEVICE
        .with_borrow(|d| d.as_ref().map(|(device, _)| device.clone()))
        .ok_or_else(|| JsError::new("call init_device first"))
}
