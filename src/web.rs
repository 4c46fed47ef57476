//! The browser boundary, and the only wasm-bindgen code: typed arrays and numbers in and out,
//! Rust errors turned into JS errors with messages meant for people.

use std::cell::RefCell;
use std::rc::Rc;

use burn::tensor::Device;
use js_sys::{Float32Array, Float64Array, Promise, Uint8Array, Uint32Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::cluster::gmm::Covariance;
use crate::cluster::{FeatureSpace, Method, ksweep};
use crate::data::Scaling;
use crate::data::capacity::LARGEST_BLOCK;
use crate::data::{
    self, CsvOptions, ImageSet, LabelColumn, Source, centre_square, default_side, read_idx,
    rgba_to_planes,
};
use crate::project::layout::{Layout, LayoutConfig, LayoutFit};
use crate::train::{Backend, Checkpoint, FittedModel, Phase, TrainConfig, Trainer, choose_device};

#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}

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

/// A parsed CSV file or a set of images, ready to train on.
#[wasm_bindgen]
pub struct Table(data::Table);

fn to_js(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// `undefined` picks a column named like `label`/`class`; `""` means none.
fn csv_options(label_column: Option<String>) -> CsvOptions {
    let label = match label_column.as_deref() {
        None => LabelColumn::Auto,
        Some("") => LabelColumn::None,
        Some(name) => LabelColumn::Name(name.to_string()),
    };
    CsvOptions {
        label,
        ..CsvOptions::default()
    }
}

/// A CSV file read into a [`Table`] a slice of records at a time, so the worker can report
/// progress on a big file.
#[wasm_bindgen]
pub struct TableParse(Option<data::CsvParse>);

#[wasm_bindgen]
impl TableParse {
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>, label_column: Option<String>) -> Result<TableParse, JsError> {
        data::CsvParse::new(bytes, csv_options(label_column))
            .map(|p| TableParse(Some(p)))
            .map_err(to_js)
    }

    /// Reads up to `records` more rows; returns the share of the file read (1 at the end).
    pub fn advance(&mut self, records: usize) -> Result<f32, JsError> {
        self.0
            .as_mut()
            .ok_or_else(|| JsError::new("this parse has finished"))?
            .advance(records)
            .map_err(to_js)
    }

    /// The table; the parse is used up.
    pub fn finish(&mut self) -> Result<Table, JsError> {
        let parse = self
            .0
            .take()
            .ok_or_else(|| JsError::new("this parse has finished"))?;
        data::Table::from_parse(parse).map(Table).map_err(to_js)
    }
}

#[wasm_bindgen]
impl Table {
    /// `label_column`: `undefined` picks a column named like `label`/`class`; `""` means none.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: Vec<u8>, label_column: Option<String>) -> Result<Table, JsError> {
        data::Table::from_csv(bytes, csv_options(label_column))
            .map(Table)
            .map_err(to_js)
    }

    /// MNIST-style IDX files (gzipped or not): images, and labels when given. The images'
    /// bytes are taken, not borrowed, so their buffer can become the pixels.
    pub fn from_idx(images: Vec<u8>, labels: Option<Vec<u8>>) -> Result<Table, JsError> {
        let set = read_idx(images, labels.as_deref()).map_err(to_js)?;
        Ok(Table(data::Table::from_images(set)))
    }

    /// Adds another pair of IDX files of the same image size (MNIST's training and test files
    /// together make the 70,000-digit set).
    pub fn append_idx(
        &mut self,
        name: &str,
        images: Vec<u8>,
        labels: Option<Vec<u8>>,
    ) -> Result<(), JsError> {
        let more = read_idx(images, labels.as_deref())
            .map_err(|e| JsError::new(&format!("{name}: {e}")))?;
        let Source::Images(set) = &mut self.0.source else {
            return Err(JsError::new("IDX files cannot be added to a CSV table"));
        };
        // Checked before appending, so a refused file leaves the table as it was. The page
        // names all the files; the message counts them together.
        set.fits_with(&more, LARGEST_BLOCK).map_err(to_js)?;
        set.append(more)
            .map_err(|e| JsError::new(&format!("{name}: {e}")))?;
        // The old floats go before the new ones are made: both at once may not fit.
        self.0.dataset.features = Default::default();
        self.0.dataset = set.to_dataset();
        Ok(())
    }

    /// Decoded pictures: `planes` holds `names.len()` images of `channels × side × side`
    /// bytes, channel-major. Labels come from `labels_csv` (`filename,label`) or from the
    /// folders in `names`, when either names every image.
    pub fn from_images(
        planes: Vec<u8>,
        side: usize,
        channels: usize,
        names: Vec<String>,
        labels_csv: Option<String>,
    ) -> Result<Table, JsError> {
        let set = ImageSet::from_pictures(planes, side, channels, names, labels_csv.as_deref())
            .map_err(|e| JsError::new(&e))?;
        Ok(Table(data::Table::from_images(set)))
    }

    /// `[channels, side]` for images, empty for a CSV.
    #[wasm_bindgen(getter)]
    pub fn image_shape(&self) -> Vec<usize> {
        self.0
            .image_shape()
            .map_or(Vec::new(), |(channels, side)| vec![channels, side])
    }

    /// Every image's bytes, image after image, each channel-major (empty for a CSV). One call:
    /// fetching MNIST's 70,000 images one call each took 41 s in Chromium. Copied straight
    /// into JS memory, not through a second buffer in the wasm heap, which a set near the
    /// page's ceiling cannot spare.
    pub fn pixels(&self) -> Uint8Array {
        match &self.0.source {
            Source::Images(set) => Uint8Array::from(set.pixels.as_slice()),
            Source::Csv { .. } => Uint8Array::new_with_length(0),
        }
    }

    #[wasm_bindgen(getter)]
    pub fn rows(&self) -> usize {
        self.0.dataset.rows
    }
    #[wasm_bindgen(getter)]
    pub fn cols(&self) -> usize {
        self.0.dataset.cols
    }
    /// Every column in the file, for the label-column picker.
    #[wasm_bindgen(getter)]
    pub fn columns(&self) -> Vec<String> {
        self.0.dataset.columns.clone()
    }
    #[wasm_bindgen(getter)]
    pub fn label_column(&self) -> Option<String> {
        self.0.dataset.label_column.clone()
    }
    /// Number of distinct classes in the label column, 0 without one.
    #[wasm_bindgen(getter)]
    pub fn n_classes(&self) -> usize {
        self.0.dataset.label_names.len()
    }
    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.0.dataset.warnings.clone()
    }

    /// The original file with `cluster` and `confidence` columns appended; for images, one
    /// row per file.
    pub fn result_csv(&self, labels: &[u32], confidence: &[f32]) -> Result<Vec<u8>, JsError> {
        self.0.result_csv(labels, confidence).map_err(to_js)
    }

    /// `[ACC, NMI, ARI]` against the label column, or an empty array without one.
    pub fn scores(&self, labels: &[u32]) -> Vec<f64> {
        self.0
            .scores(labels)
            .map_or(Vec::new(), |s| vec![s.acc, s.nmi, s.ari])
    }

    /// Names of the classes in the label column, in the order of [`Table::confusion`]'s rows.
    #[wasm_bindgen(getter)]
    pub fn class_names(&self) -> Vec<String> {
        self.0.dataset.label_names.clone()
    }

    /// Counts of class × cluster, row-major `classes × k` (empty without a label column).
    pub fn confusion(&self, labels: &[u32], k: usize) -> Vec<u32> {
        let Some(truth) = &self.0.dataset.labels else {
            return Vec::new();
        };
        let mut counts = vec![0u32; self.0.dataset.label_names.len() * k];
        for (&t, &l) in truth.iter().zip(labels) {
            if (l as usize) < k {
                counts[t as usize * k + l as usize] += 1;
            }
        }
        counts
    }
}

/// Side of the square images to train on for pictures of these sizes (see
/// [`default_side`]).
#[wasm_bindgen]
pub fn default_image_side(widths: Vec<u32>, heights: Vec<u32>) -> usize {
    let sizes: Vec<(usize, usize)> = widths
        .iter()
        .zip(&heights)
        .map(|(&w, &h)| (w as usize, h as usize))
        .collect();
    default_side(&sizes)
}

/// Refuses `count` pictures of `channels × side × side` that the page could not train on
/// (see [`data::capacity`]), so a folder is turned down before it is decoded.
#[wasm_bindgen]
pub fn check_pictures_fit(count: usize, side: usize, channels: usize) -> Result<(), JsError> {
    data::capacity::check_images_fit(count, (side, side, channels), LARGEST_BLOCK, true)
        .map_err(to_js)
}

/// `[x, y, side]`: the centred square to cut from a `width × height` picture.
#[wasm_bindgen]
pub fn centre_crop(width: u32, height: u32) -> Vec<u32> {
    let (x, y, side) = centre_square(width as usize, height as usize);
    vec![x as u32, y as u32, side as u32]
}

/// A canvas's RGBA pixels as `channels` (1 or 3) planes.
#[wasm_bindgen]
pub fn to_planes(rgba: &[u8], side: usize, channels: usize) -> Vec<u8> {
    rgba_to_planes(rgba, side, side, channels)
}

/// One training run of any method. Methods that do GPU work return promises; the trainer is taken out of its
/// cell for the duration so no borrow spans an `await`.
#[wasm_bindgen]
pub struct Training {
    trainer: Rc<RefCell<Option<Trainer>>>,
    labels: Rc<RefCell<Vec<u32>>>,
    /// The last snapshot's cluster centres, `k × 2`.
    centres: Rc<RefCell<Vec<f32>>>,
    space_dim: Rc<std::cell::Cell<usize>>,
    checkpoint_label: Rc<RefCell<String>>,
    /// What a saved model needs to know about its input.
    feature_names: Vec<String>,
    scaling: Option<Scaling>,
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

#[wasm_bindgen]
impl Training {
    /// `method` is a name from `#method-select` (`dec`, `idec`, …). `pretrain_epochs`, `seed`,
    /// `gamma`, `neighbours` (N2D) and `pixel_divisor` (images) fall back to defaults sized for
    /// the data and the method when absent;
    /// `embedding_space` and `full_covariance` only matter to the baselines.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        table: &Table,
        method: &str,
        k: usize,
        pretrain_epochs: Option<usize>,
        seed: Option<u32>,
        gamma: Option<f32>,
        neighbours: Option<usize>,
        embedding_space: bool,
        full_covariance: bool,
        pixel_divisor: Option<f32>,
    ) -> Result<Training, JsError> {
        let device = DEVICE
            .with_borrow(|d| d.as_ref().map(|(device, _)| device.clone()))
            .ok_or_else(|| JsError::new("call init_device first"))?;
        let method = Method::from_name(method).map_err(|e| JsError::new(&e.to_string()))?;
        let mut config = TrainConfig::for_table(method, k, &table.0);
        if let Some(g) = gamma {
            config.gamma = g;
        }
        if let Some(n) = neighbours {
            config.neighbours = n;
        }
        if embedding_space {
            config.space = FeatureSpace::Embedding;
        }
        if full_covariance {
            config.covariance = Covariance::Full;
        }
        if let Some(e) = pretrain_epochs {
            config.pretrain_epochs = e;
        }
        if let Some(s) = seed {
            config.seed = s as u64;
        }
        if let Some(p) = pixel_divisor {
            config.pixel_divisor = p;
        }
        let d = &table.0.dataset;
        let trainer = Trainer::new(config, d.features.clone(), d.rows, d.cols, device)
            .map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Training {
            trainer: Rc::new(RefCell::new(Some(trainer))),
            labels: Rc::default(),
            centres: Rc::default(),
            space_dim: Rc::default(),
            checkpoint_label: Rc::default(),
            feature_names: d.feature_names.clone(),
            scaling: d.scaling.clone(),
        })
    }

    pub fn set_batches_per_step(&self, n: usize) {
        if let Some(t) = self.trainer.borrow_mut().as_mut() {
            t.set_batches_per_step(n);
        }
    }

    /// With `true`, refinement steps end right after each target update (step-by-step mode).
    pub fn set_pause_at_updates(&self, on: bool) {
        if let Some(t) = self.trainer.borrow_mut().as_mut() {
            t.set_pause_at_updates(on);
        }
    }

    /// Resolves to a `Float64Array`: `[phase, epoch, epochs, loss, changed, elapsed_ms,
    /// progress, updates]`, phase 0..=3 for pretrain, init, refine, done; `changed` is NaN
    /// before the first target update; `updates` counts target updates.
    pub fn step(&self, now_ms: f64) -> Promise {
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let s = trainer.step(now_ms).await.map_err(js_error)?;
            let phase = match s.phase {
                Phase::Pretrain => 0.0,
                Phase::Init => 1.0,
                Phase::Refine => 2.0,
                Phase::Done => 3.0,
            };
            let values = [
                phase,
                s.epoch as f64,
                s.epochs as f64,
                s.loss as f64,
                s.changed.map_or(f64::NAN, f64::from),
                s.elapsed_ms,
                s.progress as f64,
                s.updates as f64,
            ];
            Ok(Float64Array::from(&values[..]).into())
        })
    }

    /// Resolves to a `Float32Array` of 2-D points (x0, y0, x1, y1, …); the matching labels are
    /// then in [`Training::snapshot_labels`] (empty before clusters exist) and the centres in
    /// [`Training::snapshot_centres`].
    pub fn snapshot(&self) -> Promise {
        let (labels_cell, centres_cell) = (self.labels.clone(), self.centres.clone());
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let snap = trainer.snapshot().await.map_err(js_error)?;
            labels_cell.replace(snap.labels.unwrap_or_default());
            centres_cell.replace(snap.centres);
            Ok(Float32Array::from(&snap.xy[..]).into())
        })
    }

    pub fn snapshot_labels(&self) -> Uint32Array {
        Uint32Array::from(&self.labels.borrow()[..])
    }

    /// Cluster centres in the last snapshot's coordinates (x0, y0, x1, …); empty when the
    /// method has none in the embedding yet.
    pub fn snapshot_centres(&self) -> Float32Array {
        Float32Array::from(&self.centres.borrow()[..])
    }

    /// Each row's current confidence max_j q_ij (empty before the first clusters).
    pub fn current_confidence(&self) -> Float32Array {
        let t = self.trainer.borrow();
        Float32Array::from(t.as_ref().map_or(&[][..], |t| t.confidence()))
    }

    /// Final labels (empty until training is done).
    pub fn labels(&self) -> Vec<u32> {
        self.output(|o| o.labels.clone())
    }

    /// Final confidences, max_j q_ij per row (empty until training is done).
    pub fn confidence(&self) -> Vec<f32> {
        self.output(|o| o.confidence.clone())
    }

    /// Resolves to the trained model as the bytes of a `.model` file (the CLI's format), once
    /// training is done.
    pub fn model_bytes(&self) -> Promise {
        self.model_file(None)
    }

    /// [`Training::model_bytes`] with the run's finished 2-D map kept in the file, so rows the
    /// model places later land on it.
    pub fn model_bytes_with_map(&self, map: &MapTraining) -> Promise {
        self.model_file(Some(map.fit.layout().clone()))
    }

    fn model_file(&self, map: Option<Layout>) -> Promise {
        let (names, scaling) = (self.feature_names.clone(), self.scaling.clone());
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let model = trainer
                .fitted(names, scaling)
                .await
                .map_err(js_error)?
                .ok_or_else(|| js_error("training has not finished yet"))?;
            // Saving reads weights synchronously; a host copy makes that work after WebGPU too.
            let mut model = model.on_host().await.map_err(js_error)?;
            if let Some(map) = map {
                model = model.with_map(map).map_err(js_error)?;
            }
            let bytes = model.to_bytes().map_err(js_error)?;
            Ok(Uint8Array::from(&bytes[..]).into())
        })
    }

    /// Resolves to the space the clusters live in (the embedding; N2D's manifold), row-major
    /// with [`Training::cluster_space_dim`] columns: what a 2-D map is fitted on.
    pub fn cluster_space(&self) -> Promise {
        let dim_cell = self.space_dim.clone();
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let (z, dim) = trainer.cluster_space().await.map_err(js_error)?;
            dim_cell.set(dim);
            Ok(Float32Array::from(&z[..]).into())
        })
    }

    #[wasm_bindgen(getter)]
    pub fn cluster_space_dim(&self) -> usize {
        self.space_dim.get()
    }

    /// Resolves to the run's state as bytes when it sits at the end of an epoch it can resume
    /// from, else to `undefined`; [`Training::checkpoint_label`] then says which epoch
    /// ("pretraining epoch 4"). The page keeps the last one, to go on after a lost GPU.
    pub fn checkpoint(&self) -> Promise {
        let label = self.checkpoint_label.clone();
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            Ok(match trainer.checkpoint().await.map_err(js_error)? {
                Some(cp) => {
                    label.replace(cp.describe());
                    Uint8Array::from(&cp.to_bytes()[..]).into()
                }
                None => JsValue::UNDEFINED,
            })
        })
    }

    #[wasm_bindgen(getter)]
    pub fn checkpoint_label(&self) -> String {
        self.checkpoint_label.borrow().clone()
    }

    /// Makes this new run (same data and settings) go on from a checkpoint of an earlier one.
    pub fn resume_from(&self, checkpoint: &[u8]) -> Result<(), JsError> {
        let cp = Checkpoint::from_bytes(checkpoint).map_err(to_js)?;
        let mut t = self.trainer.borrow_mut();
        let t = t
            .as_mut()
            .ok_or_else(|| JsError::new("the previous step is still running"))?;
        t.resume_from(&cp).map_err(to_js)
    }

    /// N2D's neighbours per row, as given or sized for the data.
    #[wasm_bindgen(getter)]
    pub fn neighbours(&self) -> usize {
        self.trainer
            .borrow()
            .as_ref()
            .map_or(0, |t| t.config().neighbours)
    }

    #[wasm_bindgen(getter)]
    pub fn embedding_dim(&self) -> usize {
        self.trainer
            .borrow()
            .as_ref()
            .map_or(0, |t| t.embedding_dim())
    }

    #[wasm_bindgen(getter)]
    pub fn warnings(&self) -> Vec<String> {
        self.trainer
            .borrow()
            .as_ref()
            .map(|t| t.warnings().to_vec())
            .unwrap_or_default()
    }
}

impl Training {
    fn output<T: Default>(&self, pick: impl Fn(&crate::train::TrainerOutput) -> T) -> T {
        self.trainer
            .borrow()
            .as_ref()
            .and_then(|t| t.output())
            .map(|o| pick(&o))
            .unwrap_or_default()
    }
}

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
        let device = DEVICE
            .with_borrow(|d| d.as_ref().map(|(device, _)| device.clone()))
            .ok_or_else(|| JsError::new("call init_device first"))?;
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
    /// `[channels, side]` when the model was trained on images, else empty.
    #[wasm_bindgen(getter)]
    pub fn image_shape(&self) -> Vec<usize> {
        self.model
            .input()
            .image
            .map_or(Vec::new(), |s| vec![s.channels, s.side])
    }

    /// New rows from a CSV with the training file's columns, scaled with the training file's
    /// statistics (a label column is left out by the same rule as in training).
    pub fn csv_table(&self, bytes: Vec<u8>) -> Result<Table, JsError> {
        self.model
            .csv_table(bytes)
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

/// A 2-D map (a UMAP layout) of a finished run's cluster space, fitted a few epochs at a
/// time. Plain Rust on the CPU: no device involved.
#[wasm_bindgen]
pub struct MapTraining {
    fit: LayoutFit,
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

/// A synthetic teaching set as CSV bytes (`x,y[,label]`), or an error naming the known ones.
#[wasm_bindgen]
pub fn sample_csv(name: &str, seed: u32) -> Result<Vec<u8>, JsError> {
    data::synthetic_sample(name, seed as u64)
        .map(|s| s.to_csv())
        .ok_or_else(|| {
            JsError::new(&format!(
                "there is no sample called \"{name}\"; the samples are {}",
                data::SYNTHETIC_SAMPLES.join(", ")
            ))
        })
}

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
        let device = DEVICE
            .with_borrow(|d| d.as_ref().map(|(device, _)| device.clone()))
            .ok_or_else(|| JsError::new("call init_device first"))?;
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
