use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::{relu, softplus};
use burn::tensor::{Device, Tensor, TensorData};

use crate::model::{Autoencoder, forward_linear, linear};
use crate::rng::Rng;

/// The autoencoder, the Gaussian clusters in its embedding space, and the softmax head.
#[derive(Module, Debug)]
pub struct GcealsModel {
    pub autoencoder: Autoencoder,
    /// `[k, embedding]`
    pub means: Param<Tensor<2>>,
    /// `[k, embedding]`, variances = softplus(raw_variance) so any value is valid.
    pub raw_variance: Param<Tensor<2>>,
    head_hidden: Linear,
    head_out: Linear,
}

impl GcealsModel {
    /// `means` is row-major `k × embedding`; covariances start at the identity.
    pub fn new(
        autoencoder: Autoencoder,
        means: Vec<f32>,
        k: usize,
        device: &Device,
        rng: &mut Rng,
    ) -> Self {
        let dim = means.len() / k;
        let mu = Tensor::<2>::from_data(TensorData::new(means, [k, dim]), device);
        // softplus⁻¹(1) = ln(e − 1)
        let raw = Tensor::<2>::full([k, dim], (std::f32::consts::E - 1.0).ln(), device);
        Self {
            autoencoder,
            means: Param::from_tensor(mu),
            raw_variance: Param::from_tensor(raw),
            head_hidden: linear(dim, dim, device, rng),
            head_out: linear(dim, k, device, rng),
        }
    }

    /// `[k, embedding]`
    pub fn variance(&self) -> Tensor<2> {
        softplus(self.raw_variance.val(), 1.0)
    }

    /// Logits of q: `[batch, embedding]` → `[batch, k]`.
    pub fn head(&self, z: Tensor<2>) -> Tensor<2> {
        forward_linear(&self.head_out, relu(forward_linear(&self.head_hidden, z)))
    }
}
