use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, SgdConfig, momentum::MomentumConfig};
use burn::tensor::{Device, Tensor, TensorData};
use thiserror::Error;

use crate::cluster::dec::{self, DecModel, DecValidConfig};
use crate::cluster::kmeans::KMeansParams;
use crate::model::{Autoencoder, AutoencoderConfig, corruption_mask};
use crate::project::pca_2d;
use crate::rng::Rng;

/// Where training is. Pretrain → Init → Refine → Done, never backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Autoencoder learns to reconstruct the data.
    Pretrain,
    /// k-means in the embedding picks the first centres.
    Init,
    /// Encoder and centres trained on KL(P‖Q).
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
    /// Mean loss over the step's batches (reconstruction MSE, then KL); NaN if none ran.
    pub loss: f32,
    /// Fraction of points that changed cluster at the last target update.
    pub changed: Option<f32>,
    pub elapsed_ms: f64,
    /// Rough share of all the work done, 0..=1, for a progress bar.
    pub progress: f32,
}

#[derive(Debug, Error)]
pub enum TrainError {
    #[error(transparent)]
    Config(#[from] dec::DecConfigError),
    #[error("the data has {rows} rows and {cols} columns but {len} values")]
    Shape { rows: usize, cols: usize, len: usize },
    #[error("reading results back from the device failed: {0}")]
    Readback(String),
    #[error("training diverged (the loss became {0}); try a smaller learning rate")]
    Diverged(f32),
}

/// Final results, one entry per input row.
#[derive(Debug, Clone)]
pub struct TrainerOutput {
    pub labels: Vec<u32>,
    /// max_j q_ij: how sure the model is of each row's cluster.
    pub confidence: Vec<f32>,
    /// Row-major `rows × embedding`.
    pub embedding: Vec<f32>,
    pub embedding_dim: usize,
}

/// Copies a tensor's values to the host; async because WebGPU has no synchronous readback.
async fn read_back<const D: usize>(tensor: Tensor<D>) -> Result<Vec<f32>, TrainError> {
    let data = tensor.into_data_async().await.map_err(|e| TrainError::Readback(format!("{e:?}")))?;
    data.try_into_vec::<f32>().map_err(|e| TrainError::Readback(format!("{e:?}")))
}

/// Batch losses summed on the device, read back once per step.
#[derive(Default)]
struct LossSum {
    total: Option<Tensor<1>>,
    count: usize,
}

impl LossSum {
    fn add(&mut self, loss: Tensor<1>) {
        let loss = loss.detach();
        self.total = Some(match self.total.take() {
            Some(t) => t + loss,
            None => loss,
        });
        self.count += 1;
    }

    /// The mean, NaN when no batch ran; an error when training has diverged.
    async fn mean(self) -> Result<f32, TrainError> {
        let Some(total) = self.total else { return Ok(f32::NAN) };
        let sum: f32 = total.into_scalar_async().await.map_err(|e| TrainError::Readback(format!("{e:?}")))?;
        let mean = sum / self.count as f32;
        if mean.is_finite() { Ok(mean) } else { Err(TrainError::Diverged(mean)) }
    }
}

enum Stage {
    Pretrain(Autoencoder),
    Refine(DecModel),
}

/// DEC, step by step. Owns the data, the model and the optimiser state.
pub struct Trainer {
    config: DecValidConfig,
    device: Device,
    features: Vec<f32>,
    rows: usize,
    cols: usize,
    rng: Rng,
    phase: Phase,
    epoch: usize,
    order: Vec<usize>,
    cursor: usize,
    batches_per_step: usize,
    /// Refinement batches since the last target update.
    since_update: usize,
    stage: Option<Stage>,
    optim: ModuleOptimizer,
    target: Vec<f32>,
    labels: Vec<u32>,
    confidence: Vec<f32>,
    embedding: Vec<f32>,
    changed: Option<f32>,
    started_ms: Option<f64>,
    warnings: Vec<String>,
}

impl Trainer {
    /// `features` is row-major `rows × cols`; `device` is a plain (non-autodiff) device.
    pub fn new(config: dec::DecConfig, features: Vec<f32>, rows: usize, cols: usize, device: Device) -> Result<Self, TrainError> {
        if features.len() != rows * cols {
            return Err(TrainError::Shape { rows, cols, len: features.len() });
        }
        let config = config.check(rows, cols)?;
        let device = device.autodiff();
        let mut rng = Rng::new(config.seed);
        let autoencoder = AutoencoderConfig::new(config.dims.clone()).init(&device, &mut rng.fork());
        let optim = AdamConfig::new().init();
        let order = rng.permutation(rows);
        Ok(Self {
            config,
            device,
            features,
            rows,
            cols,
            rng,
            phase: Phase::Pretrain,
            epoch: 0,
            order,
            cursor: 0,
            batches_per_step: 1,
            since_update: 0,
            stage: Some(Stage::Pretrain(autoencoder)),
            optim,
            target: Vec::new(),
            labels: Vec::new(),
            confidence: Vec::new(),
            embedding: Vec::new(),
            changed: None,
            started_ms: None,
            warnings: Vec::new(),
        })
    }

    pub fn config(&self) -> &DecValidConfig {
        &self.config
    }
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Things worth telling the user (collapsed clusters…), in the order they happened.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// How many batches one [`step`](Self::step) may run (at least 1). Browsers tune it so a
    /// step takes a fraction of a second.
    pub fn set_batches_per_step(&mut self, n: usize) {
        self.batches_per_step = n.max(1);
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
            Phase::Refine => self.refine_batches().await?,
            Phase::Done => f32::NAN,
        };
        Ok(StepStats {
            phase: self.phase,
            epoch: self.epoch,
            epochs: self.phase_epochs(),
            loss,
            changed: self.changed,
            elapsed_ms: now_ms - started,
            progress: self.progress(),
        })
    }

    fn phase_epochs(&self) -> usize {
        match self.phase {
            Phase::Pretrain => self.config.pretrain_epochs,
            Phase::Refine | Phase::Done => self.config.refine_epochs,
            Phase::Init => 0,
        }
    }

    /// Pretraining is the bulk of the work; refinement usually stops early, so its share is
    /// estimated generously and the bar jumps to full at the end.
    fn progress(&self) -> f32 {
        let pre = self.config.pretrain_epochs as f32;
        let refine = self.config.refine_epochs as f32;
        let weight_pre = pre / (pre + refine * 0.5);
        let within = (self.epoch as f32 + self.cursor as f32 / self.rows as f32) / self.phase_epochs().max(1) as f32;
        match self.phase {
            Phase::Pretrain => weight_pre * within,
            Phase::Init => weight_pre,
            Phase::Refine => weight_pre + (1.0 - weight_pre) * within.min(1.0),
            Phase::Done => 1.0,
        }
    }

    /// The next batch of row indices. The flag is true when the batch ends an epoch; the epoch
    /// counter and the shuffle have then already moved on, so no call ever returns nothing.
    fn next_batch(&mut self) -> (Vec<usize>, bool) {
        let end = (self.cursor + self.config.batch_size).min(self.rows);
        let batch = self.order[self.cursor..end].to_vec();
        self.cursor = end;
        let epoch_end = end == self.rows;
        if epoch_end {
            self.cursor = 0;
            self.epoch += 1;
            self.order = self.rng.permutation(self.rows);
        }
        (batch, epoch_end)
    }

    fn rows_tensor(&self, rows: &[usize]) -> Tensor<2> {
        let mut values = Vec::with_capacity(rows.len() * self.cols);
        for &r in rows {
            values.extend_from_slice(&self.features[r * self.cols..(r + 1) * self.cols]);
        }
        Tensor::from_data(TensorData::new(values, [rows.len(), self.cols]), &self.device)
    }

    async fn pretrain_batches(&mut self) -> Result<f32, TrainError> {
        let Some(Stage::Pretrain(mut ae)) = self.stage.take() else { unreachable!("stage matches phase") };
        let mut losses = LossSum::default();
        for _ in 0..self.batches_per_step {
            let (batch, epoch_end) = self.next_batch();
            let x = self.rows_tensor(&batch);
            let mask = corruption_mask(batch.len() * self.cols, self.config.corruption, &mut self.rng);
            let mask = Tensor::<2>::from_data(TensorData::new(mask, [batch.len(), self.cols]), &self.device);
            let loss = ae.denoising_loss(x, mask);
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

    fn autoencoder(&self) -> &Autoencoder {
        match self.stage.as_ref().expect("stage is present between steps") {
            Stage::Pretrain(ae) => ae,
            Stage::Refine(model) => &model.autoencoder,
        }
    }

    /// Embeds every row (in chunks, so large data sets never need one huge tensor) and
    /// reads the result back in one transfer.
    async fn embed_all(&self) -> Result<Vec<f32>, TrainError> {
        let ae = self.autoencoder();
        let chunk = 2048;
        let parts: Vec<Tensor<2>> = (0..self.rows)
            .step_by(chunk)
            .map(|start| {
                let rows: Vec<usize> = (start..(start + chunk).min(self.rows)).collect();
                ae.encode(self.rows_tensor(&rows)).detach()
            })
            .collect();
        read_back(Tensor::cat(parts, 0)).await
    }

    fn embedding_dim(&self) -> usize {
        *self.config.dims.last().expect("checked: at least 2 sizes")
    }

    async fn initialise(&mut self) -> Result<(), TrainError> {
        let z = self.embed_all().await?;
        let dim = self.embedding_dim();
        let k = self.config.n_clusters;
        let km = KMeansParams::new(k)
            .n_init(self.config.n_init)
            .seed(self.rng.next_u64())
            .check(self.rows)
            .expect("k ≤ rows and n_init ≥ 1 were checked with the DEC settings")
            .fit(&z, self.rows, dim);
        self.warnings.extend(km.warnings().iter().map(|w| format!("k-means initialisation: {w}")));
        let Some(Stage::Pretrain(ae)) = self.stage.take() else { unreachable!("stage matches phase") };
        self.stage = Some(Stage::Refine(DecModel::new(ae, km.centroids().to_vec(), k, &self.device)));
        self.labels = km.labels().to_vec();
        self.embedding = z;
        let momentum = MomentumConfig::new().with_momentum(0.9).with_dampening(0.0);
        self.optim = SgdConfig::new().with_momentum(Some(momentum)).init();
        self.phase = Phase::Refine;
        self.epoch = 0;
        self.cursor = 0;
        self.since_update = 0;
        Ok(())
    }

    /// Recomputes q over all rows, the target p and the labels. Returns the share of rows
    /// whose label changed.
    async fn update_target(&mut self) -> Result<f32, TrainError> {
        let z = self.embed_all().await?;
        let Some(Stage::Refine(model)) = self.stage.as_ref() else { unreachable!("refining") };
        let mu = read_back(model.centroids.val()).await?;
        let k = self.config.n_clusters;
        let q = dec::soft_assignment(&z, &mu, self.embedding_dim(), self.config.alpha);
        let mut p = dec::target_distribution(&q, k);
        // log p must stay finite in the loss; 1e-12 changes nothing measurable.
        p.iter_mut().for_each(|v| *v = v.max(1e-12));
        let (labels, confidence): (Vec<u32>, Vec<f32>) = q
            .chunks_exact(k)
            .map(|row| {
                let (j, v) = row.iter().enumerate().fold((0, f32::MIN), |b, (j, &v)| if v > b.1 { (j, v) } else { b });
                (j as u32, v)
            })
            .unzip();
        let changed = labels.iter().zip(&self.labels).filter(|(a, b)| a != b).count() as f32 / self.rows as f32;
        self.labels = labels;
        self.confidence = confidence;
        self.embedding = z;
        self.target = p;
        Ok(changed)
    }

    async fn refine_batches(&mut self) -> Result<f32, TrainError> {
        let mut losses = LossSum::default();
        for _ in 0..self.batches_per_step {
            if self.since_update % self.config.update_interval == 0 {
                let first = self.target.is_empty();
                let changed = self.update_target().await?;
                self.changed = Some(changed);
                // The first update compares with k-means' labels; the paper's stopping rule
                // applies from the second on.
                if (!first && changed < self.config.tol) || self.epoch >= self.config.refine_epochs {
                    self.phase = Phase::Done;
                    break;
                }
            }
            let (batch, epoch_end) = self.next_batch();
            let k = self.config.n_clusters;
            let mut p = Vec::with_capacity(batch.len() * k);
            for &r in &batch {
                p.extend_from_slice(&self.target[r * k..(r + 1) * k]);
            }
            let p = Tensor::<2>::from_data(TensorData::new(p, [batch.len(), k]), &self.device);
            let Some(Stage::Refine(model)) = self.stage.take() else { unreachable!("refining") };
            let loss = model.loss(self.rows_tensor(&batch), p, self.config.alpha);
            let grads = GradientsParams::from_grads(loss.backward(), &model);
            self.stage = Some(Stage::Refine(self.optim.step(self.config.refine_lr, model, grads)));
            self.since_update += 1;
            losses.add(loss);
            if epoch_end {
                break;
            }
        }
        losses.mean().await
    }

    /// The current embedding projected to 2-D (PCA) with the current labels, for a live plot.
    /// Recomputes the embedding during pretraining; afterwards it is the one from the last
    /// target update.
    pub async fn snapshot(&mut self) -> Result<(Vec<f32>, Option<Vec<u32>>), TrainError> {
        if self.phase == Phase::Pretrain || self.embedding.is_empty() {
            self.embedding = self.embed_all().await?;
        }
        let xy = pca_2d(&self.embedding, self.rows, self.embedding_dim());
        let labels = (!self.labels.is_empty()).then(|| self.labels.clone());
        Ok((xy, labels))
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
