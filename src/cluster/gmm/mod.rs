//! Gaussian mixture fitted by EM (Dempster, Laird & Rubin 1977), diagonal or full covariance,
//! initialised from k-means like scikit-learn's `GaussianMixture`.

mod fit;
mod method;
mod params;
mod rule;

pub use fit::{GaussianMixture, MixtureParts};
pub use method::{METHOD, labels_from_mixture};
pub use params::{Covariance, GmmParams, GmmParamsError, GmmValidParams};
