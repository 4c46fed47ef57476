use burn::config::Config;
use burn::module::{Module, Param};
use burn::nn::Linear;
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};

use super::forward_linear;
use crate::rng::Rng;

/// A fully connected autoencoder as in DEC: ReLU on every layer except the embedding and the
/// reconstruction, which stay linear so neither is clipped at 0.
#[derive(Config, Debug)]
pub struct DenseAutoencoderConfig {
    /// Encoder sizes from input to embedding, e.g. `[784, 500, 500, 2000, 10]`; the decoder
    /// mirrors them.
    pub dims: Vec<usize>,
}

#[derive(Module, Debug)]
pub struct DenseAutoencoder {
    encoder: Vec<Linear>,
    decoder: Vec<Linear>,
}

impl DenseAutoencoderConfig {
    /// Weights are drawn from `rng` on the host rather than from burn's generator, so a seed
    /// gives the same network on every device and no other thread's draws can shift it.
    pub fn init(&self, device: &Device, rng: &mut Rng) -> DenseAutoencoder {
        let mut layers = |dims: &[usize]| {
            dims.windows(2)
                .map(|w| linear(w[0], w[1], device, rng))
                .collect()
        };
        let encoder = layers(&self.dims);
        let reversed: Vec<usize> = self.dims.iter().rev().copied().collect();
        DenseAutoencoder {
            encoder,
            decoder: layers(&reversed),
        }
    }
}

/// PyTorch's default for linear layers: weights and biases uniform in ±1/√fan_in.
pub(crate) fn linear(d_in: usize, d_out: usize, device: &Device, rng: &mut Rng) -> Linear {
    let bound = 1.0 / (d_in as f64).sqrt();
    let mut uniform = |n: usize| -> Vec<f32> {
        (0..n)
            .map(|_| ((rng.next_f64() * 2.0 - 1.0) * bound) as f32)
            .collect()
    };
    let weight = Tensor::<2>::from_data(
        TensorData::new(uniform(d_in * d_out), [d_in, d_out]),
        device,
    );
    let bias = Tensor::<1>::from_data(TensorData::new(uniform(d_out), [d_out]), device);
    Linear {
        weight: Param::from_tensor(weight),
        bias: Some(Param::from_tensor(bias)),
    }
}

pub(crate) fn stack(layers: &[Linear], mut x: Tensor<2>) -> Tensor<2> {
    let last = layers.len() - 1;
    for (i, layer) in layers.iter().enumerate() {
        x = forward_linear(layer, x);
        if i < last {
            x = relu(x);
        }
    }
    x
}

impl DenseAutoencoder {
    /// `[batch, input]` → `[batch, embedding]`
    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        stack(&self.encoder, x)
    }

    /// `[batch, embedding]` → `[batch, input]`
    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        stack(&self.decoder, z)
    }

    pub fn embedding_size(&self) -> usize {
        self.encoder
            .last()
            .expect("at least one layer")
            .weight
            .shape()
            .dims::<2>()[1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_weights() {
        let device = Device::flex();
        let x = Tensor::<2>::ones([2, 6], &device);
        let a = DenseAutoencoderConfig::new(vec![6, 8, 3])
            .init(&device, &mut Rng::new(4))
            .encode(x.clone());
        let b = DenseAutoencoderConfig::new(vec![6, 8, 3])
            .init(&device, &mut Rng::new(4))
            .encode(x);
        assert_eq!(a.into_data(), b.into_data());
    }

    #[test]
    fn shapes_follow_the_dims() {
        let device = Device::flex();
        let ae = DenseAutoencoderConfig::new(vec![6, 8, 3]).init(&device, &mut Rng::new(0));
        let x = Tensor::<2>::ones([5, 6], &device);
        let z = ae.encode(x.clone());
        assert_eq!(z.dims(), [5, 3]);
        assert_eq!(ae.decode(z).dims(), [5, 6]);
        assert_eq!(ae.embedding_size(), 3);
    }
}
