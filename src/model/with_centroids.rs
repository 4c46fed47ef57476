use burn::module::{Module, Param};
use burn::tensor::{Device, Tensor, TensorData};

use super::Autoencoder;

/// The refinement-phase model of DEC, IDEC and the hard-regularised method: the pretrained
/// autoencoder and one trainable centre per cluster in its embedding space.
#[derive(Module, Debug)]
pub struct AutoencoderWithCentroids {
    pub autoencoder: Autoencoder,
    /// `[k, embedding]`
    pub centroids: Param<Tensor<2>>,
}

impl AutoencoderWithCentroids {
    /// `centroids` is row-major `k × embedding`.
    pub fn new(autoencoder: Autoencoder, centroids: Vec<f32>, k: usize, device: &Device) -> Self {
        let dim = centroids.len() / k;
        let mu = Tensor::<2>::from_data(TensorData::new(centroids, [k, dim]), device);
        Self {
            autoencoder,
            centroids: Param::from_tensor(mu),
        }
    }
}
