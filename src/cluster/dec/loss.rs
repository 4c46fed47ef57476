//! DEC's formulas on tensors, for the refinement phase's gradients.

use burn::tensor::Tensor;

use crate::model::AutoencoderWithCentroids;

/// KL(P‖Q) for a `[batch, input]` batch and its fixed `[batch, k]` target.
pub fn dec_loss(
    model: &AutoencoderWithCentroids,
    x: Tensor<2>,
    p: Tensor<2>,
    alpha: f32,
) -> Tensor<1> {
    let q = soft_assignment(model.autoencoder.encode(x), model.centroids.val(), alpha);
    kl_loss(p, q)
}

/// Student-t soft assignment.
///
/// - `z`: `[batch, latent]` embeddings
/// - `mu`: `[k, latent]` centres
/// - returns `[batch, k]`, rows summing to 1
pub fn soft_assignment(z: Tensor<2>, mu: Tensor<2>, alpha: f32) -> Tensor<2> {
    // [batch, 1, latent] − [1, k, latent] broadcasts to [batch, k, latent]: exact distances,
    // where the ‖z‖² − 2z·μ + ‖μ‖² form would cancel badly once points sit on their centres.
    let diff = z.unsqueeze_dim::<3>(1) - mu.unsqueeze_dim::<3>(0);
    let d2: Tensor<2> = diff.powi_scalar(2).sum_dim(2).squeeze_dim(2);
    let kernel = d2
        .div_scalar(alpha)
        .add_scalar(1.0)
        .powf_scalar(-(alpha + 1.0) / 2.0);
    let sum = kernel.clone().sum_dim(1);
    kernel / sum
}

/// KL(P‖Q) averaged over the batch. `p` is the fixed target `[batch, k]`, already clamped
/// away from 0 so that log p is finite.
pub fn kl_loss(p: Tensor<2>, q: Tensor<2>) -> Tensor<1> {
    (p.clone() * (p.log() - q.log())).sum_dim(1).mean()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    #[test]
    fn tensor_formulas_match_the_plain_ones() {
        let device = Device::flex();
        let z = [0.3f32, -1.0, 2.0, 0.5, -0.7, 0.1];
        let mu = [0.0f32, 0.0, 1.0, 1.0];
        let q_plain = crate::cluster::dec::soft_assignment(&z, &mu, 2, 1.0);
        let p_plain = crate::cluster::dec::target_distribution(&q_plain, 2);
        let kl_plain = crate::cluster::dec::kl_divergence(&p_plain, &q_plain, 2);

        let zt = Tensor::<2>::from_data(TensorData::new(z.to_vec(), [3, 2]), &device);
        let mut_ = Tensor::<2>::from_data(TensorData::new(mu.to_vec(), [2, 2]), &device);
        let q = soft_assignment(zt, mut_, 1.0);
        let q_vals: Vec<f32> = q.to_data().try_to_vec().unwrap();
        for (a, b) in q_vals.iter().zip(&q_plain) {
            assert!((a - b).abs() < 1e-6, "{q_vals:?} vs {q_plain:?}");
        }
        let p = Tensor::<2>::from_data(TensorData::new(p_plain.clone(), [3, 2]), &device);
        let kl: f32 = kl_loss(p, q).into_scalar();
        assert!((kl as f64 - kl_plain).abs() < 1e-6, "{kl} vs {kl_plain}");
    }
}
