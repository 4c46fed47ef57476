//! The 2-D maps: a finished run's, and the one drawn while a run trains.

use js_sys::Float32Array;
use wasm_bindgen::prelude::*;

use crate::project::layout::{LayoutConfig, LayoutFit};

/// A 2-D map (a UMAP layout) of a finished run's cluster space, fitted a few epochs at a
/// time. Plain Rust on the CPU: no device involved.
#[wasm_bindgen]
pub struct MapTraining {
    pub(super) fit: LayoutFit,
}

#[wasm_bindgen]
impl MapTraining {
    /// `z`: `rows × dim` points (from [`Training::cluster_space`]); `start`: the last live
    /// map of the run (`rows × 2`), if one was drawn, so the final map grows out of it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        z: Vec<f32>,
        rows: usize,
        dim: usize,
        seed: u32,
        start: Option<Vec<f32>>,
    ) -> Result<MapTraining, JsError> {
        if rows < 3 || dim == 0 || z.len() != rows * dim {
            return Err(JsError::new(
                "a map needs at least 3 points of the same width",
            ));
        }
        let config = LayoutConfig::map_2d(seed as u64);
        Ok(MapTraining {
            fit: LayoutFit::starting_at(&z, rows, dim, config, start.as_deref()),
        })
    }

    /// Runs up to `epochs` more epochs; returns their mean loss.
    pub fn step(&mut self, epochs: usize) -> f32 {
        self.fit.epochs(epochs)
    }

    #[wasm_bindgen(getter)]
    pub fn progress(&self) -> f32 {
        self.fit.progress()
    }

    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.fit.done()
    }

    /// The fitted points' map positions (x0, y0, …).
    pub fn snapshot(&self) -> Float32Array {
        Float32Array::from(self.fit.coords())
    }

    /// Map positions of other points of the same space (rows a model placed).
    pub fn place(&self, z: Vec<f32>) -> Float32Array {
        Float32Array::from(&self.fit.layout().transform(&z)[..])
    }
}

/// The 2-D map drawn while a run trains: each refresh finds the neighbours in the current
/// embedding again and runs a short layout from the previous picture, so the map moves with
/// the embedding instead of jumping.
#[wasm_bindgen]
pub struct LiveMap {
    seed: u64,
    coords: Option<Vec<f32>>,
}

/// Epochs of a live refresh: the first from scratch, later ones from the last picture at half
/// the learning rate.
const LIVE_FIRST_EPOCHS: usize = 100;
const LIVE_EPOCHS: usize = 30;

#[wasm_bindgen]
impl LiveMap {
    #[wasm_bindgen(constructor)]
    pub fn new(seed: u32) -> LiveMap {
        LiveMap {
            seed: seed as u64,
            coords: None,
        }
    }

    /// Redraws the map of `z` (`rows × dim`); returns its positions (x0, y0, …).
    pub fn refresh(
        &mut self,
        z: Vec<f32>,
        rows: usize,
        dim: usize,
    ) -> Result<Float32Array, JsError> {
        if rows < 3 || dim == 0 || z.len() != rows * dim {
            return Err(JsError::new(
                "a map needs at least 3 points of the same width",
            ));
        }
        let mut config = LayoutConfig::map_2d(self.seed);
        let start = self.coords.take().filter(|c| c.len() == rows * 2);
        config.epochs = Some(if start.is_some() {
            LIVE_EPOCHS
        } else {
            LIVE_FIRST_EPOCHS
        });
        if start.is_some() {
            config.learning_rate /= 2.0;
        }
        let mut fit = LayoutFit::starting_at(&z, rows, dim, config, start.as_deref());
        fit.epochs(usize::MAX);
        let xy = Float32Array::from(fit.coords());
        self.coords = Some(fit.coords().to_vec());
        Ok(xy)
    }

    /// The last picture (empty before the first refresh).
    pub fn last(&self) -> Float32Array {
        Float32Array::from(self.coords.as_deref().unwrap_or(&[]))
    }
}
