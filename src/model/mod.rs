//! Neural networks as burn modules.

mod autoencoder;
mod conv;
mod dense;
mod with_centroids;

pub use autoencoder::{Architecture, Autoencoder, corruption_mask};
pub use conv::{ConvAutoencoder, MIN_SIDE, feature_sides};
pub(crate) use dense::linear;
pub use dense::{DenseAutoencoder, DenseAutoencoderConfig};
pub use with_centroids::AutoencoderWithCentroids;
