//! Deep k-Means as the trainer runs it: k-means in the pretrained embedding places the
//! centres; every epoch hardens the memberships (α grows); new rows go to their nearest
//! centre.

use std::sync::Arc;

use burn::tensor::Tensor;

use super::{ALPHA_START, dkm_loss, next_alpha};
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
    title: "Memberships recomputed ({updates})",
    text: "Every point’s membership to each centre is a softmax of its squared distances, sharpened by α; after each epoch α grows, so the memberships move from soft towards k-means’ hard ones. The network and the centres are trained together to shrink the weighted distances while the network keeps reconstructing its input.",
    formulas: &[
        "G<sub>ik</sub> = exp(−α‖z<sub>i</sub> − r<sub>k</sub>‖²) / Σ<sub>k′</sub> exp(−α‖z<sub>i</sub> − r<sub>k′</sub>‖²)",
        "loss = L<sub>rec</sub> + λ · mean<sub>i</sub> Σ<sub>k</sub> G<sub>ik</sub> ‖z<sub>i</sub> − r<sub>k</sub>‖²",
    ],
    after: "{changed} of the points changed cluster since the last update.",
};

pub static METHOD: MethodDef = MethodDef {
    name: "dkm",
    title: "Deep k-Means",
    paper: Some("Fard et al. 2020"),
    summary: "k-means made differentiable: softmax memberships that harden epoch by epoch, trained with the reconstruction",
    help: "Deep k-Means (Fard et al. 2020). Like k-means in the autoencoder’s compressed space, but every point belongs to every centre a little, by a softmax of its distances, so the network and the centres can be trained together with the reconstruction. After each pass over the data the memberships are sharpened, until they are almost the hard choices of k-means. The weight λ of the clustering term is γ under Advanced settings (1 by default).",
    loss: "reconstruction + λ·Σ softmax-weighted distances",
    deep: true,
    takes: Takes::Any,
    settings: &[Setting::Gamma],
    explain: Explanations {
        initialised: None,
        update: Some(UPDATE),
    },
    rules: &[],
    algorithm: &DkmMethod,
};

struct DkmMethod;

impl Algorithm for DkmMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        // The paper trains with Adam at 1e-3 and λ = 1, and anneals α once per epoch.
        config.refine_optimizer = RefineOptimizer::Adam;
        config.refine_lr = 1e-3;
        config.gamma = 1.0;
        config.update_interval = data.batches;
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        let centroids = kmeans::initial_clusters(t, z);
        let ae = autoencoder.expect("deep methods pretrain");
        let model = AutoencoderWithCentroids::new(ae, centroids, t.config.n_clusters, &t.device);
        Ok(Start::Refine(Dkm::boxed(model, ALPHA_START)))
    }

    /// The checkpoint holds the centres, then α.
    fn resume(
        &self,
        t: &mut Trainer,
        autoencoder: Autoencoder,
        state: &[f32],
    ) -> Result<Option<Box<dyn Refinement>>, TrainError> {
        let k = t.config.n_clusters;
        let Some((&alpha, centroids)) = state.split_last() else {
            return Ok(None);
        };
        if centroids.len() != k * autoencoder.embedding_size() {
            return Ok(None);
        }
        let model = AutoencoderWithCentroids::new(autoencoder, centroids.to_vec(), k, &t.device);
        Ok(Some(Dkm::boxed(model, alpha)))
    }
}

struct Dkm {
    model: Option<AutoencoderWithCentroids>,
    alpha: f32,
}

impl Dkm {
    fn boxed(model: AutoencoderWithCentroids, alpha: f32) -> Box<dyn Refinement> {
        Batched::boxed(Self {
            model: Some(model),
            alpha,
        })
    }

    fn model(&self) -> &AutoencoderWithCentroids {
        self.model.as_ref().expect("present between batches")
    }
}

impl BatchMethod for Dkm {
    fn autoencoder(&self) -> &Autoencoder {
        &self.model().autoencoder
    }

    /// Labels from the nearest centres, with the Student-t confidence a saved model gives
    /// too; then α grows for the next epoch.
    async fn update(&mut self, t: &mut Trainer, z: &[f32]) -> Result<(), TrainError> {
        let (k, dim) = (t.config.n_clusters, t.embedding_dim());
        let mu = read_back(self.model().centroids.val()).await?;
        (t.labels, t.confidence) =
            argmax_rows(&dec::soft_assignment(z, &mu, dim, t.config.alpha), k);
        self.alpha = next_alpha(self.alpha, t.updates + 1);
        Ok(())
    }

    async fn train_batch(
        &mut self,
        t: &mut Trainer,
        rows: &[usize],
        x: Tensor<2>,
    ) -> Result<Tensor<1>, TrainError> {
        let model = self.model.take().expect("present between batches");
        let loss = dkm_loss(&model, x, t.valid_tensor(rows), self.alpha, t.config.gamma);
        self.model = Some(t.descend(model, &loss));
        Ok(loss)
    }

    async fn centres(&self) -> Result<Option<Vec<f32>>, TrainError> {
        Ok(Some(read_back(self.model().centroids.val()).await?))
    }

    async fn assignment(&self, t: &Trainer) -> Result<Assignment, TrainError> {
        let centroids = read_back(self.model().centroids.val()).await?;
        Ok(StudentT::boxed(centroids, t.config.alpha, false))
    }

    async fn checkpoint(&self) -> Result<Option<Vec<f32>>, TrainError> {
        let mut state = read_back(self.model().centroids.val()).await?;
        state.push(self.alpha);
        Ok(Some(state))
    }
}
