use burn::module::Module;
use burn::nn::Linear;
use burn::tensor::activation::log_softmax;
use burn::tensor::{Device, Tensor};

use crate::model::{Autoencoder, forward_linear, linear};
use crate::rng::Rng;

/// The encoder (inside the pretrained autoencoder; the decoder is unused here) and the linear
/// classifier that predicts pseudo-labels from the embedding.
#[derive(Module, Debug)]
pub struct DeepClusterModel {
    pub autoencoder: Autoencoder,
    pub head: Linear,
}

impl DeepClusterModel {
    pub fn new(autoencoder: Autoencoder, k: usize, device: &Device, rng: &mut Rng) -> Self {
        let head = linear(autoencoder.embedding_size(), k, device, rng);
        Self { autoencoder, head }
    }

    /// A new classifier, as the paper does after every re-clustering: pseudo-label numbers
    /// are arbitrary, so the old weights would mean nothing.
    pub fn with_new_head(self, k: usize, device: &Device, rng: &mut Rng) -> Self {
        Self::new(self.autoencoder, k, device, rng)
    }

    /// Cross-entropy of a `[batch, input]` batch against `[batch, k]` one-hot pseudo-labels.
    pub fn loss(&self, x: Tensor<2>, one_hot: Tensor<2>) -> Tensor<1> {
        let logits = forward_linear(&self.head, self.autoencoder.encode(x));
        (one_hot * log_softmax(logits, 1)).sum_dim(1).mean().neg()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Architecture;
    use burn::tensor::TensorData;

    #[test]
    fn loss_is_cross_entropy_of_the_head() {
        let device = Device::flex();
        let mut rng = Rng::new(2);
        let ae = Architecture::Dense(vec![3, 4, 2]).init(&device, &mut rng);
        let model = DeepClusterModel::new(ae, 2, &device, &mut rng);
        let x = Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -1.0, 2.0], [1, 3]), &device);
        let logits: Vec<f32> = model
            .head
            .forward(model.autoencoder.encode(x.clone()))
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        let want = -(logits[1] - (logits[0].exp() + logits[1].exp()).ln());
        let one_hot = Tensor::<2>::from_data(TensorData::new(vec![0.0f32, 1.0], [1, 2]), &device);
        let got: f32 = model.loss(x, one_hot).into_scalar();
        assert!((got - want).abs() < 1e-5, "{got} vs {want}");
    }
}
