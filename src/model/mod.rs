//! Neural networks as burn modules.

mod autoencoder;
mod with_centroids;

pub(crate) use autoencoder::linear;
pub use autoencoder::{Autoencoder, AutoencoderConfig, corruption_mask};
pub use with_centroids::AutoencoderWithCentroids;
