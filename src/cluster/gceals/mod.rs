//! G-CEALS: Gaussian Cluster Embedding in Autoencoder Latent Space (Rabbani, Medri & Samad
//! 2023, "Deep clustering of tabular data by weighted Gaussian distribution learning"),
//! following the authors' published code where the paper is terse.
//!
//! Clusters are Gaussians in the autoencoder's embedding with learned centres μ_j and learned
//! diagonal covariances Σ_j (kept positive through a softplus). The cluster distribution is
//! p_ij = softmax_j(−d_M(z_i, μ_j; Σ_j)), d_M the Mahalanobis distance; it is reweighted by
//! cluster weights ω_j and used as the target of a small softmax head (embedding → embedding →
//! k) that gives q. The loss is reconstruction MSE + γ·CE(ω ⊙ p, q) with γ = 0.1; gradients
//! reach the encoder, the head, μ and Σ (the target is not detached). Every epoch the weights
//! are re-estimated as ω_j = mean_i p_ij (they start uniform), labels are argmax_j p_ij, and
//! training stops early once some ω_j falls to 0.1/K or below: that cluster is being absorbed.
//! Minibatches hold equal numbers of points from each k-means cluster of the initial
//! embedding, so small clusters are not drowned out.
//!
//! Choices taken here: μ starts from k-means in the pretrained embedding and Σ = I, as in the
//! authors' code; ω ⊙ p is used unnormalised as the cross-entropy target, also as there.

mod loss;
mod method;
mod model;
mod rule;
mod targets;

pub use loss::{gaussian_cluster_distribution, gceals_loss};
pub use method::METHOD;
pub use model::GcealsModel;
pub use rule::Gaussians;
pub use targets::{cluster_weights, gaussian_target};
