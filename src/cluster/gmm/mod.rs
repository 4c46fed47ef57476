//! Gaussian mixture fitted by EM (Dempster, Laird & Rubin 1977), diagonal or full covariance,
//! initialised from k-means like scikit-learn's `GaussianMixture`.

mod fit;
mod params;

pub use fit::{GaussianMixture, MixtureParts};
pub use params::{Covariance, GmmParams, GmmParamsError, GmmValidParams};
