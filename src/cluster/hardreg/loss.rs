use burn::tensor::Tensor;

use crate::model::AutoencoderWithCentroids;

/// c_ik = ‖z_i − μ_k‖² / (2σ²) for a `[batch, input]` batch; returns `[batch, k]`.
pub fn assignment_costs(
    model: &AutoencoderWithCentroids,
    x: Tensor<2>,
    variance: f32,
) -> Tensor<2> {
    let z = model.autoencoder.encode(x);
    let diff = z.unsqueeze_dim::<3>(1) - model.centroids.val().unsqueeze_dim::<3>(0);
    diff.powi_scalar(2)
        .sum_dim(2)
        .squeeze_dim::<2>(2)
        .div_scalar(2.0 * variance)
}

/// Mean of the chosen costs; `one_hot` is `[batch, k]` with a single 1 per row.
pub fn chosen_cost_loss(costs: Tensor<2>, one_hot: Tensor<2>) -> Tensor<1> {
    (costs * one_hot).sum_dim(1).mean()
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::{Device, TensorData};

    #[test]
    fn loss_is_the_mean_of_the_chosen_costs() {
        let device = Device::flex();
        let costs = Tensor::<2>::from_data(
            TensorData::new(vec![0.0f32, 5.0, 0.1, 5.0, 0.2, 0.9], [3, 2]),
            &device,
        );
        let one_hot = Tensor::<2>::from_data(
            TensorData::new(vec![1.0f32, 0.0, 1.0, 0.0, 0.0, 1.0], [3, 2]),
            &device,
        );
        let loss: f32 = chosen_cost_loss(costs, one_hot).into_scalar();
        assert!(
            (loss - 1.0 / 3.0).abs() < 1e-6,
            "(0 + 0.1 + 0.9) / 3, got {loss}"
        );
    }
}
