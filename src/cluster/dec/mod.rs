//! Deep Embedded Clustering (Xie, Girshick & Farhadi 2016).
//!
//! Soft assignment of embedded point z_i to centre μ_j with a Student-t kernel,
//! q_ij ∝ (1 + ‖z_i − μ_j‖² / α)^(−(α+1)/2); a sharpened target
//! p_ij ∝ q_ij² / f_j with f_j = Σ_i q_ij (which also stops large clusters from swallowing
//! small ones); and the loss KL(P‖Q), minimised over encoder weights and centres.
//!
//! The plain-Rust functions here work on read-back values (targets are computed over the
//! whole data set); [`loss`] holds the same formulas on tensors for training.

pub mod loss;
mod method;
mod rule;
mod targets;

pub use loss::dec_loss;
pub use method::{CentroidLoss, CentroidRefinement, METHOD, UPDATE};
pub use rule::StudentT;
pub use targets::{kl_divergence, soft_assignment, target_distribution};
