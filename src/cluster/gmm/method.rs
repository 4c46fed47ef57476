//! The Gaussian mixture as a method of its own (a baseline), and the labels a fitted mixture
//! gives, which N2D uses too.

use std::sync::Arc;

use super::GmmParams;
use crate::cluster::argmax_rows;
use crate::cluster::explain::Explanations;
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::model::Autoencoder;
use crate::train::{Algorithm, Assignment, ConfigError, Start, TrainConfig, TrainError, Trainer};

pub static METHOD: MethodDef = MethodDef {
    name: "gmm",
    title: "Gaussian mixture",
    paper: None,
    summary: "EM with diagonal or full covariance, on the columns or the embedding",
    help: "A mixture of Gaussian bells fitted by expectation–maximisation: like k-means, but clusters may be stretched and of different sizes, and every point gets a probability per cluster. Diagonal covariance suits many columns; full covariance models correlated columns (up to 100).",
    loss: "negative log-likelihood",
    deep: false,
    takes: Takes::Any,
    settings: &[Setting::Covariance, Setting::FeatureSpace],
    explain: Explanations::SHARED,
    rules: &[&super::rule::READER],
    algorithm: &GmmMethod,
};

struct GmmMethod;

impl Algorithm for GmmMethod {
    fn pretrains(&self, config: &TrainConfig) -> bool {
        config.clusters_embedding()
    }

    fn check(&self, config: &TrainConfig, rows: usize, cols: usize) -> Result<(), ConfigError> {
        let dim = if config.clusters_embedding() {
            *config.dims.last().expect("checked: at least 2 sizes")
        } else {
            cols
        };
        GmmParams::new(config.n_clusters)
            .covariance(config.covariance)
            .check(rows, dim)?;
        Ok(())
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        let params = GmmParams::new(t.config.n_clusters).covariance(t.config.covariance);
        let dim = t.embedding_dim();
        Ok(Start::Done {
            assignment: labels_from_mixture(t, params, z, dim),
            autoencoder,
        })
    }
}

/// Fits a Gaussian mixture (its settings were checked with the training settings) to
/// row-major `rows × dim` points; its labels and confidences become the trainer's, and its
/// rule is returned.
pub fn labels_from_mixture(
    t: &mut Trainer,
    params: GmmParams,
    points: &[f32],
    dim: usize,
) -> Assignment {
    let gm = params
        .seed(t.rng.next_u64())
        .check(t.rows, dim)
        .expect("checked with the training settings")
        .fit(points, t.rows, dim);
    t.warnings.extend(
        gm.warnings()
            .iter()
            .map(|w| format!("Gaussian mixture: {w}")),
    );
    (t.labels, t.confidence) = argmax_rows(gm.responsibilities(), gm.n_components());
    Box::new(gm)
}
