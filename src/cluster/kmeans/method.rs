//! k-means as a method of its own (the baseline), and the first clusters most deep methods
//! start their refinement from.

use std::sync::Arc;

use super::KMeansParams;
use crate::cluster::argmax_rows;
use crate::cluster::dec::{self, StudentT};
use crate::cluster::explain::Explanations;
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::model::Autoencoder;
use crate::train::{Algorithm, Start, TrainConfig, TrainError, Trainer};

pub static METHOD: MethodDef = MethodDef {
    name: "kmeans",
    title: "k-means",
    paper: None,
    summary: "the baseline, on the standardised columns or an autoencoder's embedding",
    help: "The classic baseline: k centres, each point goes to its nearest centre, centres move to the mean of their points, repeat. Runs on the standardised columns, or on an autoencoder’s compressed space if you choose so below. No neural network is trained for the plain version, so it finishes in a moment.",
    loss: "within-cluster sum of squares",
    deep: false,
    takes: Takes::Any,
    settings: &[Setting::FeatureSpace],
    explain: Explanations::SHARED,
    rules: &[],
    algorithm: &KMeansMethod,
};

struct KMeansMethod;

impl Algorithm for KMeansMethod {
    fn pretrains(&self, config: &TrainConfig) -> bool {
        config.clusters_embedding()
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        let centroids = initial_clusters(t, z);
        Ok(Start::Done {
            assignment: StudentT::boxed(centroids, t.config.alpha, false),
            autoencoder,
        })
    }
}

/// k-means (the run's `n_init` restarts) on the row-major embedding `z` of every row: sets the
/// trainer's labels and confidences (the Student-t kernel's largest membership) and returns
/// the centres, row-major `k × dim`.
pub fn initial_clusters(t: &mut Trainer, z: &[f32]) -> Vec<f32> {
    let (k, dim) = (t.config.n_clusters, t.embedding_dim());
    let km = KMeansParams::new(k)
        .n_init(t.config.n_init)
        .seed(t.rng.next_u64())
        .check(t.rows)
        .expect("k ≤ rows and n_init ≥ 1 were checked with the training settings")
        .fit(z, t.rows, dim);
    t.warnings.extend(
        km.warnings()
            .iter()
            .map(|w| format!("k-means initialisation: {w}")),
    );
    let centroids = km.centroids().to_vec();
    t.labels = km.labels().to_vec();
    t.confidence = argmax_rows(&dec::soft_assignment(z, &centroids, dim, t.config.alpha), k).1;
    centroids
}
