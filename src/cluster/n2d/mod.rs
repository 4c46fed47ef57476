//! N2D, "not too deep" clustering (McConville, Santos-Rodriguez, Piechocki & Craddock, ICPR
//! 2020).
//!
//! The autoencoder is pretrained as for DEC and then frozen. UMAP lays its embedding out
//! again in as many dimensions as there are clusters (`crate::project::layout`, min_dist 0),
//! and a Gaussian mixture with full covariances, the best of several EM runs, finds the
//! clusters in that manifold. No clustering loss bends the autoencoder; new rows are embedded,
//! placed in the manifold through the layout's neighbours, and given the mixture's label. A
//! row's confidence is how far its neighbours in the embedding share its cluster
//! (`crate::project::agreement`), not the mixture's posterior, which is all but 1 everywhere in
//! UMAP's tight clusters.

use std::sync::Arc;

use crate::cluster::explain::{Explanation, Explanations};
use crate::cluster::gmm::{self, Covariance, GmmParams};
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::model::Autoencoder;
use crate::project::agreement::agreement;
use crate::project::layout::{Layout, LayoutConfig, LayoutFit};
use crate::train::{
    Algorithm, Assignment, ConfigError, DataShape, Fut, Refinement, Start, TrainConfig, TrainError,
    Trainer,
};

const GRAPH: Explanation = Explanation {
    title: "Neighbour graph built",
    text: "Every point’s {neighbours} nearest neighbours in the embedding were found, and each neighbour got a membership: 1 for the nearest, falling off exponentially for the others, scaled per point so the memberships sum to log₂ {neighbours}; the two directions are joined (a fuzzy union). Now every point gets {k} coordinates (a manifold with one dimension per cluster), starting from the principal components, and UMAP moves them epoch by epoch: strong edges are visited often and pull their two ends together, and each visit pushes the point away from a few random others. At the end a Gaussian mixture finds the clusters there.",
    formulas: &[
        "w<sub>ij</sub> = exp(−(d<sub>ij</sub> − ρ<sub>i</sub>)/σ<sub>i</sub>), w = w<sub>ij</sub> + w<sub>ji</sub> − w<sub>ij</sub>w<sub>ji</sub>",
        "loss = −log q(y<sub>i</sub>, y<sub>j</sub>) − Σ<sub>n</sub> log(1 − q(y<sub>i</sub>, y<sub>n</sub>)), q = 1/(1 + a‖y<sub>i</sub> − y<sub>j</sub>‖<sup>2b</sup>)",
    ],
    after: "",
};

pub static METHOD: MethodDef = MethodDef {
    name: "n2d",
    title: "N2D",
    paper: Some("McConville et al. 2020"),
    summary: "UMAP lays the embedding out in k dimensions, then a Gaussian mixture clusters it",
    help: "N2D, “not too deep” clustering (McConville et al. 2020). The autoencoder is pretrained as for DEC. Then, instead of clustering its compressed space directly, UMAP lays the points out again in as many dimensions as there are clusters: each point’s nearest neighbours are found, and the points are moved so that neighbours end up close and other points far apart. A Gaussian mixture then finds the clusters in that manifold, where groups tend to be compact and well separated. No clustering loss bends the autoencoder. Neighbours per point (Advanced settings) is automatic: the paper’s 20, or for images in small clusters fewer (5 for COIL-20’s 72 views per object).",
    loss: "UMAP cross-entropy of the manifold",
    deep: true,
    takes: Takes::Any,
    settings: &[Setting::Neighbours],
    explain: Explanations {
        initialised: Some(GRAPH),
        update: None,
    },
    rules: &[],
    algorithm: &N2dMethod,
};

/// The paper's neighbours per row (its `run.sh`: `--umap_neighbors=20` on every data set).
pub const NEIGHBOURS: usize = 20;

/// The mixture keeps the best of several EM runs: in a manifold of well separated groups a
/// single run still often merges two and splits another.
const GMM_RESTARTS: usize = 10;

/// Neighbours for `rows` images in `n_clusters` clusters: the paper's 20 on sets the size of
/// its own (≥ 300 images per cluster), fewer when an average cluster is small, so a
/// neighbourhood stays within a fifteenth of one, and never under 5. On sets of views in
/// sequences (COIL-20's 72 per object) 20 neighbours join neighbouring objects; tables keep
/// 20 (docs/RESULTS-full.md has the measurements).
pub fn image_neighbours(rows: usize, n_clusters: usize) -> usize {
    (rows / (15 * n_clusters.max(1))).clamp(5, NEIGHBOURS)
}

struct N2dMethod;

impl Algorithm for N2dMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        // Epochs of the UMAP layout: umap-learn's defaults.
        config.refine_epochs = if data.rows <= 10_000 { 500 } else { 200 };
        config.neighbours = match data.image {
            Some(_) => image_neighbours(data.rows, data.n_clusters),
            None => NEIGHBOURS,
        };
    }

    /// The mixture is fitted in a manifold with one dimension per cluster.
    fn check(&self, config: &TrainConfig, rows: usize, _cols: usize) -> Result<(), ConfigError> {
        GmmParams::new(config.n_clusters)
            .covariance(Covariance::Full)
            .check(rows, config.n_clusters)?;
        Ok(())
    }

    /// A layout epoch costs a small fraction of an autoencoder epoch over the same rows
    /// (measurements: docs/DECISIONS.md, "Progress: N2D's layout epochs").
    fn refine_epoch_weight(&self) -> f32 {
        0.02
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        let k = t.config.n_clusters;
        let mut config = LayoutConfig::manifold(k, t.rng.next_u64());
        config.epochs = Some(t.config.refine_epochs);
        config.n_neighbors = t.config.neighbours;
        let fit = LayoutFit::new(z, t.rows, t.embedding_dim(), config);
        Ok(Start::Refine(Box::new(Manifold {
            autoencoder: autoencoder.expect("N2D pretrains"),
            fit: Box::new(fit),
            k,
            mixture: None,
        })))
    }
}

/// N2D's refinement: epochs of the UMAP layout (one per batch asked for); at the end, the
/// Gaussian mixture in the layout gives the clusters.
struct Manifold {
    autoencoder: Autoencoder,
    fit: Box<LayoutFit>,
    k: usize,
    /// The mixture, once fitted.
    mixture: Option<Assignment>,
}

impl Refinement for Manifold {
    fn autoencoder(&self) -> &Autoencoder {
        &self.autoencoder
    }

    fn refine<'a>(&'a mut self, t: &'a mut Trainer, batches: usize) -> Fut<'a, f32> {
        Box::pin(async move {
            let loss = self.fit.epochs(batches);
            t.epoch = (self.fit.progress() * t.config.refine_epochs as f32) as usize;
            if self.fit.done() {
                let params = GmmParams::new(self.k)
                    .covariance(Covariance::Full)
                    .n_init(GMM_RESTARTS);
                let y = self.fit.coords().to_vec();
                self.mixture = Some(gmm::labels_from_mixture(t, params, &y, self.k));
                // The mixture's posteriors are all but 1 here; how far each row's neighbours
                // share its cluster says which rows are doubtful.
                t.confidence = agreement(self.fit.neighbours(), &t.labels, &t.labels);
                t.finish();
            }
            Ok(loss)
        })
    }

    fn cluster_space(&self) -> Option<(Vec<f32>, usize)> {
        Some((self.fit.coords().to_vec(), self.k))
    }

    fn centres<'a>(&'a self, _t: &'a Trainer) -> Fut<'a, Option<Vec<f32>>> {
        Box::pin(async { Ok(self.mixture.as_ref().and_then(|m| m.plot_centres())) })
    }

    fn assignment<'a>(&'a self, _t: &'a Trainer) -> Fut<'a, Assignment> {
        Box::pin(async {
            Ok(self
                .mixture
                .clone()
                .expect("fitted when the layout is done"))
        })
    }

    fn manifold(&self) -> Option<Layout> {
        Some(self.fit.layout().clone())
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n2d_image_neighbours_follow_the_cluster_size_between_5_and_the_papers_20() {
        assert_eq!(image_neighbours(70_000, 10), 20, "MNIST, as the paper");
        assert_eq!(image_neighbours(10_000, 10), 20);
        assert_eq!(image_neighbours(2_000, 10), 13);
        assert_eq!(image_neighbours(1_440, 20), 5, "COIL-20");
        assert_eq!(image_neighbours(150, 3), 5);
        assert_eq!(image_neighbours(3, 0), 5, "no panic on k = 0");
    }
}
