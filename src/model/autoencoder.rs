use burn::module::Module;
use burn::tensor::{Device, Tensor};

use super::conv::ConvAutoencoder;
use super::conv1d::Conv1dAutoencoder;
use super::gru::GruAutoencoder;
use super::dense::{DenseAutoencoder, DenseAutoencoderConfig};
use crate::rng::Rng;

/// The network every method pretrains: fully connected on any rows, convolutional on images
/// (DCEC) or along time on series. All take and give flat `[batch, features]` rows, so the
/// rest of the code does not care which it is.
// One per run, moved rarely: boxing the conv variant would only add an indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Module, Debug)]
pub enum Autoencoder {
    Dense(DenseAutoencoder),
    Conv(ConvAutoencoder),
    Conv1d(Conv1dAutoencoder),
    Gru(GruAutoencoder),
}

/// Which network to build.
#[derive(Debug, Clone, PartialEq)]
pub enum Architecture {
    /// Encoder sizes from input to embedding; the decoder mirrors them.
    Dense(Vec<usize>),
    /// Square images.
    Conv {
        channels: usize,
        side: usize,
        embedding: usize,
    },
    /// Series of `channels × length` values (channel-major rows). `pooled`: the encoder
    /// pools over time (patterns wherever they happen); otherwise it keeps time order
    /// (series that line up).
    Conv1d {
        channels: usize,
        length: usize,
        embedding: usize,
        pooled: bool,
    },
    /// The same series through a recurrent (GRU) network, as DISC.
    Gru {
        channels: usize,
        length: usize,
        embedding: usize,
    },
}

impl Architecture {
    /// The dense network for these sizes, if there are at least two and none is zero.
    pub fn dense(dims: Vec<usize>) -> Option<Self> {
        (dims.len() >= 2 && !dims.contains(&0)).then_some(Architecture::Dense(dims))
    }

    pub fn init(&self, device: &Device, rng: &mut Rng) -> Autoencoder {
        match self {
            Architecture::Dense(dims) => {
                Autoencoder::Dense(DenseAutoencoderConfig::new(dims.clone()).init(device, rng))
            }
            Architecture::Conv {
                channels,
                side,
                embedding,
            } => Autoencoder::Conv(ConvAutoencoder::new(
                *channels, *side, *embedding, device, rng,
            )),
            Architecture::Conv1d {
                channels,
                length,
                embedding,
                pooled,
            } => Autoencoder::Conv1d(Conv1dAutoencoder::new(
                *channels, *length, *embedding, *pooled, device, rng,
            )),
            Architecture::Gru {
                channels,
                length,
                embedding,
            } => Autoencoder::Gru(GruAutoencoder::new(
                *channels, *length, *embedding, device, rng,
            )),
        }
    }

    pub fn embedding_size(&self) -> usize {
        match self {
            Architecture::Dense(dims) => *dims.last().expect("checked: at least 2 sizes"),
            Architecture::Conv { embedding, .. }
            | Architecture::Conv1d { embedding, .. }
            | Architecture::Gru { embedding, .. } => *embedding,
        }
    }

    /// Values per input row.
    pub fn input_size(&self) -> usize {
        match self {
            Architecture::Dense(dims) => dims[0],
            Architecture::Conv { channels, side, .. } => channels * side * side,
            Architecture::Conv1d {
                channels, length, ..
            }
            | Architecture::Gru {
                channels, length, ..
            } => channels * length,
        }
    }

    /// Multiply-adds of one row's forward pass through encoder and decoder (the backward pass
    /// does twice as many): what speed benchmarks divide by.
    pub fn multiply_adds(&self) -> usize {
        match self {
            Architecture::Dense(dims) => dims.windows(2).map(|w| w[0] * w[1]).sum::<usize>() * 2,
            Architecture::Conv {
                channels,
                side,
                embedding,
            } => super::conv::multiply_adds(*channels, *side, *embedding),
            Architecture::Conv1d {
                channels,
                length,
                embedding,
                pooled,
            } => super::conv1d::multiply_adds(*channels, *length, *embedding, *pooled),
            Architecture::Gru {
                channels,
                length,
                embedding,
            } => super::gru::multiply_adds(*channels, *length, *embedding),
        }
    }
}

impl Autoencoder {
    /// `[batch, input]` → `[batch, embedding]`
    pub fn encode(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Autoencoder::Dense(ae) => ae.encode(x),
            Autoencoder::Conv(ae) => ae.encode(x),
            Autoencoder::Conv1d(ae) => ae.encode(x),
            Autoencoder::Gru(ae) => ae.encode(x),
        }
    }

    /// `[batch, embedding]` → `[batch, input]`
    pub fn decode(&self, z: Tensor<2>) -> Tensor<2> {
        match self {
            Autoencoder::Dense(ae) => ae.decode(z),
            Autoencoder::Conv(ae) => ae.decode(z),
            Autoencoder::Conv1d(ae) => ae.decode(z),
            Autoencoder::Gru(ae) => ae.decode(z),
        }
    }

    pub fn embedding_size(&self) -> usize {
        match self {
            Autoencoder::Dense(ae) => ae.embedding_size(),
            Autoencoder::Conv(ae) => ae.embedding_size(),
            Autoencoder::Conv1d(ae) => ae.embedding_size(),
            Autoencoder::Gru(ae) => ae.embedding_size(),
        }
    }

    /// Mean squared reconstruction error of a `[batch, input]` batch, as a 1-element tensor.
    pub fn reconstruction_loss(&self, x: Tensor<2>) -> Tensor<1> {
        let x_hat = self.decode(self.encode(x.clone()));
        reconstruction_error(x_hat, x, None)
    }

    /// Reconstruction error of the clean `x` from a corrupted copy `x · mask`, as in DEC's
    /// denoising autoencoder: the network must rebuild what it did not see, so the embedding
    /// captures structure rather than noise. See [`corruption_mask`].
    /// With `valid` (1 where a value is data, 0 where it is padding), the mean is over the
    /// data alone.
    pub fn denoising_loss(
        &self,
        x: Tensor<2>,
        mask: Tensor<2>,
        valid: Option<Tensor<2>>,
    ) -> Tensor<1> {
        let x_hat = self.decode(self.encode(x.clone() * mask));
        reconstruction_error(x_hat, x, valid)
    }
}

/// The mean squared error of a reconstruction `x_hat` of `[batch, input]` rows `x`, as a
/// 1-element tensor. With `valid` (1 where a value is data, 0 where a series is padded) the
/// mean is over the data alone: padding is never asked for.
pub fn reconstruction_error(x_hat: Tensor<2>, x: Tensor<2>, valid: Option<Tensor<2>>) -> Tensor<1> {
    let squared = (x_hat - x).powi_scalar(2);
    match valid {
        None => squared.mean(),
        Some(valid) => {
            let count = valid.clone().sum().clamp_min(1.0);
            (squared * valid).sum() / count
        }
    }
}

/// A dropout mask: each entry is 0 with probability `corruption`, else 1/(1 − corruption) so
/// the corrupted input keeps its expected value.
pub fn corruption_mask(len: usize, corruption: f32, rng: &mut Rng) -> Vec<f32> {
    let keep = 1.0 / (1.0 - corruption);
    (0..len)
        .map(|_| {
            if rng.next_f64() < corruption as f64 {
                0.0
            } else {
                keep
            }
        })
        .collect()
}
#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::TensorData;

    #[test]
    fn mask_hides_about_the_asked_share_and_keeps_the_mean() {
        let m = corruption_mask(10_000, 0.2, &mut Rng::new(1));
        let hidden = m.iter().filter(|&&v| v == 0.0).count();
        assert!((1800..2200).contains(&hidden), "{hidden}");
        let mean = m.iter().sum::<f32>() / m.len() as f32;
        assert!((mean - 1.0).abs() < 0.03, "{mean}");
        assert!(m.iter().all(|&v| v == 0.0 || v == 1.25));
    }
    #[test]
    fn padding_is_left_out_of_the_reconstruction_error() {
        let device = Device::flex();
        let t = |v: Vec<f32>| Tensor::<2>::from_data(TensorData::new(v, [2, 3]), &device);
        let x = t(vec![1.0, 2.0, 0.0, 4.0, 0.0, 0.0]);
        let x_hat = t(vec![2.0, 2.0, 9.0, 1.0, 5.0, 5.0]);
        let valid = t(vec![1.0, 1.0, 0.0, 1.0, 0.0, 0.0]);
        // (1 + 0 + 9) / 3 over the three data values; all six would give (1 + 81 + 9 + 25 + 25) / 6.
        let masked: f32 = reconstruction_error(x_hat.clone(), x.clone(), Some(valid)).into_scalar();
        assert!((masked - 10.0 / 3.0).abs() < 1e-6, "{masked}");
        let all: f32 = reconstruction_error(x_hat, x, None).into_scalar();
        assert!((all - 141.0 / 6.0).abs() < 1e-5, "{all}");
    }

    #[test]
    fn both_architectures_reconstruct() {
        let device = Device::flex();
        for arch in [
            Architecture::Dense(vec![196, 8, 3]),
            Architecture::Conv {
                channels: 1,
                side: 14,
                embedding: 3,
            },
        ] {
            let ae = arch.init(&device, &mut Rng::new(0));
            assert_eq!(ae.embedding_size(), 3);
            let loss: f32 = ae
                .reconstruction_loss(Tensor::<2>::ones([2, 196], &device))
                .into_scalar();
            assert!(loss.is_finite() && loss > 0.0, "{arch:?}: {loss}");
        }
    }
}
