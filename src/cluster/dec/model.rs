use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};

use super::loss::{kl_loss, soft_assignment};
use crate::model::Autoencoder;

/// DEC's trainable parts during refinement: the pretrained autoencoder (only its encoder gets
/// gradients) and the cluster centres in embedding space.
#[derive(Module, Debug)]
pub struct DecModel {
    pub autoencoder: Autoencoder,
    /// `[k, embedding]`
    pub centroids: Param<Tensor<2>>,
}

impl DecModel {
    pub fn new(autoencoder: Autoencoder, centroids: Vec<f32>, k: usize, device: &Device) -> Self {
        let dim = centroids.len() / k;
        let mu = Tensor::<2>::from_data(TensorData::new(centroids, [k, dim]), device);
        Self { autoencoder, centroids: Param::from_tensor(mu) }
    }

    /// KL(P‖Q) for a `[batch, input]` batch and its `[batch, k]` target.
    pub fn loss(&self, x: Tensor<2>, p: Tensor<2>, alpha: f32) -> Tensor<1> {
        let q = soft_assignment(self.autoencoder.encode(x), self.centroids.val(), alpha);
        kl_loss(p, q)
    }
}
