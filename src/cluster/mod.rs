//! Clustering methods. Each folder holds one method; shared maths lives beside them.

pub mod dec;
pub mod gmm;
pub mod kmeans;

/// Squared Euclidean distance.
pub(crate) fn sq_dist(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}
