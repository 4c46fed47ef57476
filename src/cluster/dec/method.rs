//! DEC as the trainer runs it: k-means in the pretrained embedding gives the centres; then
//! the network and the centres move towards a sharpened target that is recomputed every
//! `update_interval` batches, until fewer than `tol` of the rows change cluster. IDEC and
//! DCEC refine the same way with another loss ([`CentroidRefinement`]).

use std::sync::Arc;

use burn::tensor::{Tensor, TensorData};

use super::{StudentT, dec_loss, soft_assignment, target_distribution};
use crate::cluster::explain::{self, Explanation, Explanations};
use crate::cluster::registry::{MethodDef, Takes};
use crate::cluster::{argmax_rows, kmeans};
use crate::model::{Autoencoder, AutoencoderWithCentroids};
use crate::train::{
    Algorithm, Assignment, BatchMethod, Batched, Refinement, Start, TrainConfig, TrainError,
    Trainer, read_back,
};

/// What a target update did.
pub const UPDATE: Explanation = Explanation {
    title: "Target update {updates}",
    text: "Every point’s soft membership to each centre was recomputed with a Student-t kernel (α = 1), and sharpened into a target that trusts confident points most and keeps big clusters from taking over. Until the next update the network and the centres are trained to move Q towards P.",
    formulas: &[explain::Q, explain::P, DEC_LOSS],
    after: "{changed} of the points changed cluster since the last update (at the first update: since k-means, which does not count). DEC stops at the first later update where fewer than 0.1% change; watch the histogram below move right as the memberships sharpen.",
};

const DEC_LOSS: &str = "loss = KL(P‖Q) = Σ<sub>i</sub> Σ<sub>j</sub> p<sub>ij</sub> log(p<sub>ij</sub> / q<sub>ij</sub>)";

pub static METHOD: MethodDef = MethodDef {
    name: "dec",
    title: "DEC",
    paper: Some("Xie et al. 2016"),
    summary: "k-means in an autoencoder's embedding, then sharpened soft assignments (KL(P‖Q)) refine encoder and centres",
    help: "Deep Embedded Clustering (Xie et al. 2016). An autoencoder first learns to compress each row into a few numbers. k-means places cluster centres in that compressed space. Then the network and the centres are trained together: each point gets a soft membership to every centre, the memberships are sharpened into a target that trusts confident points most, and the network is nudged towards the target until almost no point changes cluster.",
    loss: "KL(P‖Q)",
    deep: true,
    takes: Takes::Any,
    settings: &[],
    explain: Explanations {
        initialised: None,
        update: Some(UPDATE),
    },
    rules: &[&super::rule::READER],
    algorithm: &DecMethod,
};

struct DecMethod;

impl Algorithm for DecMethod {
    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        CentroidRefinement::start(t, autoencoder, z, kl_loss)
    }

    fn resume(
        &self,
        t: &mut Trainer,
        autoencoder: Autoencoder,
        state: &[f32],
    ) -> Result<Option<Box<dyn Refinement>>, TrainError> {
        CentroidRefinement::resume(t, autoencoder, state, kl_loss)
    }

    /// [`CentroidRefinement`] ends when fewer than `tol` of the rows change cluster.
    fn stops_early(&self) -> bool {
        true
    }
}

fn kl_loss(
    model: &AutoencoderWithCentroids,
    x: Tensor<2>,
    _valid: Option<Tensor<2>>,
    p: Tensor<2>,
    config: &TrainConfig,
) -> Tensor<1> {
    dec_loss(model, x, p, config.alpha)
}

/// The batch loss of a centroid refinement: model, `[batch, input]` rows, where they are
/// data (padded series, [`Trainer::valid_tensor`]), their fixed `[batch, k]` target.
pub type CentroidLoss = fn(
    &AutoencoderWithCentroids,
    Tensor<2>,
    Option<Tensor<2>>,
    Tensor<2>,
    &TrainConfig,
) -> Tensor<1>;

/// log p must stay finite in the losses; 1e-12 changes nothing measurable.
const TARGET_FLOOR: f32 = 1e-12;

/// DEC's refinement: trainable centres in the embedding, a target recomputed at each update,
/// and DEC's stopping rule; the loss is the method's.
pub struct CentroidRefinement {
    model: Option<AutoencoderWithCentroids>,
    /// The fixed target of the current round, row-major `rows × k`.
    target: Vec<f32>,
    loss: CentroidLoss,
}

impl CentroidRefinement {
    /// Centres from k-means in the embedding `z`, then refinement with `loss`.
    pub fn start(
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &[f32],
        loss: CentroidLoss,
    ) -> Result<Start, TrainError> {
        let centroids = kmeans::initial_clusters(t, z);
        let ae = autoencoder.expect("deep methods pretrain");
        let model = AutoencoderWithCentroids::new(ae, centroids, t.config.n_clusters, &t.device);
        Ok(Start::Refine(Self::boxed(model, loss)))
    }

    /// Goes on from a checkpoint's centres.
    pub fn resume(
        t: &mut Trainer,
        autoencoder: Autoencoder,
        centroids: &[f32],
        loss: CentroidLoss,
    ) -> Result<Option<Box<dyn Refinement>>, TrainError> {
        let k = t.config.n_clusters;
        if centroids.len() != k * autoencoder.embedding_size() {
            return Ok(None);
        }
        let model = AutoencoderWithCentroids::new(autoencoder, centroids.to_vec(), k, &t.device);
        Ok(Some(Self::boxed(model, loss)))
    }

    fn boxed(model: AutoencoderWithCentroids, loss: CentroidLoss) -> Box<dyn Refinement> {
        Batched::boxed(Self {
            model: Some(model),
            target: Vec::new(),
            loss,
        })
    }

    fn model(&self) -> &AutoencoderWithCentroids {
        self.model.as_ref().expect("present between batches")
    }

    fn batch_target(&self, t: &Trainer, batch: &[usize]) -> Tensor<2> {
        let k = t.config.n_clusters;
        let mut p = Vec::with_capacity(batch.len() * k);
        for &r in batch {
            p.extend_from_slice(&self.target[r * k..(r + 1) * k]);
        }
        Tensor::from_data(TensorData::new(p, [batch.len(), k]), &t.device)
    }
}

impl BatchMethod for CentroidRefinement {
    fn autoencoder(&self) -> &Autoencoder {
        &self.model().autoencoder
    }

    async fn update(&mut self, t: &mut Trainer, z: &[f32]) -> Result<(), TrainError> {
        let (k, dim, alpha) = (t.config.n_clusters, t.embedding_dim(), t.config.alpha);
        let mu = read_back(self.model().centroids.val()).await?;
        let q = soft_assignment(z, &mu, dim, alpha);
        self.target = target_distribution(&q, k);
        self.target
            .iter_mut()
            .for_each(|v| *v = v.max(TARGET_FLOOR));
        (t.labels, t.confidence) = argmax_rows(&q, k);
        Ok(())
    }

    /// DEC's stopping rule, from the second update on (the first compares with k-means).
    fn converged(&mut self, t: &mut Trainer, first: bool, changed: f32) -> bool {
        !first && changed < t.config.tol
    }

    async fn train_batch(
        &mut self,
        t: &mut Trainer,
        rows: &[usize],
        x: Tensor<2>,
    ) -> Result<Tensor<1>, TrainError> {
        let model = self.model.take().expect("present between batches");
        let valid = t.valid_tensor(rows);
        let loss = (self.loss)(&model, x, valid, self.batch_target(t, rows), &t.config);
        self.model = Some(t.descend(model, &loss));
        Ok(loss)
    }

    async fn centres(&self) -> Result<Option<Vec<f32>>, TrainError> {
        Ok(Some(read_back(self.model().centroids.val()).await?))
    }

    async fn assignment(&self, t: &Trainer) -> Result<Assignment, TrainError> {
        Ok(StudentT::boxed(
            read_back(self.model().centroids.val()).await?,
            t.config.alpha,
            false,
        ))
    }

    async fn checkpoint(&self) -> Result<Option<Vec<f32>>, TrainError> {
        self.centres().await
    }
}
