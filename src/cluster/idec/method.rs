//! IDEC as the trainer runs it: DEC's refinement with the reconstruction kept, and on the
//! paper's network its authors' pretraining and input scale (see docs/RESULTS-full.md for
//! the measurements behind both).

use std::sync::Arc;

use burn::tensor::Tensor;

use super::idec_loss;
use crate::cluster::dec::CentroidRefinement;
use crate::cluster::explain::{self, Explanation, Explanations};
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::data::rms_pixel;
use crate::model::{Autoencoder, AutoencoderWithCentroids};
use crate::train::{
    Algorithm, DataShape, RefineOptimizer, Refinement, Start, TrainConfig, TrainError, Trainer,
};

/// What a target update did: DEC's, with the reconstruction kept.
pub const UPDATE: Explanation = Explanation {
    formulas: &[
        explain::Q,
        explain::P,
        "loss = L<sub>rec</sub> + γ · KL(P‖Q)",
    ],
    after: "{changed} of the points changed cluster since the last update (at the first update: since k-means, which does not count). IDEC stops at the first later update where fewer than 0.1% change. It keeps the reconstruction term, so the embedding cannot be bent out of shape just to make clusters tight.",
    ..crate::cluster::dec::UPDATE
};

pub static METHOD: MethodDef = MethodDef {
    name: "idec",
    title: "IDEC",
    paper: Some("Guo et al. 2017"),
    summary: "DEC that keeps reconstructing its input while it clusters (weight γ on the clustering loss)",
    help: "Improved DEC (Guo et al. 2017). Like DEC, except that the network must keep reconstructing its input while it clusters (weight γ on the clustering loss, 0.1 by default). This stops the clustering from bending the compressed space out of shape, and often gives steadier results. On large data (at least 5,000 rows of 64 or more columns, where it uses the paper's network) its autoencoder trains as in the authors' code: without hidden inputs and for longer than DEC's (50 passes over 70,000 images instead of 14), and on images it sees larger pixel values, as in the authors' code (which divides MNIST by 50 rather than 255): here each set is divided by its root mean square pixel value, 85 for MNIST, so the reconstruction weighs more next to the clustering. That is what brings it to the paper's accuracy, but it is slower to start: lower the pretraining epochs under Advanced settings for a quick look.",
    loss: "reconstruction + γ·KL",
    deep: true,
    takes: Takes::Any,
    settings: &[Setting::Gamma],
    explain: Explanations {
        initialised: None,
        update: Some(UPDATE),
    },
    rules: &[],
    algorithm: &IdecMethod,
};

struct IdecMethod;

impl Algorithm for IdecMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        // The authors' code refines with Keras' Adam (1e-3); it measured level with or better
        // than DEC's SGD here (docs/RESULTS-full.md).
        config.refine_optimizer = RefineOptimizer::Adam;
        config.refine_lr = 1e-3;
        // On the paper's network IDEC reaches its paper only with its authors' pretraining: a
        // plain autoencoder, trained long (3.5 million rows seen, at least ten passes). The
        // small networks keep DEC's denoising, which regularises them.
        if data.papers_network {
            config.pretrain_epochs = (3_500_000 / data.rows).clamp(10, 300);
            config.corruption = 0.0;
        }
    }

    fn pixel_defaults(&self, config: &mut TrainConfig, data: &DataShape, pixels: &[f32]) {
        // The authors feed their network MNIST divided by 50, which weighs the reconstruction
        // more against the clustering loss; dividing by the images' RMS pixel gives every set
        // a mean square of 1 instead of fitting MNIST alone.
        if data.papers_network {
            config.pixel_divisor = rms_pixel(pixels);
        }
    }

    fn start(
        &self,
        t: &mut Trainer,
        autoencoder: Option<Autoencoder>,
        z: &Arc<Vec<f32>>,
    ) -> Result<Start, TrainError> {
        CentroidRefinement::start(t, autoencoder, z, reconstruction_and_kl)
    }

    fn resume(
        &self,
        t: &mut Trainer,
        autoencoder: Autoencoder,
        state: &[f32],
    ) -> Result<Option<Box<dyn Refinement>>, TrainError> {
        CentroidRefinement::resume(t, autoencoder, state, reconstruction_and_kl)
    }

    /// [`CentroidRefinement`] ends when fewer than `tol` of the rows change cluster.
    fn stops_early(&self) -> bool {
        true
    }
}

/// IDEC's batch loss for [`CentroidRefinement`] (DCEC's too).
pub fn reconstruction_and_kl(
    model: &AutoencoderWithCentroids,
    x: Tensor<2>,
    valid: Option<Tensor<2>>,
    p: Tensor<2>,
    config: &TrainConfig,
) -> Tensor<1> {
    idec_loss(model, x, valid, p, config.alpha, config.gamma)
}
