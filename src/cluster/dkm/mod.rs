//! Deep k-Means (Fard, Thonet & Gaussier, Pattern Recognition Letters 138, 2020), the
//! variant with a pretrained autoencoder (their DKMp).
//!
//! k-means made differentiable: each embedded row z_i belongs to centre r_k with the weight
//! G_ik = softmax_k(−α‖z_i − r_k‖²), and the loss is the reconstruction plus λ times the
//! weighted distances, Σ_k G_ik ‖z_i − r_k‖², minimised over the network and the centres
//! together. α grows after every epoch, α ← 2^(1/ln(n)²) · α from the paper's 0.1, so the
//! weights harden from soft memberships towards k-means' hard ones. New rows go to their
//! nearest centre.

mod method;

use burn::tensor::Tensor;
use burn::tensor::activation::softmax;

use crate::model::{AutoencoderWithCentroids, reconstruction_error};

pub use method::METHOD;

/// The paper's first α.
pub const ALPHA_START: f32 = 0.1;

/// α after the `n`-th epoch (n ≥ 1), from the α before it: the paper's schedule.
pub fn next_alpha(alpha: f32, n: usize) -> f32 {
    if n < 2 {
        return alpha;
    }
    let ln = (n as f32).ln();
    alpha * 2f32.powf(1.0 / (ln * ln))
}

/// Reconstruction + λ · mean_i Σ_k G_ik ‖z_i − r_k‖² for a `[batch, input]` batch.
pub fn dkm_loss(
    model: &AutoencoderWithCentroids,
    x: Tensor<2>,
    valid: Option<Tensor<2>>,
    alpha: f32,
    lambda: f32,
) -> Tensor<1> {
    let z = model.autoencoder.encode(x.clone());
    let reconstruction = reconstruction_error(model.autoencoder.decode(z.clone()), x, valid);
    let diff = z.unsqueeze_dim::<3>(1) - model.centroids.val().unsqueeze_dim::<3>(0);
    let d2: Tensor<2> = diff.powi_scalar(2).sum_dim(2).squeeze_dim(2);
    let g = softmax(d2.clone().mul_scalar(-alpha), 1);
    reconstruction + (g * d2).sum_dim(1).mean().mul_scalar(lambda)
}

#[cfg(test)]
mod tests {
    use burn::tensor::{Device, TensorData};

    use super::*;
    use crate::model::Architecture;
    use crate::rng::Rng;

    #[test]
    fn alpha_grows_as_the_paper_schedules_it() {
        assert_eq!(next_alpha(0.1, 1), 0.1);
        // n = 2: 2^(1/ln(2)²) = 4.233…
        assert!((next_alpha(0.1, 2) - 0.423_3).abs() < 1e-3);
        let mut alpha = ALPHA_START;
        for n in 1..=40 {
            let next = next_alpha(alpha, n);
            assert!(next >= alpha);
            alpha = next;
        }
        // 2^(Σ 1/ln(n)²) over n = 2..40 is about 280.
        assert!((alpha / ALPHA_START - 281.0).abs() < 3.0, "{alpha}");
    }

    #[test]
    fn the_loss_is_reconstruction_plus_lambda_times_the_weighted_distances() {
        let device = Device::flex();
        let ae = Architecture::Dense(vec![3, 4, 2]).init(&device, &mut Rng::new(3));
        let model = AutoencoderWithCentroids::new(ae, vec![0.0, 0.0, 1.0, 1.0], 2, &device);
        let x = Tensor::<2>::from_data(
            TensorData::new(vec![0.1f32, -0.4, 0.9, 1.2, 0.3, -0.8], [2, 3]),
            &device,
        );
        let z: Vec<f32> = model
            .autoencoder
            .encode(x.clone())
            .into_data()
            .try_to_vec()
            .unwrap();
        let rec: f32 = model
            .autoencoder
            .reconstruction_loss(x.clone())
            .into_scalar();
        let alpha = 2.0;
        let mut by_hand = 0.0;
        for zi in z.chunks_exact(2) {
            let d: Vec<f32> = [[0.0f32, 0.0], [1.0, 1.0]]
                .iter()
                .map(|r| (zi[0] - r[0]).powi(2) + (zi[1] - r[1]).powi(2))
                .collect();
            let w: Vec<f32> = d.iter().map(|d| (-alpha * d).exp()).collect();
            let sum: f32 = w.iter().sum();
            by_hand += (w[0] * d[0] + w[1] * d[1]) / sum / 2.0;
        }
        let loss: f32 = dkm_loss(&model, x, None, alpha, 0.5).into_scalar();
        assert!(
            (loss - (rec + 0.5 * by_hand)).abs() < 1e-5,
            "{loss} vs {rec} + 0.5·{by_hand}"
        );
    }
}
