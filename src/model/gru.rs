use burn::module::Module;
use burn::nn::{GateController, Gru, GruConfig, Linear};
use burn::tensor::activation::tanh;
use burn::tensor::{Device, Tensor};

use super::dense::linear;
use super::forward_linear;
use crate::rng::Rng;

/// Hidden units of both recurrent layers.
pub const HIDDEN: usize = 64;

/// A recurrent (GRU) autoencoder for `channels × length` series, as DISC (Deep Inertial
/// Sensory Clustering) uses for inertial signals: a GRU reads the series step by step and its
/// last state, through a dense layer, is the embedding; the decoder starts a second GRU from
/// the embedding, feeds it the embedding at every step and reads each step's channels off its
/// state. It steps through time, so it is slower than the convolutional network (whose layers
/// run in parallel, on a GPU too) and is the one to choose when order over a long span matters.
#[derive(Module, Debug)]
pub struct GruAutoencoder {
    encoder: Gru,
    to_embedding: Linear,
    from_embedding: Linear,
    decoder: Gru,
    to_channels: Linear,
    channels: usize,
    length: usize,
}

/// A GRU whose gates are drawn from `rng` like every other layer here (burn's own
/// initialiser draws from its global generator, which the run's seed does not set).
fn gru(d_input: usize, d_hidden: usize, device: &Device, rng: &mut Rng) -> Gru {
    let mut g = GruConfig::new(d_input, d_hidden, true).init(device);
    let mut gate = || GateController {
        input_transform: linear(d_input, d_hidden, device, rng),
        hidden_transform: linear(d_hidden, d_hidden, device, rng),
    };
    g.update_gate = gate();
    g.reset_gate = gate();
    g.new_gate = gate();
    g
}

/// Multiply-adds of one series' pass: three gates of input and hidden products per step, in
/// both GRUs, and the dense layers.
pub fn multiply_adds(channels: usize, length: usize, embedding: usize) -> usize {
    let h = HIDDEN;
    let encoder = length * 3 * (channels * h + h * h);
    let decoder = length * 3 * (embedding * h + h * h);
    encoder + decoder + 2 * h * embedding + length * h * channels
}

impl GruAutoencoder {
    pub fn new(
        channels: usize,
        length: usize,
        embedding: usize,
        device: &Device,
        rng: &mut Rng,
    ) -> Self {
        Self {
            encoder: gru(channels, HIDDEN, device, rng),
            to_embedding: linear(HIDDEN, embedding, device, rng),
            from_embedding: linear(embedding, HIDDEN, device, rng),
            decoder: gru(embedding, HIDDEN, device, rng),
            to_channels: linear(HIDDEN, channels, device, rng),
            channels,
            length,
        }
    }

    /// `[batch, channels·length]` (channel-major rows) → `[batch, embedding]`
    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        // [batch, time, channels]: the GRU steps along the middle axis.
        let steps = x.reshape([b, self.channels, self.length]).swap_dims(1, 2);
        let states = self.encoder.forward(steps, None);
        let last = states
            .slice([0..b, self.length - 1..self.length, 0..HIDDEN])
            .reshape([b, HIDDEN]);
        forward_linear(&self.to_embedding, last)
    }

    /// `[batch, embedding]` → `[batch, channels·length]`
    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        let [b, e] = z.dims();
        let start = tanh(forward_linear(&self.from_embedding, z.clone()));
        let inputs = z.reshape([b, 1, e]).repeat_dim(1, self.length);
        let states = self.decoder.forward(inputs, Some(start));
        let out = self.to_channels.forward(states);
        out.swap_dims(1, 2)
            .reshape([b, self.channels * self.length])
    }

    pub fn embedding_size(&self) -> usize {
        self.to_embedding.weight.shape().dims::<2>()[1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    #[test]
    fn shapes_round_trip_and_the_seed_decides_the_weights() {
        let device = Device::flex();
        let x = Tensor::<2>::from_data(
            TensorData::new(
                (0..2 * 3 * 9)
                    .map(|i| (i % 5) as f32 / 5.0)
                    .collect::<Vec<_>>(),
                [2, 27],
            ),
            &device,
        );
        let a = GruAutoencoder::new(3, 9, 4, &device, &mut Rng::new(3));
        let z = a.encode(x.clone());
        assert_eq!(z.dims(), [2, 4]);
        assert_eq!(a.decode(z.clone()).dims(), [2, 27]);
        let b = GruAutoencoder::new(3, 9, 4, &device, &mut Rng::new(3));
        assert_eq!(
            b.encode(x).into_data(),
            z.into_data(),
            "same seed, same network"
        );
    }
}
