//! Improved Deep Embedded Clustering (Guo, Gao, Liu & Yin, IJCAI 2017).
//!
//! DEC's refinement distorts the embedding: nothing keeps it faithful to the data once the
//! decoder is dropped. IDEC keeps the decoder and minimises L = L_r + γ·L_c (the paper's
//! Eq. 4), the reconstruction MSE plus γ times DEC's KL(P‖Q), with γ = 0.1. Targets,
//! soft assignments and the stopping rule are DEC's.

mod method;

use burn::tensor::Tensor;

use super::dec::loss::{kl_loss, soft_assignment};
use crate::model::{AutoencoderWithCentroids, reconstruction_error};

pub use method::{METHOD, UPDATE, reconstruction_and_kl};

/// L_r + γ·KL(P‖Q) for a `[batch, input]` batch and its fixed `[batch, k]` target.
pub fn idec_loss(
    model: &AutoencoderWithCentroids,
    x: Tensor<2>,
    valid: Option<Tensor<2>>,
    p: Tensor<2>,
    alpha: f32,
    gamma: f32,
) -> Tensor<1> {
    let z = model.autoencoder.encode(x.clone());
    let reconstruction = reconstruction_error(model.autoencoder.decode(z.clone()), x, valid);
    let q = soft_assignment(z, model.centroids.val(), alpha);
    reconstruction + kl_loss(p, q).mul_scalar(gamma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::dec::dec_loss;
    use crate::model::Architecture;
    use crate::rng::Rng;
    use burn::tensor::{Device, TensorData};

    #[test]
    fn idec_is_reconstruction_plus_gamma_times_dec() {
        let device = Device::flex();
        let ae = Architecture::Dense(vec![3, 4, 2]).init(&device, &mut Rng::new(3));
        let model = AutoencoderWithCentroids::new(ae, vec![0.0, 0.0, 1.0, 1.0], 2, &device);
        let x = Tensor::<2>::from_data(
            TensorData::new(vec![0.1f32, -0.4, 0.9, 1.2, 0.3, -0.8], [2, 3]),
            &device,
        );
        let p = Tensor::<2>::from_data(
            TensorData::new(vec![0.7f32, 0.3, 0.2, 0.8], [2, 2]),
            &device,
        );
        let kl: f32 = dec_loss(&model, x.clone(), p.clone(), 1.0).into_scalar();
        let rec: f32 = model
            .autoencoder
            .reconstruction_loss(x.clone())
            .into_scalar();
        let idec: f32 = idec_loss(&model, x, None, p, 1.0, 0.1).into_scalar();
        assert!(
            (idec - (rec + 0.1 * kl)).abs() < 1e-6,
            "{idec} vs {rec} + 0.1·{kl}"
        );
    }
}
