use std::sync::Arc;

use burn::optim::{GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};
use thiserror::Error;

use burn::module::Module;
use burn::optim::{SgdConfig, momentum::MomentumConfig};

use super::adam::Adam;
use super::config::{ConfigError, RefineOptimizer, TrainConfig, ValidTrainConfig};
use super::fitted::{FittedModel, InputSpec, embed_rows};
use super::method_api::{Refinement, Start};
use super::rule::Assignment;
use crate::cluster::{Method, collapse_warnings};
use crate::data::divide_pixels_by;
use crate::data::prepare::Preparation;
use crate::data::series::SeriesInput;
use crate::model::{Autoencoder, corruption_mask};
use crate::project::Pca2;
use crate::rng::Rng;

/// Where training is. Pretrain → Init → Refine → Done, never backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Autoencoder learns to reconstruct the data.
    Pretrain,
    /// k-means in the embedding picks the first centres (the baselines cluster here and
    /// finish).
    Init,
    /// Encoder and clusters trained on the method's clustering loss.
    Refine,
    Done,
}

impl Phase {
    pub fn name(self) -> &'static str {
        match self {
            Phase::Pretrain => "pretrain",
            Phase::Init => "init",
            Phase::Refine => "refine",
            Phase::Done => "done",
        }
    }
}

/// What one [`Trainer::step`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct StepStats {
    /// Phase after the step.
    pub phase: Phase,
    /// Epochs finished in the current phase, and the phase's planned total.
    pub epoch: usize,
    pub epochs: usize,
    /// Mean loss over the step's batches (reconstruction MSE, then the method's loss); NaN if
    /// none ran.
    pub loss: f32,
    /// Fraction of points that changed cluster at the last target update.
    pub changed: Option<f32>,
    /// Target updates (or pseudo-label rounds) so far; a step-by-step view pauses when it
    /// grows.
    pub updates: usize,
    pub elapsed_ms: f64,
    /// Rough share of all the work done, 0..=1, for a progress bar.
    pub progress: f32,
    /// The time left that `progress` implies is an upper bound: the refinement may stop
    /// before its last epoch.
    pub progress_bound: bool,
}

#[derive(Debug, Error)]
pub enum TrainError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("the data has {rows} rows and {cols} columns but {len} values")]
    Shape {
        rows: usize,
        cols: usize,
        len: usize,
    },
    #[error("reading results back from the device failed: {0}")]
    Readback(String),
    #[error("training diverged (the loss became {0}); try a smaller learning rate")]
    Diverged(f32),
    #[error("the run cannot continue from its checkpoint: {0}")]
    Checkpoint(String),
}

/// The live picture: the embedding in 2-D, with labels once clusters exist.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Row-major `rows × 2`.
    pub xy: Vec<f32>,
    pub labels: Option<Vec<u32>>,
    /// Row-major `k × 2` cluster centres in the same projection; empty when there are none.
    pub centres: Vec<f32>,
}

/// Final results, one entry per input row.
#[derive(Debug, Clone)]
pub struct TrainerOutput {
    pub labels: Vec<u32>,
    /// How sure the model is of each row's cluster, 0..=1: max_j q_ij for the Student-t
    /// methods, the largest posterior for the Gaussian ones.
    pub confidence: Vec<f32>,
    /// Row-major `rows × embedding`; shared with the trainer (for the raw-feature baselines
    /// it is the data itself).
    pub embedding: Arc<Vec<f32>>,
    pub embedding_dim: usize,
}

/// Copies a tensor's values to the host; async because WebGPU has no synchronous readback.
pub(crate) async fn read_back<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, TrainError> {
    let data = tensor
        .into_data_async()
        .await
        .map_err(|e| TrainError::Readback(format!("{e:?}")))?;
    data.try_into_vec::<f32>()
        .map_err(|e| TrainError::Readback(format!("{e:?}")))
}

/// Batch losses summed on the device, read back once per step.
#[derive(Default)]
pub(crate) struct LossSum {
    total: Option<Tensor<1>>,
    count: usize,
}

impl LossSum {
    pub(crate) fn add(&mut self, loss: Tensor<1>) {
        let loss = loss.detach();
        self.total = Some(match self.total.take() {
            Some(t) => t + loss,
            None => loss,
        });
        self.count += 1;
    }

    /// The mean, NaN when no batch ran; an error when training has diverged.
    pub(crate) async fn mean(self) -> Result<f32, TrainError> {
        let Some(total) = self.total else {
            return Ok(f32::NAN);
        };
        let sum: f32 = total
            .into_scalar_async()
            .await
            .map_err(|e| TrainError::Readback(format!("{e:?}")))?;
        let mean = sum / self.count as f32;
        if mean.is_finite() {
            Ok(mean)
        } else {
            Err(TrainError::Diverged(mean))
        }
    }
}

// One per run; the weights themselves live in tensors, these are handles.
pub(super) enum Stage {
    Pretrain(Autoencoder),
    /// The method's refinement, which holds the network from here on.
    Refine(Box<dyn Refinement>),
    /// A baseline's clusters are fixed; the autoencoder is kept when it made the features.
    Fixed(Option<Autoencoder>),
}

/// Any method, step by step. Owns the data, the model and the optimiser state.
pub struct Trainer {
    pub(crate) config: ValidTrainConfig,
    pub(crate) device: Device,
    pub(crate) features: Arc<Vec<f32>>,
    /// 1 where a feature is data, 0 where it is padding ([`crate::data::Dataset::valid`]).
    pub(crate) valid: Option<Arc<Vec<f32>>>,
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) rng: Rng,
    pub(crate) phase: Phase,
    pub(crate) epoch: usize,
    pub(crate) order: Vec<usize>,
    pub(crate) cursor: usize,
    batches_per_step: usize,
    /// Refinement batches since the last target update.
    pub(crate) since_update: usize,
    pub(super) stage: Option<Stage>,
    pub(crate) optim: ModuleOptimizer,
    pub(crate) labels: Vec<u32>,
    pub(crate) confidence: Vec<f32>,
    pub(crate) embedding: Arc<Vec<f32>>,
    pub(crate) changed: Option<f32>,
    pub(crate) updates: usize,
    /// End a step right after each target update, so a teaching view can stop there.
    pub(crate) pause_at_updates: bool,
    /// Labels whose clusters refinement batches draw from equally.
    pub(crate) balance_labels: Option<Vec<u32>>,
    /// The cluster rule of a method that finished without refining (the baselines).
    pub(super) assignment: Option<Assignment>,
    started_ms: Option<f64>,
    pub(crate) warnings: Vec<String>,
    /// Why refinement ended, for a teaching view's last pause (methods that refine in batches).
    pub(crate) stopped: Option<String>,
}

impl Trainer {
    /// `features` is row-major `rows × cols` (a `Vec`, or a table's shared features);
    /// `device` is a plain (non-autodiff) device.
    pub fn new(
        config: TrainConfig,
        features: impl Into<Arc<Vec<f32>>>,
        rows: usize,
        cols: usize,
        device: Device,
    ) -> Result<Self, TrainError> {
        let features = features.into();
        if features.len() != rows * cols {
            return Err(TrainError::Shape {
                rows,
                cols,
                len: features.len(),
            });
        }
        let config = config.check(rows, cols)?;
        let device = device.autodiff();
        let mut rng = Rng::new(config.seed);
        let (phase, stage, embedding) = if config.pretrains() {
            let autoencoder = config.architecture().init(&device, &mut rng.fork());
            (
                Phase::Pretrain,
                Stage::Pretrain(autoencoder),
                Arc::default(),
            )
        } else {
            (Phase::Init, Stage::Fixed(None), features.clone())
        };
        let order = rng.permutation(rows);
        Ok(Self {
            config,
            device,
            features,
            valid: None,
            rows,
            cols,
            rng,
            phase,
            epoch: 0,
            order,
            cursor: 0,
            batches_per_step: 1,
            since_update: 0,
            stage: Some(stage),
            optim: Adam::init(),
            labels: Vec::new(),
            confidence: Vec::new(),
            embedding,
            changed: None,
            updates: 0,
            pause_at_updates: false,
            balance_labels: None,
            assignment: None,
            started_ms: None,
            warnings: Vec::new(),
            stopped: None,
        })
    }

    pub fn config(&self) -> &ValidTrainConfig {
        &self.config
    }
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Things worth telling the user (collapsed clusters…), in the order they happened.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
    /// Why refinement ended (`at target update 8, 0.05 % … changed`), once it has.
    pub fn stopped(&self) -> Option<&str> {
        self.stopped.as_deref()
    }

    /// How many batches one [`step`](Self::step) may run (at least 1). Browsers tune it so a
    /// step takes a fraction of a second.
    pub fn set_batches_per_step(&mut self, n: usize) {
        self.batches_per_step = n.max(1);
    }

    /// With `true`, a refinement step ends right after a target update (see
    /// [`StepStats::updates`]).
    pub fn set_pause_at_updates(&mut self, on: bool) {
        self.pause_at_updates = on;
    }

    /// Each row's current confidence, max_j q_ij (or the largest posterior); empty before
    /// the first clusters.
    pub fn confidence(&self) -> &[f32] {
        &self.confidence
    }

    /// Does a bounded amount of work: up to `batches_per_step` batches, stopping at the end
    /// of an epoch, or the whole initialisation. `now_ms` is any monotonic clock in
    /// milliseconds; the trainer has none of its own so that it runs the same everywhere.
    pub async fn step(&mut self, now_ms: f64) -> Result<StepStats, TrainError> {
        let started = *self.started_ms.get_or_insert(now_ms);
        let loss = match self.phase {
            Phase::Pretrain => self.pretrain_batches().await?,
            Phase::Init => {
                self.initialise().await?;
                f32::NAN
            }
            Phase::Refine => {
                let Some(Stage::Refine(mut refinement)) = self.stage.take() else {
                    unreachable!("stage matches phase")
                };
                let loss = refinement.refine(self, self.batches_per_step).await;
                self.stage = Some(Stage::Refine(refinement));
                loss?
            }
            Phase::Done => f32::NAN,
        };
        Ok(StepStats {
            phase: self.phase,
            epoch: self.epoch,
            epochs: self.phase_epochs(),
            loss,
            changed: self.changed,
            updates: self.updates,
            elapsed_ms: now_ms - started,
            progress: self.progress(),
            progress_bound: self.phase != Phase::Done
                && self.config.method.algorithm().stops_early(),
        })
    }

    pub(super) fn phase_epochs(&self) -> usize {
        match self.phase {
            Phase::Pretrain => self.config.pretrain_epochs,
            Phase::Refine | Phase::Done => self.config.refine_epochs,
            Phase::Init => 0,
        }
    }

    /// Pretraining is the bulk of the work; refinement usually stops early, so its share is
    /// estimated generously and the bar jumps to full at the end.
    fn progress(&self) -> f32 {
        let pre = if self.config.pretrains() {
            self.config.pretrain_epochs as f32
        } else {
            0.0
        };
        let refine = if self.config.method.is_deep() {
            self.config.refine_epochs as f32
        } else {
            0.0
        };
        if pre + refine == 0.0 {
            return if self.phase == Phase::Done { 1.0 } else { 0.0 };
        }
        let weight_pre = pretrain_share(self.config.method, pre, refine);
        let within = (self.epoch as f32 + self.cursor as f32 / self.rows as f32)
            / self.phase_epochs().max(1) as f32;
        match self.phase {
            Phase::Pretrain => weight_pre * within,
            Phase::Init => weight_pre,
            Phase::Refine => weight_pre + (1.0 - weight_pre) * within.min(1.0),
            Phase::Done => 1.0,
        }
    }

    /// The next batch of row indices. The flag is true when the batch ends an epoch; the epoch
    /// counter and the shuffle have then already moved on, so no call ever returns nothing.
    pub(crate) fn next_batch(&mut self) -> (Vec<usize>, bool) {
        let end = (self.cursor + self.config.batch_size).min(self.rows);
        let batch = self.order[self.cursor..end].to_vec();
        self.cursor = end;
        let epoch_end = end == self.rows;
        if epoch_end {
            self.cursor = 0;
            self.epoch += 1;
            self.order = self.epoch_order();
        }
        (batch, epoch_end)
    }

    /// Leave padding out of the reconstruction loss: `valid` is 1 where a feature is data.
    pub fn set_valid(&mut self, valid: Option<Arc<Vec<f32>>>) {
        self.valid = valid.filter(|v| v.len() == self.rows * self.cols);
    }

    /// The rows' [`Self::valid`] weights as a tensor, `None` when every feature is data.
    pub(crate) fn valid_tensor(&self, rows: &[usize]) -> Option<Tensor<2>> {
        let values = gather_rows(self.valid.as_ref()?, self.cols, rows);
        Some(Tensor::from_data(
            TensorData::new(values, [rows.len(), self.cols]),
            &self.device,
        ))
    }

    pub(crate) fn rows_tensor(&self, rows: &[usize]) -> Tensor<2> {
        Tensor::from_data(
            TensorData::new(self.rows_values(rows), [rows.len(), self.cols]),
            &self.device,
        )
    }

    /// The rows' features, row-major, as the network takes them.
    pub(crate) fn rows_values(&self, rows: &[usize]) -> Vec<f32> {
        let mut values = self.stored_rows(rows);
        self.to_network(&mut values);
        values
    }

    /// The rows' features as loaded (images in 0..1), row-major.
    pub(crate) fn stored_rows(&self, rows: &[usize]) -> Vec<f32> {
        gather_rows(&self.features, self.cols, rows)
    }

    /// Stored features as the network takes them: images divided by the pixel divisor.
    pub(crate) fn to_network(&self, values: &mut [f32]) {
        if let Some(d) = self.pixel_divisor() {
            divide_pixels_by(values, d);
        }
    }

    /// What the network divides pixels by, for images.
    fn pixel_divisor(&self) -> Option<f32> {
        self.config.image.map(|_| self.config.pixel_divisor)
    }

    async fn pretrain_batches(&mut self) -> Result<f32, TrainError> {
        let Some(Stage::Pretrain(mut ae)) = self.stage.take() else {
            unreachable!("stage matches phase")
        };
        let mut losses = LossSum::default();
        for _ in 0..self.batches_per_step {
            let (batch, epoch_end) = self.next_batch();
            let x = self.rows_tensor(&batch);
            let mask = corruption_mask(
                batch.len() * self.cols,
                self.config.corruption,
                &mut self.rng,
            );
            let mask = Tensor::<2>::from_data(
                TensorData::new(mask, [batch.len(), self.cols]),
                &self.device,
            );
            let valid = self.valid_tensor(&batch);
            let loss = ae.denoising_loss(x, mask, valid);
            let grads = GradientsParams::from_grads(loss.backward(), &ae);
            ae = self.optim.step(self.config.pretrain_lr, ae, grads);
            losses.add(loss);
            if epoch_end {
                break;
            }
        }
        self.stage = Some(Stage::Pretrain(ae));
        if self.epoch >= self.config.pretrain_epochs {
            self.phase = Phase::Init;
            self.epoch = 0;
            self.cursor = 0;
        }
        losses.mean().await
    }

    fn autoencoder(&self) -> Option<&Autoencoder> {
        match self.stage.as_ref().expect("stage is present between steps") {
            Stage::Pretrain(ae) | Stage::Fixed(Some(ae)) => Some(ae),
            Stage::Refine(r) => Some(r.autoencoder()),
            Stage::Fixed(None) => None,
        }
    }

    /// Embeds every row; without an autoencoder (raw-feature baselines) the features are the
    /// embedding, shared rather than copied (for an image set near the page's limit a copy
    /// would not fit).
    pub(super) async fn embed_all(&self) -> Result<Arc<Vec<f32>>, TrainError> {
        self.embed_with(self.autoencoder()).await
    }

    /// Every row through `autoencoder` (or the features themselves without one).
    pub(crate) async fn embed_with(
        &self,
        autoencoder: Option<&Autoencoder>,
    ) -> Result<Arc<Vec<f32>>, TrainError> {
        match autoencoder {
            Some(ae) => {
                let (rows, cols, divisor) = (self.rows, self.cols, self.pixel_divisor());
                let z = embed_rows(ae, &self.features, rows, cols, divisor, &self.device).await?;
                Ok(Arc::new(z))
            }
            None => Ok(self.features.clone()),
        }
    }

    /// The first clusters, by the method's own rule, from the embedding of every row.
    async fn initialise(&mut self) -> Result<(), TrainError> {
        // Embedded before the stage is taken out, so a failed read-back leaves the run as it was.
        let z = self.embed_all().await?;
        let autoencoder = match self.stage.take() {
            Some(Stage::Pretrain(ae)) => Some(ae),
            _ => None,
        };
        match self
            .config
            .method
            .algorithm()
            .start(self, autoencoder, &z)?
        {
            Start::Done {
                assignment,
                autoencoder,
            } => {
                self.assignment = Some(assignment);
                self.stage = Some(Stage::Fixed(autoencoder));
                self.embedding = z;
                self.finish();
            }
            Start::Refine(mut refinement) => {
                self.embedding = z;
                self.phase = Phase::Refine;
                self.epoch = 0;
                self.cursor = 0;
                refinement.begin(self);
                self.stage = Some(Stage::Refine(refinement));
            }
        }
        Ok(())
    }

    /// A fresh optimiser of the kind the method refines with.
    pub(crate) fn refine_optimizer(&self) -> ModuleOptimizer {
        match self.config.refine_optimizer {
            RefineOptimizer::Sgd => {
                let momentum = MomentumConfig::new().with_momentum(0.9).with_dampening(0.0);
                SgdConfig::new().with_momentum(Some(momentum)).init()
            }
            RefineOptimizer::Adam => Adam::init(),
        }
    }

    /// One optimiser step of `model` down the gradient of `loss`, at the refinement's rate.
    pub(crate) fn descend<M: Module>(&mut self, model: M, loss: &Tensor<1>) -> M {
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        self.optim.step(self.config.refine_lr, model, grads)
    }

    /// Row order for a new epoch: shuffled, or balanced over clusters for the methods that
    /// sample that way.
    pub(crate) fn epoch_order(&mut self) -> Vec<usize> {
        match (&self.balance_labels, self.phase) {
            (Some(labels), Phase::Refine) => crate::data::uniform_over_labels(
                labels,
                self.config.n_clusters,
                self.rows,
                &mut self.rng,
            ),
            _ => self.rng.permutation(self.rows),
        }
    }

    /// Ends the run and warns about clusters that collapsed.
    pub(crate) fn finish(&mut self) {
        self.phase = Phase::Done;
        let warnings = collapse_warnings(&self.labels, self.config.n_clusters);
        self.warnings.extend(warnings);
    }

    /// `[rows, k]` one-hot rows of `labels`.
    pub(crate) fn one_hot(&self, labels: &[u32]) -> Tensor<2> {
        let k = self.config.n_clusters;
        let mut v = vec![0f32; labels.len() * k];
        for (i, &l) in labels.iter().enumerate() {
            v[i * k + l as usize] = 1.0;
        }
        Tensor::from_data(TensorData::new(v, [labels.len(), k]), &self.device)
    }

    /// Size of the embedding the clusters live in (the data's own columns for raw baselines).
    pub fn embedding_dim(&self) -> usize {
        if self.config.pretrains() {
            self.config.architecture().embedding_size()
        } else {
            self.cols
        }
    }

    /// The current embedding projected to 2-D (PCA) with the current labels and cluster
    /// centres, for a live plot. Recomputes the embedding until the first clusters exist;
    /// afterwards it is the one from the last target update.
    pub async fn snapshot(&mut self) -> Result<Snapshot, TrainError> {
        // Until initialisation fixes it, the embedding moves with every batch.
        if matches!(self.phase, Phase::Pretrain | Phase::Init) || self.embedding.is_empty() {
            self.embedding = self.embed_all().await?;
        }
        let (space, dim) = self.cluster_space().await?;
        let pca = Pca2::fit(&space, self.rows, dim);
        let xy = pca.project(&space);
        let centres = self
            .centres()
            .await?
            .map_or(Vec::new(), |c| pca.project(&c));
        let labels = (!self.labels.is_empty()).then(|| self.labels.clone());
        Ok(Snapshot {
            xy,
            labels,
            centres,
        })
    }

    /// What the plot shows: the embedding, or for N2D the manifold it is mapped to (where
    /// its clusters live). Row-major, with its width.
    pub async fn cluster_space(&self) -> Result<(Arc<Vec<f32>>, usize), TrainError> {
        match self.stage.as_ref().expect("stage is present between steps") {
            Stage::Refine(r) => Ok(match r.cluster_space() {
                Some((space, dim)) => (Arc::new(space), dim),
                None => (self.embedding.clone(), self.embedding_dim()),
            }),
            _ => Ok((self.embedding.clone(), self.embedding_dim())),
        }
    }

    /// Cluster centres in the plot space, row-major `k × width`, for methods whose
    /// clusters have centres there.
    async fn centres(&self) -> Result<Option<Vec<f32>>, TrainError> {
        match self.stage.as_ref().expect("stage is present between steps") {
            Stage::Refine(r) => r.centres(self).await,
            _ => Ok(self.assignment.as_ref().and_then(|a| a.plot_centres())),
        }
    }

    /// The trained model on its own, to save or to place new rows, once [`Phase::Done`] is
    /// reached. `feature_names` and `preparation` describe the input for whoever loads it.
    pub async fn fitted(
        &self,
        feature_names: Vec<String>,
        preparation: Option<Preparation>,
        series: Option<SeriesInput>,
    ) -> Result<Option<FittedModel>, TrainError> {
        if self.phase != Phase::Done {
            return Ok(None);
        }
        let (assignment, manifold) =
            match self.stage.as_ref().expect("stage is present between steps") {
                Stage::Refine(r) => (r.assignment(self).await?, r.manifold()),
                Stage::Fixed(_) | Stage::Pretrain(_) => (
                    self.assignment
                        .clone()
                        .expect("set with the final labels of a method that did not refine"),
                    None,
                ),
            };
        let autoencoder = self
            .autoencoder()
            .map(|ae| (self.config.architecture(), ae.clone()));
        let (space, dim) = self.cluster_space().await?;
        Ok(Some(FittedModel {
            method: self.config.method,
            seed: self.config.seed,
            input: InputSpec {
                cols: self.cols,
                feature_names,
                preparation,
                image: self.config.image,
                pixel_divisor: self.pixel_divisor(),
                series,
            },
            autoencoder,
            manifold,
            map: None,
            assignment,
            projection: (self.rows > 0).then(|| Pca2::fit(&space, self.rows, dim)),
            device: self.device.clone(),
        }))
    }

    /// Runs `f` on the refinement in progress, for tests that look inside a method's state.
    #[cfg(test)]
    pub(crate) fn with_refinement<R>(
        &mut self,
        f: impl FnOnce(&mut dyn Refinement, &mut Trainer) -> R,
    ) -> R {
        let Some(Stage::Refine(mut r)) = self.stage.take() else {
            panic!("the run is not refining")
        };
        let out = f(r.as_mut(), self);
        self.stage = Some(Stage::Refine(r));
        out
    }

    /// Labels, confidences and the embedding, once [`Phase::Done`] is reached.
    pub fn output(&self) -> Option<TrainerOutput> {
        (self.phase == Phase::Done).then(|| TrainerOutput {
            labels: self.labels.clone(),
            confidence: self.confidence.clone(),
            embedding: self.embedding.clone(),
            embedding_dim: self.embedding_dim(),
        })
    }
}

/// The share of a run's work that pretraining is, from its epochs and the refinement's. A
/// refinement epoch counts half a pretraining one (it usually stops early), but N2D's are
/// epochs of the UMAP layout, a small fraction of an autoencoder epoch over the same rows:
/// weighing them as half an epoch each made the bar and its time estimate far too pessimistic
/// at the end of pretraining (measurements: docs/DECISIONS.md, "Progress: N2D's layout
/// epochs").
fn pretrain_share(method: Method, pretrain_epochs: f32, refine_epochs: f32) -> f32 {
    let per_refine_epoch = method.algorithm().refine_epoch_weight();
    pretrain_epochs / (pretrain_epochs + refine_epochs * per_refine_epoch)
}

/// `rows` of the row-major `values` (`cols` per row), in order.
fn gather_rows(values: &[f32], cols: usize, rows: &[usize]) -> Vec<f32> {
    let mut out = Vec::with_capacity(rows.len() * cols);
    for &r in rows {
        out.extend_from_slice(&values[r * cols..(r + 1) * cols]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n2d_layout_epochs_weigh_little_against_pretraining() {
        assert!((pretrain_share(Method::N2d, 100.0, 500.0) - 100.0 / 110.0).abs() < 1e-6);
        assert!((pretrain_share(Method::Dec, 100.0, 100.0) - 2.0 / 3.0).abs() < 1e-6);
        assert_eq!(pretrain_share(Method::KMeans, 0.0, 50.0), 0.0);
    }
}
