//! One training run, step by step.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Float32Array, Promise, Uint8Array, Uint32Array};
use wasm_bindgen::prelude::*;

use super::device::device;
use super::map::MapTraining;
use super::table::Table;
use super::{js_error, object, run_taken, to_js};
use crate::data::prepare::Preparation;
use crate::data::series::SeriesInput;
use crate::project::layout::Layout;
use crate::train::{Checkpoint, Settings, Trainer};

/// One training run of any method. Methods that do GPU work return promises; the trainer is taken out of its
/// cell for the duration so no borrow spans an `await`.
#[wasm_bindgen]
pub struct Training {
    trainer: Rc<RefCell<Option<Trainer>>>,
    checkpoint_label: Rc<RefCell<String>>,
    /// What a saved model needs to know about its input.
    feature_names: Vec<String>,
    preparation: Option<Preparation>,
    series: Option<SeriesInput>,
}

#[wasm_bindgen]
impl Training {
    /// A run on `table` with `settings`, a JSON object such as `{"method": "dec", "k": 3}`
    /// (see [`Settings::from_json`]); what is left out takes the defaults for the data. A
    /// mistake rejects with a message that names the setting.
    #[wasm_bindgen(constructor)]
    pub fn new(table: &Table, settings: &str) -> Result<Training, JsError> {
        let device = device()?;
        let config = Settings::from_json(settings)
            .map_err(to_js)?
            .config(&table.0);
        let d = &table.0.dataset;
        let mut trainer = Trainer::new(config, d.features.clone(), d.rows, d.cols, device)
            .map_err(|e| JsError::new(&e.to_string()))?;
        trainer.set_valid(d.valid.clone());
        Ok(Training {
            trainer: Rc::new(RefCell::new(Some(trainer))),
            checkpoint_label: Rc::default(),
            feature_names: d.feature_names.clone(),
            preparation: d.preparation.clone(),
            series: table.0.series_input(),
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

    /// Resolves to the step's progress: `{phase, epoch, epochs, loss, changed, elapsedMs,
    /// progress, progressBound, updates}`; `phase` is `pretrain`, `init`, `refine` or `done`,
    /// `changed` is `null` before the first target update, `progressBound` says the time left
    /// that `progress` implies is an upper bound (the run may stop early), `updates` counts
    /// target updates.
    pub fn step(&self, now_ms: f64) -> Promise {
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let s = trainer.step(now_ms).await.map_err(js_error)?;
            Ok(object(&[
                ("phase", s.phase.name().into()),
                ("epoch", (s.epoch as f64).into()),
                ("epochs", (s.epochs as f64).into()),
                ("loss", (s.loss as f64).into()),
                (
                    "changed",
                    s.changed.map_or(JsValue::NULL, |c| (c as f64).into()),
                ),
                ("elapsedMs", s.elapsed_ms.into()),
                ("progress", (s.progress as f64).into()),
                ("progressBound", s.progress_bound.into()),
                ("updates", (s.updates as f64).into()),
            ]))
        })
    }

    /// Resolves to the live picture: `{xy, labels, centres, confidence}`: the rows in 2-D
    /// (x0, y0, x1, …), their clusters (`null` before clusters exist), the cluster centres
    /// in the same coordinates (empty when the method has none there) and each row's
    /// confidence (empty before the first clusters).
    pub fn snapshot(&self) -> Promise {
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let snap = trainer.snapshot().await.map_err(js_error)?;
            let labels = match &snap.labels {
                Some(l) => Uint32Array::from(&l[..]).into(),
                None => JsValue::NULL,
            };
            Ok(object(&[
                ("xy", Float32Array::from(&snap.xy[..]).into()),
                ("labels", labels),
                ("centres", Float32Array::from(&snap.centres[..]).into()),
                (
                    "confidence",
                    Float32Array::from(trainer.confidence()).into(),
                ),
            ]))
        })
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
        let (names, preparation, series) =
            (self.feature_names.clone(), self.preparation.clone(), self.series.clone());
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let model = trainer
                .fitted(names, preparation, series)
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

    /// Resolves to the space the clusters live in (the embedding; N2D's manifold) as
    /// `{space, dim}`: row-major `rows × dim` values, what a 2-D map is fitted on.
    pub fn cluster_space(&self) -> Promise {
        run_taken(&self.trainer, async move |trainer: &mut Trainer| {
            let (z, dim) = trainer.cluster_space().await.map_err(js_error)?;
            Ok(object(&[
                ("space", Float32Array::from(&z[..]).into()),
                ("dim", (dim as f64).into()),
            ]))
        })
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

    /// Why refinement ended, once it has (methods that refine in batches; else undefined).
    #[wasm_bindgen(getter)]
    pub fn stopped(&self) -> Option<String> {
        self.trainer
            .borrow()
            .as_ref()
            .and_then(|t| t.stopped().map(str::to_string))
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
