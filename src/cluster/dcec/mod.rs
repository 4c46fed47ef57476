//! Deep Convolutional Embedded Clustering (Guo, Liu, Zhu & Yin, ICONIP 2017), for images.
//!
//! IDEC's refinement (reconstruction + γ·KL(P‖Q), DEC's targets and stopping rule) on a
//! convolutional autoencoder: three stride-2 convolutions and a dense embedding, mirrored by
//! transposed convolutions (`crate::model::conv`). As in the paper: Adam throughout, a plain
//! autoencoder without input corruption, 200 pretraining epochs at most.

use std::sync::Arc;

use crate::cluster::dec::CentroidRefinement;
use crate::cluster::explain::Explanations;
use crate::cluster::idec::reconstruction_and_kl;
use crate::cluster::registry::{MethodDef, Setting, Takes};
use crate::model::{Architecture, Autoencoder, MIN_SIDE};
use crate::train::{
    Algorithm, ConfigError, DataShape, ImageShape, RefineOptimizer, Refinement, Start, TrainConfig,
    TrainError, Trainer,
};

pub static METHOD: MethodDef = MethodDef {
    name: "dcec",
    title: "DCEC",
    paper: Some("Guo et al. 2017"),
    summary: "IDEC on a convolutional autoencoder",
    help: "Deep Convolutional Embedded Clustering (Guo et al. 2017), for images. Like IDEC, but the autoencoder is convolutional: it looks at small patches of neighbouring pixels, so strokes and edges are learned once wherever they appear in the picture. Slower than the plain network per step, especially without a GPU.",
    loss: "reconstruction + γ·KL",
    deep: true,
    takes: Takes::Images,
    settings: &[Setting::Gamma],
    explain: Explanations {
        initialised: None,
        update: Some(crate::cluster::idec::UPDATE),
    },
    rules: &[],
    algorithm: &DcecMethod,
};

struct DcecMethod;

impl Algorithm for DcecMethod {
    fn defaults(&self, config: &mut TrainConfig, data: &DataShape) {
        if data.image.is_some() {
            config.corruption = 0.0;
            config.refine_optimizer = RefineOptimizer::Adam;
            config.refine_lr = 1e-3;
            config.pretrain_epochs = config.pretrain_epochs.min(200);
        }
    }

    fn check(&self, config: &TrainConfig, _rows: usize, _cols: usize) -> Result<(), ConfigError> {
        match config.image {
            None => Err(ConfigError::NeedsImages {
                method: METHOD.title,
            }),
            Some(ImageShape { side, .. }) if side < MIN_SIDE => Err(ConfigError::ImageTooSmall {
                method: METHOD.title,
                side,
            }),
            Some(_) => Ok(()),
        }
    }

    fn architecture(&self, config: &TrainConfig) -> Architecture {
        match config.image {
            Some(ImageShape { channels, side }) => Architecture::Conv {
                channels,
                side,
                embedding: *config.dims.last().expect("checked: at least 2 sizes"),
            },
            None => Architecture::Dense(config.dims.clone()),
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
