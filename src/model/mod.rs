//! Neural networks as burn modules.

mod autoencoder;

pub use autoencoder::{Autoencoder, AutoencoderConfig, corruption_mask};
