use burn::module::{Module, Param};
use burn::nn::conv::{Conv2d, ConvTranspose2d};
use burn::nn::{Linear, PaddingConfig2d};
use burn::tensor::activation::relu;
use burn::tensor::{Device, Tensor, TensorData};

use super::dense::linear;
use super::forward_linear;
use crate::rng::Rng;

/// Filters of the three convolutions (DCEC, Guo et al. 2017).
const FILTERS: [usize; 3] = [32, 64, 128];
/// Their kernel sides.
const KERNELS: [usize; 3] = [5, 5, 3];

/// Smallest image side the three stride-2 convolutions can take.
pub const MIN_SIDE: usize = 12;

/// DCEC's convolutional autoencoder for `channels × side × side` images:
/// Conv 32 5×5/2 → Conv 64 5×5/2 → Conv 128 3×3/2 → Dense `embedding`, and the mirror image
/// with transposed convolutions. ReLU everywhere except the embedding and the output.
#[derive(Module, Debug)]
pub struct ConvAutoencoder {
    convs: Vec<Conv2d>,
    to_embedding: Linear,
    from_embedding: Linear,
    deconvs: Vec<ConvTranspose2d>,
    channels: usize,
    side: usize,
    /// Side of the last feature map.
    inner: usize,
}

/// The feature-map sides after each convolution: ⌈s/2⌉, ⌈s/2⌉, then ⌊(s − 3)/2⌋ + 1.
pub fn feature_sides(side: usize) -> [usize; 4] {
    let s1 = side.div_ceil(2);
    let s2 = s1.div_ceil(2);
    let s3 = (s2 - 3) / 2 + 1;
    [side, s1, s2, s3]
}

/// Multiply-adds of one image's pass through encoder and decoder: each transposed
/// convolution scatters every input value over its kernel, as the matching convolution gathers.
pub fn multiply_adds(channels: usize, side: usize, embedding: usize) -> usize {
    let [_, s1, s2, s3] = feature_sides(side);
    let [f1, f2, f3] = FILTERS;
    let [k1, k2, k3] = KERNELS;
    let convs = s1 * s1 * f1 * k1 * k1 * channels
        + s2 * s2 * f2 * k2 * k2 * f1
        + s3 * s3 * f3 * k3 * k3 * f2;
    2 * (convs + f3 * s3 * s3 * embedding)
}

pub(super) fn uniform(n: usize, fan_in: usize, rng: &mut Rng) -> Vec<f32> {
    let bound = 1.0 / (fan_in as f64).sqrt();
    (0..n)
        .map(|_| ((rng.next_f64() * 2.0 - 1.0) * bound) as f32)
        .collect()
}

/// A `shape` kernel and a `bias_len` bias, uniform in ±1/√fan_in (also the series network's
/// 1-D kernels).
pub(super) fn kernel<const D: usize>(
    shape: [usize; D],
    bias_len: usize,
    fan_in: usize,
    device: &Device,
    rng: &mut Rng,
) -> (Param<Tensor<D>>, Option<Param<Tensor<1>>>) {
    let w = Tensor::<D>::from_data(
        TensorData::new(uniform(shape.iter().product(), fan_in, rng), shape),
        device,
    );
    let b = Tensor::<1>::from_data(
        TensorData::new(uniform(bias_len, fan_in, rng), [bias_len]),
        device,
    );
    (Param::from_tensor(w), Some(Param::from_tensor(b)))
}

fn conv(c_in: usize, c_out: usize, k: usize, pad: usize, device: &Device, rng: &mut Rng) -> Conv2d {
    let (weight, bias) = kernel([c_out, c_in, k, k], c_out, c_in * k * k, device, rng);
    Conv2d {
        weight,
        bias,
        stride: [2, 2],
        kernel_size: [k, k],
        dilation: [1, 1],
        groups: 1,
        padding: PaddingConfig2d::Explicit(pad, pad, pad, pad),
    }
}

/// A stride-2 transposed convolution whose output side is exactly `out` for input side `input`.
#[allow(clippy::too_many_arguments)]
fn deconv(
    c_in: usize,
    c_out: usize,
    k: usize,
    pad: usize,
    input: usize,
    out: usize,
    device: &Device,
    rng: &mut Rng,
) -> ConvTranspose2d {
    // (input − 1)·2 − 2·pad + k + extra = out
    let extra = out + 2 * pad - (input - 1) * 2 - k;
    debug_assert!(extra < 2, "extra padding {extra} must be below the stride");
    let (weight, bias) = kernel([c_in, c_out, k, k], c_out, c_out * k * k, device, rng);
    ConvTranspose2d {
        weight,
        bias,
        stride: [2, 2],
        kernel_size: [k, k],
        dilation: [1, 1],
        groups: 1,
        padding: [pad, pad],
        padding_out: [extra, extra],
        channels: [c_in, c_out],
    }
}

impl ConvAutoencoder {
    /// Weights uniform in ±1/√fan_in, drawn from `rng` (see the dense autoencoder for why).
    pub fn new(
        channels: usize,
        side: usize,
        embedding: usize,
        device: &Device,
        rng: &mut Rng,
    ) -> Self {
        assert!(side >= MIN_SIDE, "checked with the training settings");
        let [s0, s1, s2, s3] = feature_sides(side);
        let [f1, f2, f3] = FILTERS;
        let [k1, k2, k3] = KERNELS;
        let convs = vec![
            conv(channels, f1, k1, 2, device, rng),
            conv(f1, f2, k2, 2, device, rng),
            conv(f2, f3, k3, 0, device, rng),
        ];
        let flat = f3 * s3 * s3;
        let to_embedding = linear(flat, embedding, device, rng);
        let from_embedding = linear(embedding, flat, device, rng);
        let deconvs = vec![
            deconv(f3, f2, k3, 0, s3, s2, device, rng),
            deconv(f2, f1, k2, 2, s2, s1, device, rng),
            deconv(f1, channels, k1, 2, s1, s0, device, rng),
        ];
        Self {
            convs,
            to_embedding,
            from_embedding,
            deconvs,
            channels,
            side,
            inner: s3,
        }
    }

    /// `[batch, channels·side·side]` → `[batch, embedding]`
    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        let b = x.dims()[0];
        let mut h: Tensor<4> = x.reshape([b, self.channels, self.side, self.side]);
        for c in &self.convs {
            h = relu(c.forward(h));
        }
        forward_linear(&self.to_embedding, h.reshape([b as i32, -1]))
    }

    /// `[batch, embedding]` → `[batch, channels·side·side]`
    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        let b = z.dims()[0];
        let mut h: Tensor<4> = relu(forward_linear(&self.from_embedding, z))
            .reshape([b, FILTERS[2], self.inner, self.inner]);
        let last = self.deconvs.len() - 1;
        for (i, d) in self.deconvs.iter().enumerate() {
            h = d.forward(h);
            if i < last {
                h = relu(h);
            }
        }
        h.reshape([b, self.channels * self.side * self.side])
    }

    pub fn embedding_size(&self) -> usize {
        self.to_embedding.weight.shape().dims::<2>()[1]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Architecture;

    #[test]
    fn sides_follow_dcec_for_the_supported_sizes() {
        assert_eq!(feature_sides(28), [28, 14, 7, 3]);
        assert_eq!(feature_sides(32), [32, 16, 8, 3]);
        assert_eq!(feature_sides(64), [64, 32, 16, 7]);
        assert_eq!(feature_sides(MIN_SIDE), [12, 6, 3, 1]);
    }

    #[test]
    fn multiply_adds_count_dcecs_layers_on_mnist() {
        // 14²·32·25 + 7²·64·25·32 + 3²·128·9·64 for the convolutions, 1152·10 for the dense
        // layer; the decoder mirrors all of it.
        let encoder = 156_800 + 2_508_800 + 663_552 + 11_520;
        assert_eq!(multiply_adds(1, 28, 10), 2 * encoder);
        assert_eq!(
            Architecture::Conv {
                channels: 1,
                side: 28,
                embedding: 10
            }
            .multiply_adds(),
            2 * encoder
        );
        assert_eq!(
            Architecture::Dense(vec![4, 3, 2]).multiply_adds(),
            2 * (12 + 6)
        );
    }

    #[test]
    fn decoder_mirrors_the_encoder() {
        let device = Device::flex();
        for (channels, side) in [(1, 28), (3, 32), (1, 13)] {
            let ae = ConvAutoencoder::new(channels, side, 10, &device, &mut Rng::new(1));
            let x = Tensor::<2>::ones([2, channels * side * side], &device);
            let z = ae.encode(x);
            assert_eq!(z.dims(), [2, 10]);
            assert_eq!(
                ae.decode(z).dims(),
                [2, channels * side * side],
                "{channels}×{side}²"
            );
        }
    }
}
