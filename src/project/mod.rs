//! Views of high-dimensional points in 2-D for the plots.

pub mod affinity;
pub mod agreement;
pub mod layout;
pub mod neighbours;
mod pca;
mod trust;

pub use pca::{Pca2, pca_2d, principal_axes};
pub use trust::trustworthiness;
