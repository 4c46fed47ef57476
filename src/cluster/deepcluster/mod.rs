//! DeepCluster (Caron, Bojanowski, Joulin & Douze, ECCV 2018), for feature vectors.
//!
//! Alternates two steps, once per epoch: k-means on the current (L2-normalised) embeddings of
//! all points gives pseudo-labels; then the encoder and a freshly initialised linear classifier
//! are trained for one epoch to predict them with cross-entropy. Batches are drawn uniformly
//! over pseudo-labels, so a big cluster cannot dominate the gradient (the paper's remedy for
//! trivial solutions on the input side), and an empty cluster in k-means is re-seeded from a
//! perturbed copy of a non-empty centre (its remedy on the clustering side).
//!
//! Choices that differ from the paper, and why: the encoder starts from the same pretrained
//! autoencoder as the other methods (the paper trains a convnet from random weights with heavy
//! image augmentation, which tabular data does not have); features are L2-normalised but not
//! PCA-whitened (the embeddings here have ≤ 10 dimensions, not 4096).

mod method;
mod model;

pub use method::METHOD;
pub use model::DeepClusterModel;

pub use crate::cluster::l2_normalise;

#[cfg(test)]
mod tests {
    #[test]
    fn rows_get_unit_length() {
        assert_eq!(
            super::l2_normalise(&[3.0, 4.0, 0.0, 0.0], 2),
            vec![0.6, 0.8, 0.0, 0.0]
        );
    }
}
