//! The benchmark page's training step.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::device::device;
use super::{js_error, run_taken};

/// Training-speed benchmark: Adam steps of an autoencoder on random data; JS times each
/// `step()` (whose promise resolves after the loss is read back).
#[wasm_bindgen]
pub struct BenchRun {
    steps: Rc<RefCell<Option<crate::train::AutoencoderSteps>>>,
}

#[wasm_bindgen]
impl BenchRun {
    #[wasm_bindgen(constructor)]
    pub fn new(dims: Vec<usize>, batch: usize) -> Result<BenchRun, JsError> {
        let dense = crate::model::Architecture::dense(dims);
        let Some(architecture) = dense.filter(|_| batch > 0) else {
            return Err(JsError::new(
                "dims needs at least two positive sizes and batch must be ≥ 1",
            ));
        };
        let device = device()?;
        let steps = crate::train::AutoencoderSteps::new(&architecture, batch, 42, device);
        Ok(BenchRun {
            steps: Rc::new(RefCell::new(Some(steps))),
        })
    }

    /// Resolves to the loss (a number).
    pub fn step(&self) -> Promise {
        run_taken(
            &self.steps,
            async move |steps: &mut crate::train::AutoencoderSteps| {
                Ok(JsValue::from_f64(
                    steps.step().await.map_err(js_error)? as f64
                ))
            },
        )
    }
}
