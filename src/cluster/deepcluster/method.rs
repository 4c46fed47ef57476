//! DeepCluster as the trainer runs it: each epoch starts with k-means on the unit-length
//! embeddings, whose labels a fresh classifier head then learns, drawing equally from every
//! cluster.

use std::sync::Arc;

use burn::tensor::Tensor;

use super::{DeepClusterModel, l2_normalise};
use crate::cluster::argmax_rows;
use crate::cluster::dec::{self, StudentT};
use crate::cluster::explain::{Explanation, Explanations};
use crate::cluster::kmeans::{self, EmptyClusters, KMeansParams};
use crate::cluster::registry::{MethodDef, Takes};
use crate::metrics::accuracy;
use crate::model::Autoencoder;
use crate::train::{
    Algorithm, Assignment, BatchMethod, Batched, DataShape, Start, TrainConfig, TrainError, Trainer,
};

const UPDATE: Explanation = Explanation {
    title: "Pseudo-labels from k-means ({updates})",
    text: "k-means ran again on the network’s current (unit-length) features and gave every point a pseudo-label. A fresh classifier head is now trained for an epoch to predict those labels, drawing equally from every cluster, which in turn changes the features for the next k-means.",
    formulas: &[
        "loss = − Σ<sub>i</sub> log softmax(W f(x<sub>i</sub>))<sub>y<sub>i</sub></sub>, y<sub>i</sub> = k-means label",
    ],
    after: "{changed} of the points got a different pseudo-label (compared as partitions).",
};

pub static METHOD: MethodDef = MethodDef {
    name: "deepcluster",
    title: "DeepCluster",
    paper: Some("Caron et al. 2018"),
    summary: "alternates k-means pseudo-labels and an epoch of training to predict them",
    help: "DeepCluster (Caron et al. 2018). Alternates two steps: run k-means on what the network currently outputs to get “pseudo-labels”, then train the network for an epoch to predict those labels, drawing equally from every cluster. Repeating this lets features and clusters improve each other.",
    loss: "cross-entropy on pseudo-labels",
    deep: true,
    takes: Takes::Any,
    settings: &[],
    explain: Explanations {
        initialised: None,
        update: Some(UPDATE),
    },
    rules: &[],
    algorithm: &DeepClusterMethod,
};

struct DeepClusterMethod;

impl Algorithm for DeepClusterMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        // Re-clusters once per epoch; each epoch starts with a full k-means, so fewer, longer
        // epochs.
        config.update_interval = data.batches;
        config.refine_epochs = (2_000 / data.batches).clamp(5, 50);
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        kmeans::initial_clusters(t, z);
        let ae = autoencoder.expect("deep methods pretrain");
        let model = DeepClusterModel::new(ae, t.config.n_clusters, &t.device, &mut t.rng);
        Ok(Start::Refine(Batched::boxed(DeepClusterRefinement {
            model: Some(model),
            assignment: None,
        })))
    }
}

struct DeepClusterRefinement {
    model: Option<DeepClusterModel>,
    /// The last k-means, which places new rows.
    assignment: Option<Assignment>,
}

impl DeepClusterRefinement {
    fn model(&self) -> &DeepClusterModel {
        self.model.as_ref().expect("present between batches")
    }
}

impl BatchMethod for DeepClusterRefinement {
    fn autoencoder(&self) -> &Autoencoder {
        &self.model().autoencoder
    }

    async fn update(&mut self, t: &mut Trainer, z: &[f32]) -> Result<(), TrainError> {
        let (k, dim, alpha) = (t.config.n_clusters, t.embedding_dim(), t.config.alpha);
        let zn = l2_normalise(z, dim);
        let km = KMeansParams::new(k)
            .n_init(t.config.n_init.min(3))
            .empty_clusters(EmptyClusters::SplitPerturbed)
            .seed(t.rng.next_u64())
            .check(t.rows)
            .expect("k ≤ rows was checked")
            .fit(&zn, t.rows, dim);
        t.labels = km.labels().to_vec();
        t.confidence = argmax_rows(&dec::soft_assignment(&zn, km.centroids(), dim, alpha), k).1;
        self.assignment = Some(StudentT::boxed(km.centroids().to_vec(), alpha, true));
        t.balance_labels = Some(t.labels.clone());
        t.order = t.epoch_order();
        let model = self.model.take().expect("present between batches");
        self.model = Some(model.with_new_head(k, &t.device, &mut t.rng));
        Ok(())
    }

    /// Pseudo-label numbers are arbitrary between clusterings: compare partitions.
    fn changed(&self, previous: &[u32], labels: &[u32]) -> f32 {
        1.0 - accuracy(previous, labels) as f32
    }

    async fn train_batch(
        &mut self,
        t: &mut Trainer,
        rows: &[usize],
        x: Tensor<2>,
    ) -> Result<Tensor<1>, TrainError> {
        let pseudo: Vec<u32> = rows.iter().map(|&r| t.labels[r]).collect();
        let model = self.model.take().expect("present between batches");
        let loss = model.loss(x, t.one_hot(&pseudo));
        self.model = Some(t.descend(model, &loss));
        Ok(loss)
    }

    async fn assignment(&self, _t: &Trainer) -> Result<Assignment, TrainError> {
        Ok(self
            .assignment
            .clone()
            .expect("set at the first update, before any batch"))
    }
}
