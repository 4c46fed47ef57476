//! Choosing k: k-means over a range of k.

use wasm_bindgen::prelude::*;

use super::table::Table;
use super::to_js;
use crate::cluster::ksweep;

/// k-means for k = 2, 3, … on a table's features, one k per call so the page can show
/// progress and stay responsive.
#[wasm_bindgen]
pub struct KSweep {
    sweep: ksweep::KSweep,
    points: Vec<ksweep::SweepPoint>,
}

#[wasm_bindgen]
impl KSweep {
    #[wasm_bindgen(constructor)]
    pub fn new(table: &Table, seed: u32) -> KSweep {
        let d = &table.0.dataset;
        KSweep {
            sweep: ksweep::KSweep::new(&d.features, d.rows, d.cols, seed as u64),
            points: Vec::new(),
        }
    }

    /// Rows k-means runs on (a seeded sample of large sets).
    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.sweep.rows()
    }
    #[wasm_bindgen(getter)]
    pub fn max_k(&self) -> usize {
        self.sweep.max_k()
    }

    /// `[k, inertia, silhouette]` for `k` clusters (silhouette NaN when undefined).
    pub fn point(&mut self, k: usize) -> Result<Vec<f64>, JsError> {
        let p = self.sweep.point(k).map_err(to_js)?;
        self.points.push(p);
        Ok(vec![p.k as f64, p.inertia, p.silhouette])
    }

    /// The k with the best silhouette among the points so far.
    #[wasm_bindgen(getter)]
    pub fn suggested_k(&self) -> Option<usize> {
        ksweep::suggested_k(&self.points)
    }
}
