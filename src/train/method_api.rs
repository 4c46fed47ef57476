//! What a method gives the trainer. Each method's folder under `src/cluster/` implements
//! [`Algorithm`] (its defaults, its checks, how it starts once the autoencoder is pretrained)
//! and, when it refines, a [`Refinement`]; most refine batch by batch and implement
//! [`BatchMethod`] instead, which the shared loop in [`Batched`] drives. The trainer never
//! asks which method it runs.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use burn::tensor::Tensor;

use super::config::{ConfigError, ImageShape, SeriesShape, TrainConfig};
use super::rule::Assignment;
use super::trainer::{LossSum, TrainError, Trainer};
use crate::model::{Architecture, Autoencoder};
use crate::project::layout::Layout;

/// A boxed future of a method's async work (reading tensors back from a WebGPU device).
pub type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T, TrainError>> + 'a>>;

/// What the defaults are chosen from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DataShape {
    pub rows: usize,
    pub cols: usize,
    pub n_clusters: usize,
    /// Set when the rows are images.
    pub image: Option<ImageShape>,
    /// Set when the rows are series.
    pub series: Option<SeriesShape>,
    /// Batches in one epoch at the default batch size.
    pub batches: usize,
    /// Whether the defaults use the DEC paper's d-500-500-2000-10 network.
    pub papers_network: bool,
}

/// How a method goes on once the embedding of every row is known. Made once per run.
#[allow(clippy::large_enum_variant)]
pub enum Start {
    /// Training goes on with this refinement.
    Refine(Box<dyn Refinement>),
    /// The method has set the trainer's labels and confidences; `assignment` places new
    /// rows, and the autoencoder (when it made the features) is kept.
    Done {
        assignment: Assignment,
        autoencoder: Option<Autoencoder>,
    },
}

/// A method's rules, from settings to its first clusters.
pub trait Algorithm: Sync {
    /// Adjusts the shared defaults ([`TrainConfig::for_data`]) for this method and data.
    fn defaults(&self, _config: &mut TrainConfig, _data: &DataShape) {}

    /// Adjusts the defaults once the pixels of an image set are known.
    fn pixel_defaults(&self, _config: &mut TrainConfig, _data: &DataShape, _pixels: &[f32]) {}

    /// The method's own rules on top of the shared ones in [`TrainConfig::check`].
    fn check(&self, _config: &TrainConfig, _rows: usize, _cols: usize) -> Result<(), ConfigError> {
        Ok(())
    }

    /// The autoencoder this configuration trains.
    fn architecture(&self, config: &TrainConfig) -> Architecture {
        config.default_architecture()
    }

    /// Whether an autoencoder is pretrained (the baselines pretrain only when asked to
    /// cluster its embedding).
    fn pretrains(&self, _config: &TrainConfig) -> bool {
        true
    }

    /// After pretraining (at once for the baselines without one): the first clusters, from the
    /// row-major embedding `z` of every row. `autoencoder` is the pretrained network, if any.
    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError>;

    /// A refinement restored from a checkpoint's cluster state (see
    /// [`Refinement::checkpoint`]); `None` when the method cannot resume while refining.
    fn resume(
        &self,
        _t: &mut Trainer,
        _autoencoder: Autoencoder,
        _state: &[f32],
    ) -> Result<Option<Box<dyn Refinement>>, TrainError> {
        Ok(None)
    }

    /// What one refinement epoch weighs against a pretraining epoch in the progress bar.
    fn refine_epoch_weight(&self) -> f32 {
        0.5
    }

    /// Whether the refinement may end before its last epoch (when almost no point changes
    /// cluster), which makes the time left by [`StepStats::progress`] an upper bound.
    ///
    /// [`StepStats::progress`]: super::StepStats::progress
    fn stops_early(&self) -> bool {
        false
    }
}

/// A method's refinement, as the trainer drives it: a bounded piece of work per call.
pub trait Refinement {
    fn autoencoder(&self) -> &Autoencoder;

    /// Called as refinement starts (after [`Algorithm::start`] or a resume), with the trainer
    /// already in [`super::Phase::Refine`] at epoch 0 or the resumed epoch.
    fn begin(&mut self, _t: &mut Trainer) {}

    /// Runs up to `batches` batches (or the method's own unit of work) and returns their mean
    /// loss, NaN if none ran. Calls [`Trainer::finish`] when the method is done.
    fn refine<'a>(&'a mut self, t: &'a mut Trainer, batches: usize) -> Fut<'a, f32>;

    /// Where the clusters live when it is not the embedding (N2D's manifold), row-major, with
    /// its width.
    fn cluster_space(&self) -> Option<(Vec<f32>, usize)> {
        None
    }

    /// Cluster centres in the cluster space, row-major `k × width`, when the method has them.
    fn centres<'a>(&'a self, _t: &'a Trainer) -> Fut<'a, Option<Vec<f32>>> {
        Box::pin(async { Ok(None) })
    }

    /// The rule that places new rows, once the run is done.
    fn assignment<'a>(&'a self, t: &'a Trainer) -> Fut<'a, Assignment>;

    /// A layout that new rows must be mapped through before the rule applies (N2D's).
    fn manifold(&self) -> Option<Layout> {
        None
    }

    /// The cluster state a run can resume from at the end of a refinement epoch, handed back
    /// to [`Algorithm::resume`]; `None` when the method keeps more than that between epochs.
    fn checkpoint<'a>(&'a self, _t: &'a Trainer) -> Fut<'a, Option<Vec<f32>>> {
        Box::pin(async { Ok(None) })
    }

    /// For tests that look inside a method's state.
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any;
}

/// A refinement that trains batch by batch and re-derives its targets from the whole data
/// every [`TrainConfig::update_interval`] batches.
#[allow(async_fn_in_trait)]
pub trait BatchMethod: 'static {
    fn autoencoder(&self) -> &Autoencoder;

    /// Recomputes what the method derives from the row-major embedding `z` of every row
    /// (targets, pseudo-labels) and sets the trainer's labels and confidences.
    async fn update(&mut self, t: &mut Trainer, z: &[f32]) -> Result<(), TrainError>;

    /// The share of rows whose cluster changed between two updates.
    fn changed(&self, previous: &[u32], labels: &[u32]) -> f32 {
        let moved = labels.iter().zip(previous).filter(|(a, b)| a != b).count();
        moved as f32 / labels.len().max(1) as f32
    }

    /// Whether the run stops after this update, besides running out of epochs. `first` is
    /// the first update, which compares with the initial clusters.
    fn converged(&mut self, _t: &mut Trainer, _first: bool, _changed: f32) -> bool {
        false
    }

    /// One optimiser step on the batch `rows` (whose features are `x`); returns its loss.
    async fn train_batch(
        &mut self,
        t: &mut Trainer,
        rows: &[usize],
        x: Tensor<2>,
    ) -> Result<Tensor<1>, TrainError>;

    async fn centres(&self) -> Result<Option<Vec<f32>>, TrainError> {
        Ok(None)
    }

    async fn assignment(&self, t: &Trainer) -> Result<Assignment, TrainError>;

    async fn checkpoint(&self) -> Result<Option<Vec<f32>>, TrainError> {
        Ok(None)
    }
}

/// The shared refinement loop around a [`BatchMethod`].
pub struct Batched<M>(pub M);

impl<M: BatchMethod> Batched<M> {
    pub fn boxed(method: M) -> Box<dyn Refinement> {
        Box::new(Batched(method))
    }

    async fn run(&mut self, t: &mut Trainer, batches: usize) -> Result<f32, TrainError> {
        let mut losses = LossSum::default();
        for _ in 0..batches {
            let updated = t.since_update.is_multiple_of(t.config.update_interval);
            if updated {
                let first = t.changed.is_none();
                let z = t.embed_with(Some(self.0.autoencoder())).await?;
                let previous = std::mem::take(&mut t.labels);
                self.0.update(t, &z).await?;
                t.embedding = z;
                let changed = self.0.changed(&previous, &t.labels);
                t.changed = Some(changed);
                t.updates += 1;
                let settled = self.0.converged(t, first, changed);
                if settled || t.epoch >= t.config.refine_epochs {
                    // A method with a rule of its own (G-CEALS' vanishing cluster) said why already.
                    t.stopped.get_or_insert_with(|| if settled {
                        format!(
                            "at target update {}, {:.2}% of the points changed cluster, fewer than the {:.1}% at which it stops",
                            t.updates,
                            changed * 100.0,
                            t.config.tol * 100.0
                        )
                    } else {
                        format!("its {} refinement epochs ran", t.config.refine_epochs)
                    });
                    t.finish();
                    break;
                }
            }
            let (batch, epoch_end) = t.next_batch();
            let x = t.rows_tensor(&batch);
            let loss = self.0.train_batch(t, &batch, x).await?;
            t.since_update += 1;
            losses.add(loss);
            // The batch after an update still runs, so the next step does not update again.
            if epoch_end || (updated && t.pause_at_updates) {
                break;
            }
        }
        losses.mean().await
    }
}

impl<M: BatchMethod> Refinement for Batched<M> {
    fn autoencoder(&self) -> &Autoencoder {
        self.0.autoencoder()
    }
    /// A fresh optimiser and row order; the first batch recomputes the targets.
    fn begin(&mut self, t: &mut Trainer) {
        t.optim = t.refine_optimizer();
        t.since_update = 0;
        t.order = t.epoch_order();
    }
    fn refine<'a>(&'a mut self, t: &'a mut Trainer, batches: usize) -> Fut<'a, f32> {
        Box::pin(self.run(t, batches))
    }
    fn centres<'a>(&'a self, _t: &'a Trainer) -> Fut<'a, Option<Vec<f32>>> {
        Box::pin(self.0.centres())
    }
    fn assignment<'a>(&'a self, t: &'a Trainer) -> Fut<'a, Assignment> {
        Box::pin(self.0.assignment(t))
    }
    fn checkpoint<'a>(&'a self, _t: &'a Trainer) -> Fut<'a, Option<Vec<f32>>> {
        Box::pin(self.0.checkpoint())
    }
    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        &mut self.0
    }
}
