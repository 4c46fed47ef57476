//! G-CEALS as the trainer runs it: k-means gives the first Gaussians; each epoch re-estimates
//! the cluster weights from the targets, and the run stops before a cluster vanishes.

use std::sync::Arc;

use burn::tensor::Tensor;

use super::{Gaussians, GcealsModel, cluster_weights, gaussian_target, gceals_loss};
use crate::cluster::explain::{Explanation, Explanations};
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::cluster::{argmax_rows, kmeans};
use crate::model::Autoencoder;
use crate::train::{
    Algorithm, Assignment, BatchMethod, Batched, DataShape, RefineOptimizer, Start, TrainConfig,
    TrainError, Trainer, read_back,
};

const UPDATE: Explanation = Explanation {
    title: "Target update {updates}",
    text: "Each cluster is a Gaussian with its own centre μ<sub>j</sub> and spread σ<sub>j</sub>² (learned). The target is each point’s posterior under those Gaussians, weighted by the clusters’ learned shares ω<sub>j</sub>, and the network is trained on cross-entropy against it, plus reconstruction.",
    formulas: &[
        "p<sub>ij</sub> ∝ ω<sub>j</sub> · N(z<sub>i</sub>; μ<sub>j</sub>, diag σ<sub>j</sub>²)",
        "loss = L<sub>rec</sub> − γ · Σ<sub>i</sub> Σ<sub>j</sub> p<sub>ij</sub> log q<sub>ij</sub>",
    ],
    after: "{changed} of the points changed cluster since the last update.",
};

pub static METHOD: MethodDef = MethodDef {
    name: "gceals",
    title: "G-CEALS",
    paper: Some("Rabbani et al. 2023"),
    summary: "Gaussian clusters with learned centres, spreads and sizes, as the target of a softmax head",
    help: "Gaussian Cluster Embedding in Autoencoder Latent Space (Rabbani et al. 2023), designed for tables. Each cluster is a Gaussian bell with its own centre and spread, learned during training, and cluster sizes are learned too instead of being assumed equal. Training stops early if one cluster is about to be swallowed by the others.",
    loss: "reconstruction + γ·cross-entropy",
    deep: true,
    takes: Takes::Any,
    settings: &[Setting::Gamma],
    explain: Explanations {
        initialised: None,
        update: Some(UPDATE),
    },
    rules: &[&super::rule::READER],
    algorithm: &GcealsMethod,
};

struct GcealsMethod;

impl Algorithm for GcealsMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        // The authors' code uses Adam at 1e-5 for 10⁴ epochs; 1e-4 covers as much ground in
        // the far fewer epochs a browser tab can afford.
        config.refine_optimizer = RefineOptimizer::Adam;
        config.refine_lr = 1e-4;
        // The cluster weights are re-estimated once per epoch.
        config.update_interval = data.batches;
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        let centroids = kmeans::initial_clusters(t, z);
        let k = t.config.n_clusters;
        // Equal minibatches from the k-means clusters, for the whole run.
        t.balance_labels = Some(t.labels.clone());
        let ae = autoencoder.expect("deep methods pretrain");
        let model = GcealsModel::new(ae, centroids, k, &t.device, &mut t.rng);
        Ok(Start::Refine(Batched::boxed(GcealsRefinement {
            model: Some(model),
            weights: vec![1.0 / k as f32; k],
        })))
    }
}

struct GcealsRefinement {
    model: Option<GcealsModel>,
    /// The cluster weights ω.
    weights: Vec<f32>,
}

impl GcealsRefinement {
    fn model(&self) -> &GcealsModel {
        self.model.as_ref().expect("present between batches")
    }
}

impl BatchMethod for GcealsRefinement {
    fn autoencoder(&self) -> &Autoencoder {
        &self.model().autoencoder
    }

    async fn update(&mut self, t: &mut Trainer, z: &[f32]) -> Result<(), TrainError> {
        let (k, dim) = (t.config.n_clusters, t.embedding_dim());
        let mu = read_back(self.model().means.val()).await?;
        let variance = read_back(self.model().variance()).await?;
        let p = gaussian_target(z, &mu, &variance, dim);
        // ω stays uniform for the first epoch, as in the authors' code.
        if t.changed.is_some() {
            self.weights = cluster_weights(&p, k);
        }
        (t.labels, t.confidence) = argmax_rows(&p, k);
        Ok(())
    }

    /// Stops once a cluster's weight falls to 0.1/K, before it vanishes.
    fn converged(&mut self, t: &mut Trainer, _first: bool, _changed: f32) -> bool {
        let k = t.config.n_clusters;
        let floor = 0.1 / k as f32;
        let Some((j, w)) = self
            .weights
            .iter()
            .copied()
            .enumerate()
            .find(|&(_, w)| w <= floor)
        else {
            return false;
        };
        t.warnings.push(format!(
            "G-CEALS stopped early: cluster {j}'s weight fell to {w:.4}, at or below 0.1/K = {floor:.4} (the paper's guard against a cluster vanishing)"
        ));
        t.stopped = Some(format!(
            "at target update {}, cluster {j}'s weight fell to {w:.4}, at or below 0.1/K = {floor:.4}, where G-CEALS stops before a cluster vanishes",
            t.updates
        ));
        true
    }

    async fn train_batch(
        &mut self,
        t: &mut Trainer,
        rows: &[usize],
        x: Tensor<2>,
    ) -> Result<Tensor<1>, TrainError> {
        let model = self.model.take().expect("present between batches");
        let loss = gceals_loss(&model, x, t.valid_tensor(rows), &self.weights, t.config.gamma);
        self.model = Some(t.descend(model, &loss));
        Ok(loss)
    }

    async fn centres(&self) -> Result<Option<Vec<f32>>, TrainError> {
        Ok(Some(read_back(self.model().means.val()).await?))
    }

    async fn assignment(&self, _t: &Trainer) -> Result<Assignment, TrainError> {
        Ok(Box::new(Gaussians {
            means: read_back(self.model().means.val()).await?,
            variance: read_back(self.model().variance()).await?,
        }))
    }
}
