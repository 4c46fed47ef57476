//! Views of high-dimensional points in 2-D for the plots.

mod pca;

pub use pca::{Pca2, pca_2d};
