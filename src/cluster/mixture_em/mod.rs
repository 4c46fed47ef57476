//! Neural mixture model trained by batch-wise EM (Tissera, Vithanage, Wijesinghe, Xavier,
//! Jayasena, Fernando & Rodrigo, "Neural Mixture Models with Expectation-Maximization for
//! End-to-end Deep Clustering", Neurocomputing 505, 2022; arXiv 2107.02453).
//!
//! **Source note.** The paper's full text could not be read from where this was written (only
//! its abstract and third-party summaries), so the doc comments here cannot cite its equations
//! by number. What the available text states, and this module does:
//! - the final layer's K neurons, "with the aid of an additional transformation", give the K
//!   cluster densities, and the network's parameters are the distributions' parameters;
//! - that transformation normalises the neuron's input and passes it through a sigmoid,
//!   divided by a constant, so that every component is continuous, non-negative and has the
//!   same integral over the sample space;
//! - training is batch-wise EM: the forward pass is the E-step (responsibilities), the
//!   backward pass the M-step (raising the expected complete-data log-likelihood);
//! - for images the EM objective is fused with a consistency objective over augmentations.
//!
//! The model, in this module's notation. The encoder maps a row to h(x) ∈ ℝᵈ; component k has
//! a direction w_k ∈ ℝᵈ (the final layer's weights). Its normalised input is the cosine
//! s_k(x) = cos(h(x) − c, w_k) ∈ [−1, 1] about the embedding's centre c, and its density is
//!
//! ```text
//! f_k(x) = σ((s_k(x) − 1) / τ) / C          (C the same for every k)
//! ```
//!
//! On the unit sphere ∫ σ((ĥ·ŵ_k − 1)/τ) dĥ is the same for every unit ŵ_k (a rotation maps
//! one onto another), so one constant C normalises all components, and it cancels from the
//! responsibilities and from every gradient. With mixing weights π:
//!
//! ```text
//! E-step (forward):   γ_nk = π_k f_k(x_n) / Σ_j π_j f_j(x_n)              (held fixed)
//! M-step (backward):  one gradient step on L = L_rec + γ_w · (−Q), where
//!                     Q = (1/B) Σ_n Σ_k γ_nk [log π_k + log f_k(x_n)]
//! ```
//!
//! **Choices made here where the available text is silent or where measurement forced a
//! departure**, each stated so it can be checked against the paper:
//! - The sigmoid's input is (s − 1)/τ, at most 0, with τ = 0.1. With s/τ instead, every
//!   component is flat over a whole hemisphere and neighbouring components are all equally
//!   "certain", and accuracy fell as training went on (measurements: docs/DECISIONS.md,
//!   "Neural mixture: the shifted sigmoid"). Shifted, the tail of each component is
//!   exp((s − 1)/τ), a von Mises–Fisher-like bump of concentration 1/τ, and its top stays
//!   bounded.
//! - Cosines are taken about c, the mean embedding when refinement starts: an autoencoder's
//!   codes sit in a narrow cone, where all cosines are near 1 and say nothing (uncentred,
//!   runs ended in one cluster: docs/DECISIONS.md, "Neural mixture: cosines about the
//!   centre"). c stays fixed (moving it every epoch made the clusters oscillate) and is saved
//!   with the model.
//! - Classification EM by default: the M-step uses the E-step's responsibilities hardened to
//!   the most responsible component (Celeux & Govaert 1992); `soft_em` gives the plain soft
//!   version. Soft EM pulls components towards the rows between them; hard EM scored better
//!   where the two differed and the same elsewhere (measurements: docs/DECISIONS.md, "Neural
//!   mixture: classification EM").
//! - π stays uniform (K equal shares). With π re-estimated every batch (the closed-form M-step
//!   as a running mean), big clusters gained weight, gained rows and grew again, until runs
//!   ended in two clusters: the rich-get-richer path to the degenerate solution (measurements:
//!   docs/DECISIONS.md, "Neural mixture: uniform π").
//! - The encoder is pretrained as a (denoising) autoencoder and its decoder kept (γ_w = 0.1,
//!   as IDEC): the representation learning that the paper fuses EM with for images
//!   (consistency over augmentations) does not exist for a table. No k-means anywhere: the w_k
//!   start at the centred embeddings of K rows drawn far apart on the sphere (D² seeding on
//!   cosine distance, without k-means iterations), the best of `n_init` (20) such draws by
//!   the mixture's own log-likelihood, which raised accuracy a little (measurements:
//!   docs/DECISIONS.md, "Neural mixture: seeding").
//! - For images, the consistency term over augmentations: shifted (±2 px at 28 × 28) noisy
//!   copies x̃ of each batch must be likely under the components the E-step chose for the
//!   originals, −Q(x̃; γ(x)), added to −Q(x). Done by the trainer in Rust (the batch is there),
//!   not in the page's worker, so the command line trains the same model. On a subset of
//!   digits its effect was within the spread between seedings; the paper's gain needs its
//!   convolutional network and stronger augmentation (measurements: docs/DECISIONS.md,
//!   "Neural mixture: the consistency term").
//! - τ = 0.1: 0.05 and 0.2 barely moved the tables, and 0.05 did worse on images
//!   (measurements: docs/DECISIONS.md, "Neural mixture: τ").
//!
//! **The degenerate solution** (one component taking everything) is detected after every
//! epoch: a cluster left with under 0.1/K of the rows is dying. It is reported to the user and
//! the classic EM remedy applied: the component is re-seeded at the member of the largest
//! cluster that the largest component explains worst. After K re-seeds the run stops trying
//! and says that the data may hold fewer clusters than K.

mod method;
mod model;
mod rule;

pub use method::METHOD;

pub use model::NeuralMixtureModel;

use burn::tensor::Tensor;

use crate::cluster::l2_normalise;
use burn::tensor::activation::{log_sigmoid, softmax};

/// Default τ.
pub const TEMPERATURE: f32 = 0.1;

/// A component whose weight falls to this share of 1/K is dying.
pub const DYING_SHARE: f32 = 0.1;

/// log f_k(x_n) + log C = log σ(s_nk / τ) for `[batch, d]` embeddings and `[k, d]`
/// component directions; returns `[batch, k]`.
pub fn log_densities(h: Tensor<2>, centre: Tensor<1>, w: Tensor<2>, temperature: f32) -> Tensor<2> {
    let h = h - centre.unsqueeze_dim::<2>(0);
    let cos = unit_rows(h).matmul(unit_rows(w).transpose());
    log_sigmoid(cos.sub_scalar(1.0).div_scalar(temperature))
}

/// Rows scaled to unit length; a tiny floor keeps a zero row finite (and zero).
fn unit_rows(x: Tensor<2>) -> Tensor<2> {
    let norm = x.clone().powi_scalar(2).sum_dim(1).sqrt().clamp_min(1e-12);
    x / norm
}

/// The E-step: γ_nk = π_k f_nk / Σ_j π_j f_nj from `[batch, k]` log densities and `[k]`
/// log mixing weights.
pub fn responsibilities(log_f: Tensor<2>, log_pi: Tensor<1>) -> Tensor<2> {
    softmax(log_f + log_pi.unsqueeze_dim::<2>(0), 1)
}

/// Classification EM's E-step: each row's responsibilities replaced by a one-hot of the
/// largest.
pub fn hardened(resp: Tensor<2>) -> Tensor<2> {
    let [rows, _] = resp.dims();
    let top = resp.clone().argmax(1);
    let ones = Tensor::<2>::ones([rows, 1], &resp.device());
    resp.zeros_like()
        .scatter(1, top, ones, burn::tensor::IndexingUpdateOp::Add)
}

/// −Q: minus the expected complete-data log-likelihood per row, with the E-step's
/// responsibilities `gamma` held fixed.
pub fn negative_expected_log_likelihood(
    log_f: Tensor<2>,
    log_pi: Tensor<1>,
    gamma: Tensor<2>,
) -> Tensor<1> {
    (gamma * (log_f + log_pi.unsqueeze_dim::<2>(0)))
        .sum_dim(1)
        .mean()
        .neg()
}

/// The mixture on the host: what placing rows, scoring a seeding and a saved model need.
#[derive(Debug, Clone, PartialEq)]
pub struct HostMixture {
    /// The point the cosines are taken about; its length is the embedding's width.
    pub centre: Vec<f32>,
    /// Row-major `k × dim` directions (any length).
    pub directions: Vec<f32>,
    /// log π_k.
    pub log_prior: Vec<f32>,
    /// τ of the components σ((cos − 1)/τ).
    pub temperature: f32,
}

impl HostMixture {
    pub fn n_clusters(&self) -> usize {
        self.log_prior.len()
    }

    /// The E-step: row-major `[rows, k]` responsibilities of row-major `rows × dim`
    /// embeddings.
    pub fn posterior(&self, z: &[f32]) -> Vec<f32> {
        let mut joint = self.log_joint(z);
        for row in joint.chunks_exact_mut(self.n_clusters()) {
            let total = log_sum_exp(row);
            row.iter_mut().for_each(|l| *l = (*l - total).exp());
        }
        joint
    }

    /// Σ_n log Σ_k π_k f_k(x_n) + N log C: the mixture's log-likelihood of the rows, up to
    /// the common constant.
    pub fn log_likelihood(&self, z: &[f32]) -> f64 {
        self.log_joint(z)
            .chunks_exact(self.n_clusters())
            .map(|row| log_sum_exp(row) as f64)
            .sum()
    }

    /// log π_k + log f_k(x_n) + log C, row-major `[rows, k]`.
    fn log_joint(&self, z: &[f32]) -> Vec<f32> {
        let dim = self.centre.len();
        let w = l2_normalise(&self.directions, dim);
        let h = centred_directions(z, &self.centre, dim);
        let mut out = Vec::with_capacity(z.len() / dim * self.n_clusters());
        for h in h.chunks_exact(dim) {
            for (wk, lp) in w.chunks_exact(dim).zip(&self.log_prior) {
                let s: f32 = h.iter().zip(wk).map(|(a, b)| a * b).sum();
                out.push(lp + log_sigmoid_scalar((s - 1.0) / self.temperature));
            }
        }
        out
    }
}

fn log_sum_exp(row: &[f32]) -> f32 {
    let top = row.iter().copied().fold(f32::MIN, f32::max);
    top + row.iter().map(|l| (l - top).exp()).sum::<f32>().ln()
}

fn log_sigmoid_scalar(x: f32) -> f32 {
    // log σ(x) = −log(1 + e^−x), written to stay finite for large |x|.
    if x >= 0.0 {
        -(-x).exp().ln_1p()
    } else {
        x - x.exp().ln_1p()
    }
}

/// Directions for the K components: embeddings of K rows spread over the sphere, each drawn
/// with probability proportional to its squared cosine distance from the nearest one drawn
/// (D² seeding, without any k-means iterations). Row-major `k × dim`.
pub fn spread_directions(
    z: &[f32],
    centre: &[f32],
    rows: usize,
    dim: usize,
    k: usize,
    rng: &mut crate::rng::Rng,
) -> Vec<f32> {
    let unit = centred_directions(z, centre, dim);
    let row = |i: usize| &unit[i * dim..(i + 1) * dim];
    let first = rng.below(rows);
    let mut chosen = row(first).to_vec();
    let dist = |i: usize, c: &[f32]| {
        let s: f32 = row(i).iter().zip(c).map(|(a, b)| a * b).sum();
        (1.0 - s).max(0.0).powi(2)
    };
    let mut nearest: Vec<f32> = (0..rows).map(|i| dist(i, row(first))).collect();
    for _ in 1..k {
        let total: f64 = nearest.iter().map(|&d| d as f64).sum();
        let pick = if total > 0.0 {
            let mut target = rng.next_f64() * total;
            let mut pick = rows - 1;
            for (i, &d) in nearest.iter().enumerate() {
                target -= d as f64;
                if target <= 0.0 {
                    pick = i;
                    break;
                }
            }
            pick
        } else {
            rng.below(rows)
        };
        let c = row(pick).to_vec();
        for (i, n) in nearest.iter_mut().enumerate() {
            *n = n.min(dist(i, &c));
        }
        chosen.extend_from_slice(&c);
    }
    chosen
}

/// The best of `n_init` seedings by [`spread_directions`]: the one under which the rows are
/// most likely (equal π). Row-major `k × dim`.
#[allow(clippy::too_many_arguments)]
pub fn best_spread_directions(
    z: &[f32],
    centre: &[f32],
    rows: usize,
    dim: usize,
    k: usize,
    temperature: f32,
    n_init: usize,
    rng: &mut crate::rng::Rng,
) -> Vec<f32> {
    (0..n_init.max(1))
        .map(|_| {
            let mixture = HostMixture {
                centre: centre.to_vec(),
                directions: spread_directions(z, centre, rows, dim, k, rng),
                log_prior: uniform_log_prior(k),
                temperature,
            };
            let ll = mixture.log_likelihood(z);
            (mixture.directions, ll)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("at least one seeding")
        .0
}

/// log π_k = −log K: the mixing weights stay equal (see the module comment).
pub fn uniform_log_prior(k: usize) -> Vec<f32> {
    vec![-(k as f32).ln(); k]
}

/// Row-major `rows × dim` points as unit vectors from `centre` (a point at the centre stays
/// zero): what the components' cosines see.
pub fn centred_directions(z: &[f32], centre: &[f32], dim: usize) -> Vec<f32> {
    let centred: Vec<f32> = z
        .chunks_exact(dim)
        .flat_map(|row| row.iter().zip(centre).map(|(a, c)| a - c))
        .collect();
    l2_normalise(&centred, dim)
}

/// Mean of row-major `rows × dim` points: the centre the cosines are taken about.
pub fn mean_row(z: &[f32], dim: usize) -> Vec<f32> {
    let rows = (z.len() / dim).max(1) as f64;
    let mut sum = vec![0f64; dim];
    for row in z.chunks_exact(dim) {
        for (s, v) in sum.iter_mut().zip(row) {
            *s += *v as f64;
        }
    }
    sum.iter().map(|s| (s / rows) as f32).collect()
}

#[cfg(test)]
mod tests;
