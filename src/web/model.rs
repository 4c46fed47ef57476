//! A saved model, loaded to place new rows.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Float32Array, Promise, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::device::device;
use super::table::Table;
use super::{js_error, to_js};
use crate::data::series::{SeriesInput, SeriesSet};
use crate::train::FittedModel;

/// A saved model, loaded to place new rows in its clusters.
#[wasm_bindgen]
pub struct Model {
    model: Rc<FittedModel>,
    confidence: Rc<RefCell<Vec<f32>>>,
    xy: Rc<RefCell<Vec<f32>>>,
    map_xy: Rc<RefCell<Vec<f32>>>,
}

#[wasm_bindgen]
impl Model {
    /// Reads a `.model` file (saved here or by the CLI) onto the device chosen by
    /// [`init_device`].
    pub fn load(bytes: &[u8]) -> Result<Model, JsError> {
        let device = device()?;
        let model = FittedModel::from_bytes(bytes, &device).map_err(to_js)?;
        Ok(Model {
            model: Rc::new(model),
            confidence: Rc::default(),
            xy: Rc::default(),
            map_xy: Rc::default(),
        })
    }

    #[wasm_bindgen(getter)]
    pub fn method(&self) -> String {
        self.model.method().name().to_string()
    }
    #[wasm_bindgen(getter)]
    pub fn n_clusters(&self) -> usize {
        self.model.n_clusters()
    }
    /// The training file's feature columns, in order.
    #[wasm_bindgen(getter)]
    pub fn feature_names(&self) -> Vec<String> {
        self.model.input().feature_names.clone()
    }

    /// The training table's columns the model reads (a category column once, not one name
    /// per category as in [`Model::feature_names`]).
    #[wasm_bindgen(getter)]
    pub fn columns(&self) -> Vec<String> {
        let input = self.model.input();
        match &input.preparation {
            Some(p) => p.columns.iter().map(|c| c.name.clone()).collect(),
            None => input.feature_names.clone(),
        }
    }
    /// `[channels, side]` when the model was trained on images, else empty.
    #[wasm_bindgen(getter)]
    pub fn image_shape(&self) -> Vec<usize> {
        self.model
            .input()
            .image
            .map_or(Vec::new(), |s| vec![s.channels, s.side])
    }

    /// `[channels, length]` when the model was trained on series, else empty.
    #[wasm_bindgen(getter)]
    pub fn series_shape(&self) -> Vec<usize> {
        self.model
            .input()
            .series
            .as_ref()
            .map_or(Vec::new(), |s| vec![s.channels, s.length])
    }

    /// New series from files (the archive's, CSV files of one series each, or for a model
    /// trained on a CSV with a series in each row, such a CSV), read at the model's length and
    /// scaled with its training series' statistics.
    pub fn series_table(&self, names: Vec<String>, files: Vec<Uint8Array>) -> Result<Table, JsError> {
        // Read as the model's training series were (a model not trained on series refuses
        // them below, with its own message).
        let series = self.model.input().series.as_ref();
        let options = series.map(SeriesInput::options).unwrap_or_default();
        let files: Vec<(String, Vec<u8>)> =
            names.into_iter().zip(files.iter().map(Uint8Array::to_vec)).collect();
        let (columns, note) = series.map(|s| s.columns_for(&files)).unwrap_or_default();
        let mut set = SeriesSet::from_files(&files, &columns, options).map_err(to_js)?;
        set.warnings.extend(note);
        self.model
            .series_table(set)
            .map(Table)
            .map_err(|e| JsError::new(&e))
    }

    /// New rows from a CSV with the training file's columns, scaled with the training file's
    /// statistics (a label column is left out by the same rule as in training).
    pub fn csv_table(&self, bytes: Vec<u8>) -> Result<Table, JsError> {
        self.model
            .csv_table(bytes)
            .map(Table)
            .map_err(|e| JsError::new(&e))
    }

    /// New rows from the parts of one table (`X_test.txt` with `y_test.txt`), joined as the
    /// page joins them, then read as [`Model::csv_table`] reads one file.
    pub fn parts_table(&self, names: Vec<String>, files: Vec<Uint8Array>) -> Result<Table, JsError> {
        if names.len() != files.len() {
            return Err(JsError::new("the parts need one name each"));
        }
        let files: Vec<(String, Vec<u8>)> = names.into_iter().zip(files.iter().map(Uint8Array::to_vec)).collect();
        self.model
            .parts_table(&files)
            .map(Table)
            .map_err(|e| JsError::new(&e))
    }

    /// Resolves to the cluster of each row of `table` (a `Uint32Array`); the confidences are
    /// then in [`Model::confidence`] and the rows' places in the training plot in
    /// [`Model::xy`].
    pub fn predict(&self, table: &Table) -> Promise {
        let (model, confidence_cell, xy_cell, map_cell) = (
            self.model.clone(),
            self.confidence.clone(),
            self.xy.clone(),
            self.map_xy.clone(),
        );
        let d = &table.0.dataset;
        let (features, rows) = (d.features.clone(), d.rows);
        future_to_promise(async move {
            let placed = model.place(&features, rows).await.map_err(js_error)?;
            confidence_cell.replace(placed.confidence);
            xy_cell.replace(placed.xy.unwrap_or_default());
            map_cell.replace(placed.map_xy.unwrap_or_default());
            Ok(Uint32Array::from(&placed.labels[..]).into())
        })
    }

    pub fn confidence(&self) -> Float32Array {
        Float32Array::from(&self.confidence.borrow()[..])
    }

    /// Resolves to the rows of `table` in the space the model's clusters live in (what a 2-D
    /// map of its training run was fitted on), row-major.
    pub fn embed(&self, table: &Table) -> Promise {
        let model = self.model.clone();
        let d = &table.0.dataset;
        let (features, rows) = (d.features.clone(), d.rows);
        future_to_promise(async move {
            let z = model.embed(&features, rows).await.map_err(js_error)?;
            Ok(Float32Array::from(&z[..]).into())
        })
    }

    /// The last predicted rows in the training plot's coordinates (x0, y0, …); empty for a
    /// model saved without its plot.
    pub fn xy(&self) -> Float32Array {
        Float32Array::from(&self.xy.borrow()[..])
    }

    /// The last predicted rows on the model's own 2-D map (x0, y0, …); empty when the model
    /// was saved without one.
    pub fn map_xy(&self) -> Float32Array {
        Float32Array::from(&self.map_xy.borrow()[..])
    }

    /// The model's 2-D map of its training rows (x0, y0, …), empty without one; their
    /// clusters are [`Model::map_labels`].
    pub fn map_picture(&self) -> Float32Array {
        Float32Array::from(self.model.map_coords().unwrap_or_default())
    }

    pub fn map_labels(&self) -> Uint32Array {
        Uint32Array::from(&self.model.map_labels().unwrap_or_default()[..])
    }
}
