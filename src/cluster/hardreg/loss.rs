use burn::tensor::Tensor;

use crate::model::{AutoencoderWithCentroids, reconstruction_error};

/// For a `[batch, input]` batch: its reconstruction error (1 element) and the costs
/// c_ik = ‖z_i − μ_k‖² / (2σ²) `[batch, k]` the greedy assignment reads, from one encoding.
pub fn reconstruction_and_costs(
    model: &AutoencoderWithCentroids,
    x: Tensor<2>,
    valid: Option<Tensor<2>>,
    variance: f32,
) -> (Tensor<1>, Tensor<2>) {
    let z = model.autoencoder.encode(x.clone());
    let reconstruction = reconstruction_error(model.autoencoder.decode(z.clone()), x, valid);
    let diff = z.unsqueeze_dim::<3>(1) - model.centroids.val().unsqueeze_dim::<3>(0);
    let costs = diff
        .powi_scalar(2)
        .sum_dim(2)
        .squeeze_dim::<2>(2)
        .div_scalar(2.0 * variance);
    (reconstruction, costs)
}

/// Mean of the chosen costs; `one_hot` is `[batch, k]` with a single 1 per row.
pub fn chosen_cost_loss(costs: Tensor<2>, one_hot: Tensor<2>) -> Tensor<1> {
    (costs * one_hot).sum_dim(1).mean()
}

/// Reconstruction + γ · mean chosen cost: the paper's loss with the decoder kept, as IDEC
/// keeps it for DEC (why: the module doc).
pub fn hardreg_loss(
    reconstruction: Tensor<1>,
    costs: Tensor<2>,
    one_hot: Tensor<2>,
    gamma: f32,
) -> Tensor<1> {
    reconstruction + chosen_cost_loss(costs, one_hot).mul_scalar(gamma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Architecture;
    use crate::rng::Rng;
    use burn::tensor::{Device, TensorData};

    #[test]
    fn loss_is_reconstruction_plus_gamma_times_the_chosen_costs() {
        let device = Device::flex();
        let ae = Architecture::Dense(vec![3, 4, 2]).init(&device, &mut Rng::new(5));
        let model = AutoencoderWithCentroids::new(ae, vec![0.0, 0.0, 1.0, -1.0], 2, &device);
        let x = Tensor::<2>::from_data(
            TensorData::new(vec![0.1f32, -0.4, 0.9, 1.2, 0.3, -0.8], [2, 3]),
            &device,
        );
        let (rec, costs) = reconstruction_and_costs(&model, x.clone(), None, 0.5);
        let one_hot = Tensor::<2>::from_data(
            TensorData::new(vec![0.0f32, 1.0, 1.0, 0.0], [2, 2]),
            &device,
        );
        // By hand: the embedding, its squared distances to (0, 0) and (1, −1) over 2σ² = 1.
        let z: Vec<f32> = model
            .autoencoder
            .encode(x.clone())
            .into_data()
            .try_into_vec::<f32>()
            .unwrap();
        let chosen =
            ((z[0] - 1.0).powi(2) + (z[1] + 1.0).powi(2) + z[2].powi(2) + z[3].powi(2)) / 2.0;
        let want_rec: f32 = model.autoencoder.reconstruction_loss(x).into_scalar();
        let got_rec: f32 = rec.clone().into_scalar();
        assert!((got_rec - want_rec).abs() < 1e-6, "{got_rec} vs {want_rec}");
        let loss: f32 = hardreg_loss(rec, costs, one_hot, 0.1).into_scalar();
        assert!(
            (loss - (want_rec + 0.1 * chosen)).abs() < 1e-5,
            "{loss} vs {want_rec} + 0.1·{chosen}"
        );
    }

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
