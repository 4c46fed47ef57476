use burn::config::Config;
use burn::module::Module;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Distribution, Tensor};

/// A fully connected autoencoder as in DEC: ReLU on every layer except the embedding and the
/// reconstruction, which stay linear so neither is clipped at 0.
#[derive(Config, Debug)]
pub struct AutoencoderConfig {
    /// Encoder sizes from input to embedding, e.g. `[784, 500, 500, 2000, 10]`; the decoder
    /// mirrors them.
    pub dims: Vec<usize>,
}

#[derive(Module, Debug)]
pub struct Autoencoder {
    encoder: Vec<Linear>,
    decoder: Vec<Linear>,
}

impl AutoencoderConfig {
    pub fn init(&self, device: &Device) -> Autoencoder {
        let layers = |dims: &[usize]| dims.windows(2).map(|w| LinearConfig::new(w[0], w[1]).init(device)).collect();
        let reversed: Vec<usize> = self.dims.iter().rev().copied().collect();
        Autoencoder { encoder: layers(&self.dims), decoder: layers(&reversed) }
    }
}

fn stack(layers: &[Linear], mut x: Tensor<2>) -> Tensor<2> {
    let last = layers.len() - 1;
    for (i, layer) in layers.iter().enumerate() {
        x = layer.forward(x);
        if i < last {
            x = relu(x);
        }
    }
    x
}

impl Autoencoder {
    /// `[batch, input]` → `[batch, embedding]`
    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        stack(&self.encoder, x)
    }

    /// `[batch, embedding]` → `[batch, input]`
    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        stack(&self.decoder, z)
    }

    /// Mean squared reconstruction error of a `[batch, input]` batch, as a 1-element tensor.
    pub fn reconstruction_loss(&self, x: Tensor<2>) -> Tensor<1> {
        self.denoising_loss(x, 0.0)
    }

    /// Reconstruction error when a random `corruption` share of the inputs is set to 0
    /// (rescaled to keep the mean), as in DEC's denoising autoencoder: the network must
    /// rebuild what it did not see, which makes the embedding capture structure, not noise.
    pub fn denoising_loss(&self, x: Tensor<2>, corruption: f32) -> Tensor<1> {
        let input = if corruption > 0.0 {
            let keep = Tensor::<2>::random(x.shape(), Distribution::Bernoulli(1.0 - corruption as f64), &x.device());
            x.clone() * keep / (1.0 - corruption)
        } else {
            x.clone()
        };
        let x_hat = self.decode(self.encode(input));
        (x_hat - x).powi_scalar(2).mean()
    }

    pub fn embedding_size(&self) -> usize {
        self.encoder.last().expect("at least one layer").weight.shape().dims::<2>()[1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_follow_the_dims() {
        let device = Device::flex();
        let ae = AutoencoderConfig::new(vec![6, 8, 3]).init(&device);
        let x = Tensor::<2>::ones([5, 6], &device);
        let z = ae.encode(x.clone());
        assert_eq!(z.dims(), [5, 3]);
        assert_eq!(ae.decode(z).dims(), [5, 6]);
        assert_eq!(ae.embedding_size(), 3);
        let loss: f32 = ae.reconstruction_loss(x).into_scalar();
        assert!(loss.is_finite() && loss > 0.0);
    }
}
