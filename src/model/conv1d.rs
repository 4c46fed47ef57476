use burn::module::Module;
use burn::nn::conv::{Conv1d, ConvTranspose1d};
use burn::nn::{Linear, PaddingConfig1d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor};

use super::conv::kernel;
use super::dense::linear;
use super::forward_linear;
use crate::rng::Rng;

/// Filters of the three convolutions.
const FILTERS: [usize; 3] = [32, 64, 128];
/// Their kernel widths: wide first, to see a shape over several time steps.
const KERNELS: [usize; 3] = [7, 5, 3];

/// The feature-map lengths after each stride-2 convolution (each pads by half its kernel,
/// so a length `l` becomes ⌈l/2⌉).
pub fn feature_lengths(length: usize) -> [usize; 4] {
    let l1 = length.div_ceil(2);
    let l2 = l1.div_ceil(2);
    [length, l1, l2, l2.div_ceil(2)]
}

/// Multiply-adds of one series' pass through encoder and decoder.
pub fn multiply_adds(channels: usize, length: usize, embedding: usize, pooled: bool) -> usize {
    let [_, l1, l2, l3] = feature_lengths(length);
    let [f1, f2, f3] = FILTERS;
    let [k1, k2, k3] = KERNELS;
    let convs = l1 * f1 * k1 * channels + l2 * f2 * k2 * f1 + l3 * f3 * k3 * f2;
    // Encoder: pooled features or the whole last map to the embedding; decoder: the
    // embedding to the last map.
    convs * 2 + encoded(pooled, l3) * embedding + f3 * l3 * embedding
}

/// Values the encoder's dense layer reads: each filter's maximum and mean over time, or
/// the whole last feature map of `inner` steps.
fn encoded(pooled: bool, inner: usize) -> usize {
    if pooled {
        2 * FILTERS[2]
    } else {
        FILTERS[2] * inner
    }
}

/// A convolutional autoencoder for `channels × length` series: Conv1d 32 k7/2 → Conv1d 64
/// k5/2 → Conv1d 128 k3/2 → each filter's maximum and mean over time (`pooled`), or the
/// whole map in time order → Dense `embedding`;
/// the decoder goes from the embedding to the last feature map and mirrors the convolutions
/// with transposed ones. ReLU everywhere except the embedding and the output.
/// Convolutions share their weights along time, so a pattern is recognised wherever it
/// happens, and they run in parallel on a GPU (a recurrent network steps through time).
/// Pooling over time makes the embedding say which patterns a series has rather than when:
/// on Cylinder-Bell-Funnel (shapes starting anywhere in 16..32) DEC's ACC went from 0.49
/// with the flattened map to 0.78; where series line up (outlines, spectra) the place of a
/// feature is what tells them apart, and the map is kept (docs/DECISIONS.md, "Series").
#[derive(Module, Debug)]
pub struct Conv1dAutoencoder {
    convs: Vec<Conv1d>,
    to_embedding: Linear,
    from_embedding: Linear,
    deconvs: Vec<ConvTranspose1d>,
    channels: usize,
    length: usize,
    /// Length of the last feature map.
    inner: usize,
    pooled: bool,
}

fn conv(c_in: usize, c_out: usize, k: usize, device: &Device, rng: &mut Rng) -> Conv1d {
    let (weight, bias) = kernel([c_out, c_in, k], c_out, c_in * k, device, rng);
    Conv1d {
        weight,
        bias,
        stride: 2,
        kernel_size: k,
        dilation: 1,
        groups: 1,
        padding: PaddingConfig1d::Explicit(k / 2, k / 2),
    }
}

/// A stride-2 transposed convolution from length `input` to exactly `out`.
fn deconv(
    c_in: usize,
    c_out: usize,
    k: usize,
    input: usize,
    out: usize,
    device: &Device,
    rng: &mut Rng,
) -> ConvTranspose1d {
    let pad = k / 2;
    // (input − 1)·2 − 2·pad + k + extra = out
    let extra = out + 2 * pad - (input - 1) * 2 - k;
    debug_assert!(extra < 2, "extra padding {extra} must be below the stride");
    let (weight, bias) = kernel([c_in, c_out, k], c_out, c_out * k, device, rng);
    ConvTranspose1d {
        weight,
        bias,
        stride: 2,
        kernel_size: k,
        dilation: 1,
        groups: 1,
        padding: pad,
        padding_out: extra,
        channels: [c_in, c_out],
    }
}

impl Conv1dAutoencoder {
    /// Weights uniform in ±1/√fan_in, drawn from `rng` (as the other autoencoders).
    pub fn new(
        channels: usize,
        length: usize,
        embedding: usize,
        pooled: bool,
        device: &Device,
        rng: &mut Rng,
    ) -> Self {
        let [l0, l1, l2, l3] = feature_lengths(length);
        let [f1, f2, f3] = FILTERS;
        let [k1, k2, k3] = KERNELS;
        let convs = vec![
            conv(channels, f1, k1, device, rng),
            conv(f1, f2, k2, device, rng),
            conv(f2, f3, k3, device, rng),
        ];
        let flat = f3 * l3;
        let to_embedding = linear(encoded(pooled, l3), embedding, device, rng);
        let from_embedding = linear(embedding, flat, device, rng);
        let deconvs = vec![
            deconv(f3, f2, k3, l3, l2, device, rng),
            deconv(f2, f1, k2, l2, l1, device, rng),
            deconv(f1, channels, k1, l1, l0, device, rng),
        ];
        Self {
            convs,
            to_embedding,
            from_embedding,
            deconvs,
            channels,
            length,
            inner: l3,
            pooled,
        }
    }

    /// `[batch, channels·length]` (channel-major rows) → `[batch, embedding]`
    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let mut h: Tensor<3> = x.reshape([b, self.channels, self.length]);
        for c in &self.convs {
            h = relu(c.forward(h));
        }
        if self.pooled {
            h = Tensor::cat(vec![h.clone().max_dim(2), h.mean_dim(2)], 1);
        }
        forward_linear(&self.to_embedding, h.reshape([b as i32, -1]))
    }

    /// `[batch, embedding]` → `[batch, channels·length]`
    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        let b = z.dims()[0];
        let mut h: Tensor<3> =
            relu(forward_linear(&self.from_embedding, z)).reshape([b, FILTERS[2], self.inner]);
        let last = self.deconvs.len() - 1;
        for (i, d) in self.deconvs.iter().enumerate() {
            h = d.forward(h);
            if i < last {
                h = relu(h);
            }
        }
        h.reshape([b, self.channels * self.length])
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
    fn lengths_halve_three_times() {
        assert_eq!(feature_lengths(100), [100, 50, 25, 13]);
        assert_eq!(feature_lengths(251), [251, 126, 63, 32]);
        assert_eq!(feature_lengths(8), [8, 4, 2, 1]);
    }

    #[test]
    fn decoder_mirrors_the_encoder_for_odd_and_even_lengths() {
        let device = Device::flex();
        for (channels, length, pooled) in [
            (1, 150, true),
            (6, 100, true),
            (1, 251, false),
            (3, 8, true),
            (2, 9, false),
        ] {
            let ae =
                Conv1dAutoencoder::new(channels, length, 10, pooled, &device, &mut Rng::new(1));
            let x = Tensor::<2>::ones([2, channels * length], &device);
            let z = ae.encode(x);
            assert_eq!(z.dims(), [2, 10]);
            assert_eq!(
                ae.decode(z).dims(),
                [2, channels * length],
                "{channels}×{length}"
            );
        }
    }

    #[test]
    fn multiply_adds_count_every_layer() {
        // length 8: maps of 4, 2, 1; 32·7·1·4 + 64·5·32·2 + 128·3·64·1 both ways, then
        // 256·10 pooled features in and 10·128 out to the last map
        let convs = 896 + 20_480 + 24_576;
        assert_eq!(multiply_adds(1, 8, 10, true), 2 * convs + 2_560 + 1_280);
        // in time order, length 16: maps of 8, 4, 2; the dense layer reads 128·2 values
        let convs = 32 * 7 * 8 + 64 * 5 * 32 * 4 + 128 * 3 * 64 * 2;
        assert_eq!(multiply_adds(1, 16, 10, false), 2 * convs + 2_560 + 2_560);
    }

    #[test]
    fn the_embedding_does_not_move_when_a_pattern_moves_in_time() {
        // A pattern moved by whole strides of the encoder (8 steps), away from the edges,
        // gives the same pooled features: the embedding says what, not when.
        let device = Device::flex();
        let ae = Conv1dAutoencoder::new(1, 64, 4, true, &device, &mut Rng::new(2));
        let pulse = |start: usize| -> Vec<f32> {
            (0..64)
                .map(|t| {
                    if (start..start + 8).contains(&t) {
                        1.0
                    } else {
                        0.0
                    }
                })
                .collect()
        };
        let x = Tensor::<2>::from_data(
            TensorData::new([pulse(16), pulse(32)].concat(), [2, 64]),
            &device,
        );
        let z: Vec<f32> = ae
            .encode(x.clone())
            .into_data()
            .try_to_vec::<f32>()
            .unwrap();
        for (a, b) in z[..4].iter().zip(&z[4..]) {
            assert!((a - b).abs() < 1e-5, "{z:?}");
        }
        // Kept in time order, the same two series land apart: when is part of what.
        let aligned = Conv1dAutoencoder::new(1, 64, 4, false, &device, &mut Rng::new(2));
        let z: Vec<f32> = aligned.encode(x).into_data().try_to_vec::<f32>().unwrap();
        let gap: f32 = z[..4].iter().zip(&z[4..]).map(|(a, b)| (a - b).abs()).sum();
        assert!(gap > 1e-3, "{z:?}");
    }
}
