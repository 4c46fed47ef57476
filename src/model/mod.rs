//! Neural networks as burn modules.

mod autoencoder;
mod conv;
mod dense;
mod gpu_matmul;
mod with_centroids;

pub use autoencoder::{Architecture, Autoencoder, corruption_mask};
pub use conv::{ConvAutoencoder, MIN_SIDE, feature_sides};
pub(crate) use dense::linear;
pub use dense::{DenseAutoencoder, DenseAutoencoderConfig};
pub(crate) use gpu_matmul::forward_linear;
pub use gpu_matmul::{block_matmul, dense_layers_use_block_kernel};
pub use with_centroids::AutoencoderWithCentroids;
