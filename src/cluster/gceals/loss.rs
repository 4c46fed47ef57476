use burn::tensor::activation::{log_softmax, softmax};
use burn::tensor::{Tensor, TensorData};

use super::GcealsModel;
use crate::model::reconstruction_error;

/// p = softmax_j(−d_M(z_i, μ_j)).
///
/// - `z`: `[batch, latent]`; `mu`, `variance`: `[k, latent]`
/// - returns `[batch, k]`
pub fn gaussian_cluster_distribution(
    z: Tensor<2>,
    mu: Tensor<2>,
    variance: Tensor<2>,
) -> Tensor<2> {
    let diff = z.unsqueeze_dim::<3>(1) - mu.unsqueeze_dim::<3>(0);
    let d2: Tensor<2> = (diff.powi_scalar(2) / variance.unsqueeze_dim::<3>(0))
        .sum_dim(2)
        .squeeze_dim(2);
    // The 1e-12 keeps the square root's gradient finite for a point sitting on its centre.
    softmax(d2.add_scalar(1e-12).sqrt().neg(), 1)
}

/// Reconstruction MSE + γ·CE(ω ⊙ p, q) for a `[batch, input]` batch; `weights` are the
/// current ω (length k).
pub fn gceals_loss(
    model: &GcealsModel,
    x: Tensor<2>,
    valid: Option<Tensor<2>>,
    weights: &[f32],
    gamma: f32,
) -> Tensor<1> {
    let device = x.device();
    let z = model.autoencoder.encode(x.clone());
    let reconstruction = reconstruction_error(model.autoencoder.decode(z.clone()), x, valid);
    let p = gaussian_cluster_distribution(z.clone(), model.means.val(), model.variance());
    let w = Tensor::<2>::from_data(
        TensorData::new(weights.to_vec(), [1, weights.len()]),
        &device,
    );
    let cross_entropy = ((p * w) * log_softmax(model.head(z), 1))
        .sum_dim(1)
        .mean()
        .neg();
    reconstruction + cross_entropy.mul_scalar(gamma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Device;

    #[test]
    fn distribution_and_weighted_cross_entropy_by_hand() {
        let device = Device::flex();
        let t = |v: Vec<f32>, shape: [usize; 2]| {
            Tensor::<2>::from_data(TensorData::new(v, shape), &device)
        };
        let p = gaussian_cluster_distribution(
            t(vec![1.0], [1, 1]),
            t(vec![0.0, 2.0], [2, 1]),
            t(vec![1.0, 4.0], [2, 1]),
        );
        let pv: Vec<f32> = p.clone().into_data().try_to_vec::<f32>().unwrap();
        assert!((pv[0] - 0.377_540_67).abs() < 1e-6, "{pv:?}");
        // ω = (¼, ¾), logits (0.2, −0.3): CE = 0.49948831650119285 (by hand, in f64).
        let w = t(vec![0.25, 0.75], [1, 2]);
        let ce: f32 = ((p * w) * log_softmax(t(vec![0.2, -0.3], [1, 2]), 1))
            .sum_dim(1)
            .mean()
            .neg()
            .into_scalar();
        assert!((ce - 0.499_488_3).abs() < 1e-5, "{ce}");
    }
}
