//! Views of high-dimensional points in 2-D for the plots.

mod pca;

pub use pca::pca_2d;
