//! Neural networks as burn modules.

mod autoencoder;
mod conv;
mod conv1d;
mod gru;
mod dense;
#[cfg(feature = "gpu")]
mod gpu_matmul;
mod with_centroids;

pub use autoencoder::{Architecture, Autoencoder, corruption_mask, reconstruction_error};
pub use conv::{ConvAutoencoder, MIN_SIDE, feature_sides};
pub use conv1d::{Conv1dAutoencoder, feature_lengths};
pub use gru::GruAutoencoder;
pub(crate) use dense::linear;
pub use dense::{DenseAutoencoder, DenseAutoencoderConfig};
#[cfg(feature = "gpu")]
pub(crate) use gpu_matmul::forward_linear;
#[cfg(feature = "gpu")]
pub use gpu_matmul::{block_matmul, dense_layers_use_block_kernel};

/// Without the GPU there is no kernel to choose: burn's product.
#[cfg(not(feature = "gpu"))]
pub(crate) fn forward_linear(layer: &burn::nn::Linear, x: burn::tensor::Tensor<2>) -> burn::tensor::Tensor<2> {
    layer.forward(x)
}
pub use with_centroids::AutoencoderWithCentroids;
