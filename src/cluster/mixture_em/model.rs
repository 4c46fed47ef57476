use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};

use super::{hardened, log_densities, negative_expected_log_likelihood, responsibilities};
use crate::model::{Autoencoder, reconstruction_error};

/// The pretrained autoencoder and the final layer's K component directions.
#[derive(Module, Debug)]
pub struct NeuralMixtureModel {
    pub autoencoder: Autoencoder,
    /// `[k, embedding]`: w_k, used only through its direction.
    pub components: Param<Tensor<2>>,
}

impl NeuralMixtureModel {
    /// `components` is row-major `k × embedding`.
    pub fn new(autoencoder: Autoencoder, components: Vec<f32>, k: usize, device: &Device) -> Self {
        let dim = components.len() / k;
        let w = Tensor::<2>::from_data(TensorData::new(components, [k, dim]), device);
        Self {
            autoencoder,
            components: Param::from_tensor(w),
        }
    }

    /// One batch of EM for a `[batch, input]` batch, with `[k]` log mixing weights: the
    /// forward pass computes the responsibilities (E-step), and the gradient step on the
    /// returned L_rec + γ·(−Q) is the M-step for the network and the directions. Without
    /// `soft`, each row counts only for its most responsible component (classification EM).
    ///
    /// With `augmented` (the same rows, shifted and noisy), the consistency term is added:
    /// the augmented rows must be likely under the components the E-step gave the originals,
    /// −Q(x̃; γ(x)), so the clusters cannot depend on what the augmentation changes.
    #[allow(clippy::too_many_arguments)]
    pub fn batch_em(
        &self,
        x: Tensor<2>,
        valid: Option<Tensor<2>>,
        augmented: Option<Tensor<2>>,
        centre: Tensor<1>,
        log_pi: Tensor<1>,
        gamma: f32,
        temperature: f32,
        soft: bool,
    ) -> Tensor<1> {
        let h = self.autoencoder.encode(x.clone());
        let reconstruction = reconstruction_error(self.autoencoder.decode(h.clone()), x, valid);
        let w = self.components.val();
        let log_f = log_densities(h, centre.clone(), w.clone(), temperature);
        let resp = responsibilities(log_f.clone().detach(), log_pi.clone()).detach();
        let resp = if soft { resp } else { hardened(resp) };
        let mut q = negative_expected_log_likelihood(log_f, log_pi.clone(), resp.clone());
        if let Some(x_aug) = augmented {
            let log_f_aug = log_densities(self.autoencoder.encode(x_aug), centre, w, temperature);
            q = q + negative_expected_log_likelihood(log_f_aug, log_pi, resp);
        }
        reconstruction + q.mul_scalar(gamma)
    }
}
