//! The hard-regularised online method as the trainer runs it: k-means gives the centres and
//! σ²; every batch assigns its rows greedily under rising costs and trains on the choices.

use std::sync::Arc;

use burn::tensor::Tensor;

use super::{greedy_assign, hardreg_loss, reconstruction_and_costs, within_cluster_variance};
use crate::cluster::dec::{self, StudentT};
use crate::cluster::explain::{Explanation, Explanations};
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::cluster::{argmax_rows, kmeans};
use crate::model::{Autoencoder, AutoencoderWithCentroids};
use crate::train::{
    Algorithm, Assignment, BatchMethod, Batched, DataShape, RefineOptimizer, Refinement, Start,
    TrainConfig, TrainError, Trainer, read_back,
};

const UPDATE: Explanation = Explanation {
    title: "Labels refreshed ({updates})",
    text: "The labels were refreshed from the nearest centres. Within every batch, points are assigned greedily, cheapest point-and-cluster pair first, and each cluster gets a little more expensive for every point it already took in this batch, so no cluster can swallow the batch. The network is trained to lower the cost of the choices made while it keeps reconstructing its input.",
    formulas: &[
        "cost(i, j) = ‖z<sub>i</sub> − μ<sub>j</sub>‖² / 2σ² + log(1 + n<sub>j</sub>)",
        "loss = L<sub>rec</sub> + γ · mean over the batch of ‖z<sub>i</sub> − μ<sub>chosen</sub>‖² / 2σ²",
    ],
    after: "{changed} of the points changed cluster since the last refresh.",
};

pub static METHOD: MethodDef = MethodDef {
    name: "hardreg",
    title: "Hard-regularised online",
    paper: Some("Mahon & Lukasiewicz 2024"),
    summary: "each batch assigned greedily, each cluster dearer with every point it took; reconstruction kept",
    help: "Online clustering with hard regularisation (Mahon & Lukasiewicz 2024). Each batch of points is assigned one point at a time to the cheapest cluster, where a cluster gets a little more expensive with every point it already took in this batch. That simple rule keeps everything from collapsing into one cluster, without the data augmentation other online methods need. It only ever looks at one batch, so it suits data that arrives in a stream. Unlike the paper, the network must keep reconstructing its input too (weight γ on the clustering loss): without that, on large image sets it learned to squeeze every point together.",
    loss: "reconstruction + γ·mean assignment cost",
    deep: true,
    takes: Takes::Any,
    settings: &[Setting::Gamma],
    explain: Explanations {
        initialised: None,
        update: Some(UPDATE),
    },
    rules: &[],
    algorithm: &HardRegMethod,
};

struct HardRegMethod;

impl Algorithm for HardRegMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        config.refine_optimizer = RefineOptimizer::Adam;
        config.refine_lr = 1e-3;
        // Labels are scored once per epoch.
        config.update_interval = data.batches;
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        let centroids = kmeans::initial_clusters(t, z);
        let variance = within_cluster_variance(z, &t.labels, &centroids, t.embedding_dim());
        let ae = autoencoder.expect("deep methods pretrain");
        let model = AutoencoderWithCentroids::new(ae, centroids, t.config.n_clusters, &t.device);
        Ok(Start::Refine(HardRegRefinement::boxed(model, variance)))
    }

    /// The checkpoint holds the centres, then σ².
    fn resume(
        &self,
        t: &mut Trainer,
        autoencoder: Autoencoder,
        state: &[f32],
    ) -> Result<Option<Box<dyn Refinement>>, TrainError> {
        let k = t.config.n_clusters;
        let Some((&variance, centroids)) = state.split_last() else {
            return Ok(None);
        };
        if centroids.len() != k * autoencoder.embedding_size() {
            return Ok(None);
        }
        let model = AutoencoderWithCentroids::new(autoencoder, centroids.to_vec(), k, &t.device);
        Ok(Some(HardRegRefinement::boxed(model, variance)))
    }
}

struct HardRegRefinement {
    model: Option<AutoencoderWithCentroids>,
    /// σ² of the isotropic clusters.
    variance: f32,
}

impl HardRegRefinement {
    fn boxed(model: AutoencoderWithCentroids, variance: f32) -> Box<dyn Refinement> {
        Batched::boxed(Self {
            model: Some(model),
            variance,
        })
    }

    fn model(&self) -> &AutoencoderWithCentroids {
        self.model.as_ref().expect("present between batches")
    }
}

impl BatchMethod for HardRegRefinement {
    fn autoencoder(&self) -> &Autoencoder {
        &self.model().autoencoder
    }

    /// Labels from the nearest centres: the Student-t argmax is the nearest centre, and max q
    /// reads as a confidence.
    async fn update(&mut self, t: &mut Trainer, z: &[f32]) -> Result<(), TrainError> {
        let (k, dim) = (t.config.n_clusters, t.embedding_dim());
        let mu = read_back(self.model().centroids.val()).await?;
        let q = dec::soft_assignment(z, &mu, dim, t.config.alpha);
        (t.labels, t.confidence) = argmax_rows(&q, k);
        Ok(())
    }

    async fn train_batch(
        &mut self,
        t: &mut Trainer,
        rows: &[usize],
        x: Tensor<2>,
    ) -> Result<Tensor<1>, TrainError> {
        let valid = t.valid_tensor(rows);
        let (reconstruction, costs) = reconstruction_and_costs(self.model(), x, valid, self.variance);
        // Read back before the model is taken, so a failed read leaves it in place.
        let host = read_back(costs.clone().detach()).await?;
        let chosen = greedy_assign(&host, t.config.n_clusters);
        let loss = hardreg_loss(reconstruction, costs, t.one_hot(&chosen), t.config.gamma);
        let model = self.model.take().expect("present between batches");
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
        let mut state = read_back(self.model().centroids.val()).await?;
        state.push(self.variance);
        Ok(Some(state))
    }
}
