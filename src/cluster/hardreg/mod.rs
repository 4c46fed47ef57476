//! Hard-assignment regularised online clustering (Mahon & Lukasiewicz, "Hard regularization to
//! prevent deep online clustering collapse without data augmentation", AAAI 2024).
//!
//! Clusters are Gaussians in the embedding space, so assigning z_i to cluster k costs
//! c_ik = ‖z_i − μ_k‖² / (2σ²), its negative log-likelihood up to a constant. Each batch is
//! assigned greedily: repeatedly take the unassigned point and cluster with the smallest
//! c_ik + log(n_k + 1), where n_k counts the batch's points already given to k. The
//! log(n_k + 1) term is the paper's regulariser (from the cost of encoding the assignment
//! under a uniform prior): piling points into one cluster gets more expensive with each one,
//! which prevents the collapsed solution without any data augmentation. The paper's loss is
//! the mean cost c_ik of the chosen assignments, minimised over encoder and centres; at
//! prediction time each point goes to its nearest centre. Nothing needs the whole data set, so
//! it trains on data streamed batch by batch.
//!
//! Not the paper's: the decoder is kept and the loss is reconstruction + γ · mean chosen cost
//! (γ = 0.1, as IDEC keeps it for DEC). The regulariser balances the *assignments*, not the
//! embedding: with the cost alone the encoder learns to pull every row together, while the
//! log-count term still hands each batch out evenly, so the labels become arbitrary. Long
//! refinements on large image sets showed it: the cost alone scored far below the kept
//! reconstruction, and re-estimating σ² every epoch (so that shrinking cannot pay) was worse
//! still; on short refinements the two losses score alike. The authors train from scratch for
//! 10 epochs and report the epoch with the best NMI, which needs labels; a run here has no
//! labels to stop on (measurements: docs/DECISIONS.md, "Hard-regularised method: the decoder
//! kept").
//!
//! Choices the paper leaves open, taken here: the encoder is pretrained as an autoencoder and
//! the centres start from k-means in its embedding (the paper's code starts centres at data
//! points); σ² is the mean within-cluster variance per dimension of that k-means partition
//! (the paper's code fixes Σ⁻¹ = 0.01·I for its image features), so costs and the log-count
//! term have comparable scales whatever the data's units.

mod assign;
mod loss;
mod method;

pub use assign::{greedy_assign, within_cluster_variance};
pub use loss::{chosen_cost_loss, hardreg_loss, reconstruction_and_costs};
pub use method::METHOD;
