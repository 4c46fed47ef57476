use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};

use super::{hardened, log_densities, negative_expected_log_likelihood, responsibilities};
use crate::model::Autoencoder;

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
    pub fn batch_em(
        &self,
        x: Tensor<2>,
        centre: Tensor<1>,
        log_pi: Tensor<1>,
        gamma: f32,
        temperature: f32,
        soft: bool,
    ) -> Tensor<1> {
        let h = self.autoencoder.encode(x.clone());
        let x_hat = self.autoencoder.decode(h.clone());
        let reconstruction = (x_hat - x).powi_scalar(2).mean();
        let log_f = log_densities(h, centre, self.components.val(), temperature);
        let resp = responsibilities(log_f.clone().detach(), log_pi.clone()).detach();
        let resp = if soft { resp } else { hardened(resp) };
        let q = negative_expected_log_likelihood(log_f, log_pi, resp);
        reconstruction + q.mul_scalar(gamma)
    }
}
