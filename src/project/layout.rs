//! UMAP's layout: coordinates for every point, moved by stochastic gradient descent so that
//! neighbours in the input attract and random pairs repel (McInnes, Healy & Melville 2018,
//! section 3.2 and appendix C; the schedule and gradients of umap-learn's
//! `optimize_layout_euclidean`). N2D (McConville et al. 2020) runs exactly this on the
//! autoencoder's embedding, with as many output dimensions as clusters and min_dist 0, and
//! the 2-D map view runs it with UMAP's defaults.
//!
//! With q(d²) = 1 / (1 + a·d²ᵇ), an edge (i, j) sampled in proportion to its weight pulls
//! y_i and y_j together along the gradient of −log q, and each of its negative samples n
//! pushes y_i away along the gradient of −log(1 − q):
//! attraction `−2ab·d²⁽ᵇ⁻¹⁾ / (1 + a·d²ᵇ)`, repulsion `2b / ((0.001 + d²)(1 + a·d²ᵇ))`,
//! each coordinate's step clipped to ±4, the learning rate falling linearly to 0.

use super::affinity::{Affinities, fuzzy_affinities, query_memberships};
use super::neighbours::{Neighbours, nearest_in, nearest_neighbours};
use super::pca::principal_axes;
use crate::rng::Rng;

/// UMAP's fit of 1/(1 + a·d^2b) to its min_dist curve (umap-learn `find_ab_params(1, d)`,
/// computed with scipy's curve_fit): min_dist 0 (N2D) and 0.1 (UMAP's default, the map).
pub const AB_MIN_DIST_0: (f32, f32) = (1.932_808_4, 0.790_495);
pub const AB_MIN_DIST_01: (f32, f32) = (1.576_943_5, 0.895_060_9);

const CLIP: f32 = 4.0;

/// Settings of one layout.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutConfig {
    pub out_dim: usize,
    pub n_neighbors: usize,
    /// `(a, b)` of the output similarity.
    pub ab: (f32, f32),
    /// Passes over the graph; `None`: UMAP's 500 up to 10,000 points, 200 above.
    pub epochs: Option<usize>,
    /// Repulsive samples per attractive one.
    pub negatives: usize,
    pub learning_rate: f32,
    pub seed: u64,
}

impl LayoutConfig {
    /// A manifold to cluster in, as N2D fits it: 20 neighbours, min_dist 0, as many
    /// dimensions as clusters.
    pub fn manifold(n_clusters: usize, seed: u64) -> Self {
        Self {
            out_dim: n_clusters,
            n_neighbors: 20,
            ab: AB_MIN_DIST_0,
            epochs: None,
            negatives: 5,
            learning_rate: 1.0,
            seed,
        }
    }

    /// A 2-D picture: UMAP's defaults (15 neighbours, min_dist 0.1).
    pub fn map_2d(seed: u64) -> Self {
        Self {
            out_dim: 2,
            n_neighbors: 15,
            ab: AB_MIN_DIST_01,
            ..Self::manifold(2, seed)
        }
    }

    fn epochs_for(&self, rows: usize) -> usize {
        self.epochs
            .unwrap_or(if rows <= 10_000 { 500 } else { 200 })
            .max(1)
    }
}

/// The edges to sample and when each is next due (umap-learn's `epochs_per_sample`): an edge
/// of the largest weight is sampled every epoch, one of weight w every `w_max / w` epochs,
/// and edges that would be sampled less than once in the whole fit are dropped.
#[derive(Debug, Clone)]
struct Schedule {
    head: Vec<u32>,
    tail: Vec<u32>,
    every: Vec<f32>,
    next: Vec<f32>,
    every_negative: Vec<f32>,
    next_negative: Vec<f32>,
}

impl Schedule {
    fn new(edges: impl Iterator<Item = (u32, u32, f32)>, epochs: usize, negatives: usize) -> Self {
        let edges: Vec<(u32, u32, f32)> = edges.collect();
        let top = edges.iter().map(|e| e.2).fold(0.0f32, f32::max);
        let kept = edges
            .into_iter()
            .filter(|e| e.2 > 0.0 && e.2 >= top / epochs as f32);
        let (mut head, mut tail, mut every) = (Vec::new(), Vec::new(), Vec::new());
        for (i, j, w) in kept {
            head.push(i);
            tail.push(j);
            every.push(top / w);
        }
        let every_negative: Vec<f32> = every.iter().map(|e| e / negatives.max(1) as f32).collect();
        Self {
            head,
            tail,
            next: every.clone(),
            next_negative: every_negative.clone(),
            every,
            every_negative,
        }
    }

    /// One epoch (`n`, from 0) of SGD at learning rate `alpha`. Heads are rows of `y`; tails
    /// and negative samples are rows of `fixed` when given (placing new points: only they
    /// move), else rows of `y`, and then tails move too. Returns the summed cross-entropy
    /// terms of the samples it drew (−log q per edge, −log(1 − q) per negative) and their
    /// number: the loss curve the page draws.
    #[allow(clippy::too_many_arguments)]
    fn epoch(
        &mut self,
        n: usize,
        alpha: f32,
        y: &mut [f32],
        fixed: Option<&[f32]>,
        dim: usize,
        (a, b): (f32, f32),
        negatives_from: usize,
        rng: &mut Rng,
    ) -> (f64, usize) {
        let n = n as f32;
        let (mut loss, mut count) = (0f64, 0usize);
        let mut current = vec![0f32; dim];
        let mut other = vec![0f32; dim];
        for e in 0..self.head.len() {
            if self.next[e] > n {
                continue;
            }
            let (h, t) = (self.head[e] as usize, self.tail[e] as usize);
            current.copy_from_slice(&y[h * dim..(h + 1) * dim]);
            other.copy_from_slice(match fixed {
                Some(f) => &f[t * dim..(t + 1) * dim],
                None => &y[t * dim..(t + 1) * dim],
            });
            let d2 = sq(&current, &other);
            let p = d2.powf(b);
            loss += (a * p).ln_1p() as f64;
            count += 1;
            let coeff = if d2 > 0.0 {
                -2.0 * a * b * (p / d2) / (a * p + 1.0)
            } else {
                0.0
            };
            for d in 0..dim {
                let g = (coeff * (current[d] - other[d])).clamp(-CLIP, CLIP) * alpha;
                current[d] += g;
                if fixed.is_none() {
                    y[t * dim + d] -= g;
                }
            }
            self.next[e] += self.every[e];

            let due = ((n - self.next_negative[e]) / self.every_negative[e]).max(0.0) as usize;
            for _ in 0..due {
                let k = rng.below(negatives_from);
                if fixed.is_none() && k == h {
                    continue;
                }
                other.copy_from_slice(match fixed {
                    Some(f) => &f[k * dim..(k + 1) * dim],
                    None => &y[k * dim..(k + 1) * dim],
                });
                let d2 = sq(&current, &other);
                if d2 <= 0.0 {
                    continue; // coincident points: no direction to push in
                }
                let p = d2.powf(b);
                loss += (1.0 / (a * p)).ln_1p() as f64;
                count += 1;
                let coeff = 2.0 * b / ((0.001 + d2) * (a * p + 1.0));
                for d in 0..dim {
                    current[d] += (coeff * (current[d] - other[d])).clamp(-CLIP, CLIP) * alpha;
                }
            }
            self.next_negative[e] += due as f32 * self.every_negative[e];
            y[h * dim..(h + 1) * dim].copy_from_slice(&current);
        }
        (loss, count)
    }
}

fn sq(x: &[f32], y: &[f32]) -> f32 {
    x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum()
}

/// A layout in progress.
#[derive(Debug, Clone)]
pub struct LayoutFit {
    /// The layout so far: settings, input points and their current coordinates.
    layout: Layout,
    /// Each point's neighbours in the input, which the graph was made of.
    neighbours: Neighbours,
    schedule: Schedule,
    epoch: usize,
    epochs: usize,
    rng: Rng,
}

/// A finished layout: the input points and their coordinates, enough to place new points of
/// the same space (UMAP's `transform`).
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub config: LayoutConfig,
    pub dim: usize,
    /// Row-major `rows × dim` inputs.
    pub inputs: Vec<f32>,
    /// Row-major `rows × out_dim` coordinates.
    pub coords: Vec<f32>,
}

impl LayoutFit {
    /// Neighbours, affinities and the starting coordinates of `z` (row-major `rows × dim`,
    /// `rows` ≥ 2): its principal components, each scaled to [0, 10] as UMAP scales its
    /// initial layout; dimensions beyond `dim` start uniform in [0, 10].
    pub fn new(z: &[f32], rows: usize, dim: usize, config: LayoutConfig) -> Self {
        Self::starting_at(z, rows, dim, config, None)
    }

    /// As [`new`](Self::new), but starting from given coordinates (row-major
    /// `rows × out_dim`) when they fit: a map redrawn while training goes on moves from its
    /// last picture instead of jumping to a new one.
    pub fn starting_at(
        z: &[f32],
        rows: usize,
        dim: usize,
        config: LayoutConfig,
        start: Option<&[f32]>,
    ) -> Self {
        assert!(rows >= 2 && z.len() == rows * dim);
        let k = config.n_neighbors.min(rows - 1);
        let neighbours = nearest_neighbours(z, rows, dim, k, config.seed);
        let graph: Affinities = fuzzy_affinities(&neighbours);
        let epochs = config.epochs_for(rows);
        let schedule = Schedule::new(graph.edges.into_iter(), epochs, config.negatives);
        let mut rng = Rng::new(config.seed);
        let y = match start {
            Some(s) if s.len() == rows * config.out_dim => s.to_vec(),
            _ => initial_layout(z, rows, dim, config.out_dim, &mut rng),
        };
        Self {
            layout: Layout {
                config,
                dim,
                inputs: z.to_vec(),
                coords: y,
            },
            neighbours,
            schedule,
            epoch: 0,
            epochs,
            rng,
        }
    }

    pub fn done(&self) -> bool {
        self.epoch >= self.epochs
    }
    pub fn progress(&self) -> f32 {
        self.epoch as f32 / self.epochs as f32
    }
    pub fn total_epochs(&self) -> usize {
        self.epochs
    }
    /// Runs up to `n` epochs; returns the mean loss of their samples (NaN when none ran).
    pub fn epochs(&mut self, n: usize) -> f32 {
        let (mut loss, mut count) = (0f64, 0usize);
        for _ in 0..n {
            if self.done() {
                break;
            }
            let rows = self.layout.rows();
            let Layout { config, coords, .. } = &mut self.layout;
            let alpha = config.learning_rate * (1.0 - self.epoch as f32 / self.epochs as f32);
            let (l, c) = self.schedule.epoch(
                self.epoch,
                alpha,
                coords,
                None,
                config.out_dim,
                config.ab,
                rows,
                &mut self.rng,
            );
            self.epoch += 1;
            loss += l;
            count += c;
        }
        (loss / count as f64) as f32
    }

    /// Current coordinates, row-major `rows × out_dim`.
    pub fn coords(&self) -> &[f32] {
        &self.layout.coords
    }

    /// Each point's nearest other points in the input, nearest first.
    pub fn neighbours(&self) -> &Neighbours {
        &self.neighbours
    }

    /// The layout as it stands, to place new points or to keep.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }
}

fn initial_layout(z: &[f32], rows: usize, dim: usize, out: usize, rng: &mut Rng) -> Vec<f32> {
    let (mean, axes) = principal_axes(z, rows, dim, out);
    let mut y = vec![0f32; rows * out];
    for (r, x) in z.chunks_exact(dim).enumerate() {
        for c in 0..out {
            y[r * out + c] = match axes.get(c) {
                Some(axis) => x
                    .iter()
                    .zip(&mean)
                    .zip(axis)
                    .map(|((&v, m), w)| (v as f64 - m) * w)
                    .sum::<f64>() as f32,
                None => rng.next_f64() as f32,
            };
        }
    }
    for c in 0..out {
        let column = || y.iter().skip(c).step_by(out);
        let lo = column().copied().fold(f32::INFINITY, f32::min);
        let hi = column().copied().fold(f32::NEG_INFINITY, f32::max);
        let scale = if hi > lo { 10.0 / (hi - lo) } else { 0.0 };
        for r in 0..rows {
            // A little noise, as UMAP adds, so points that coincide can separate.
            let v = &mut y[r * out + c];
            *v = (*v - lo) * scale + 1e-4 * rng.normal() as f32;
        }
    }
    y
}

impl Layout {
    pub fn rows(&self) -> usize {
        self.inputs.len() / self.dim.max(1)
    }
    pub fn out_dim(&self) -> usize {
        self.config.out_dim
    }

    /// Places new row-major points of the input space, as UMAP's `transform` does: each
    /// starts at the membership-weighted mean of its reference neighbours' coordinates, then
    /// moves for a third of the fit's 100 epochs against the fixed reference layout. Unlike
    /// umap-learn, each point is placed on its own (its edges' schedule from its own weights,
    /// its negative samples from a generator seeded by its values), so a row's place, and so
    /// its cluster, does not depend on the other rows given with it or their order. A point
    /// equal to one the layout was fitted on takes that point's place instead (umap-learn
    /// would move it a little): a saved model then gives its training rows the clusters
    /// training gave them. Returns row-major `rows × out_dim`.
    pub fn transform(&self, z: &[f32]) -> Vec<f32> {
        self.place(z).0
    }

    /// [`transform`](Self::transform), and each new point's nearest reference points other
    /// than the one it equals (as a fitted point's neighbours leave the point out), from the
    /// same search.
    pub fn place(&self, z: &[f32]) -> (Vec<f32>, Neighbours) {
        let (dim, out) = (self.dim, self.config.out_dim);
        let new_rows = z.len() / dim;
        let k = self.config.n_neighbors.min(self.rows());
        // One more than placing takes, so that `k` remain without a point's own copy.
        let wider = (self.config.n_neighbors.min(self.rows() - 1) + 1).max(k);
        let near = nearest_in(&self.inputs, z, dim, wider);
        let mut y = vec![0f32; new_rows * out];
        let epochs = 100 / 3;
        for (i, (idx, d)) in near
            .indices
            .chunks_exact(wider)
            .zip(near.distances.chunks_exact(wider))
            .enumerate()
        {
            let (idx, d) = (&idx[..k], &d[..k]);
            let place = &mut y[i * out..(i + 1) * out];
            if d[0] == 0.0 {
                let j = idx[0] as usize;
                place.copy_from_slice(&self.coords[j * out..(j + 1) * out]);
                continue;
            }
            let w = query_memberships(d);
            let total: f32 = w.iter().sum();
            for (&j, &wj) in idx.iter().zip(&w) {
                let j = j as usize;
                for c in 0..out {
                    place[c] += wj / total * self.coords[j * out + c];
                }
            }
            let edges = idx.iter().zip(&w).map(|(&j, &wj)| (0u32, j, wj));
            let mut schedule = Schedule::new(edges, epochs, self.config.negatives);
            let mut rng = Rng::new(self.config.seed ^ 0x5eed ^ values_hash(&z[i * dim..(i + 1) * dim]));
            for n in 0..epochs {
                let alpha = self.config.learning_rate * (1.0 - n as f32 / epochs as f32);
                schedule.epoch(
                    n,
                    alpha,
                    place,
                    Some(&self.coords),
                    out,
                    self.config.ab,
                    self.rows(),
                    &mut rng,
                );
            }
        }
        (y, others(near))
    }
}

/// `near` (each row one longer than wanted) without each row's own copy, the nearest when at
/// distance 0, else without its farthest.
fn others(near: Neighbours) -> Neighbours {
    let k = near.k - 1;
    let mut indices = Vec::with_capacity(near.indices.len() / near.k.max(1) * k);
    let mut distances = Vec::with_capacity(indices.capacity());
    let rows = near.indices.chunks_exact(near.k);
    for (idx, d) in rows.zip(near.distances.chunks_exact(near.k)) {
        let from = usize::from(d[0] == 0.0);
        indices.extend_from_slice(&idx[from..from + k]);
        distances.extend_from_slice(&d[from..from + k]);
    }
    Neighbours {
        k,
        indices,
        distances,
    }
}

/// FNV-1a over the bits of `values`: a seed that is the same for the same row wherever it is.
fn values_hash(values: &[f32]) -> u64 {
    values.iter().flat_map(|v| v.to_bits().to_le_bytes()).fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::project::trustworthiness;

    /// `clouds` well separated Gaussian clouds of `per` points in `dim` dimensions.
    fn clouds(clouds: usize, per: usize, dim: usize, seed: u64) -> Vec<f32> {
        let mut rng = Rng::new(seed);
        // Cloud c is centred 6 along axis c (c < dim).
        (0..clouds * per * dim)
            .map(|i| {
                let (cloud, axis) = (i / dim / per, i % dim);
                rng.normal() as f32 * 0.3 + if axis == cloud { 6.0 } else { 0.0 }
            })
            .collect()
    }

    fn nearest_is_own_cloud(y: &[f32], out: usize, per: usize) -> f64 {
        let rows = y.len() / out;
        let kept = (0..rows)
            .filter(|&i| {
                let nearest = (0..rows)
                    .filter(|&j| j != i)
                    .min_by(|&a, &b| {
                        sq(&y[i * out..(i + 1) * out], &y[a * out..(a + 1) * out])
                            .total_cmp(&sq(&y[i * out..(i + 1) * out], &y[b * out..(b + 1) * out]))
                    })
                    .unwrap();
                nearest / per == i / per
            })
            .count();
        kept as f64 / rows as f64
    }

    #[test]
    fn one_attractive_step_by_hand() {
        // a = b = 1, two points at distance 1 (d² = 1): coefficient −2·1·1·1/(1 + 1) = −1, so
        // each moves 1·α towards the other. No negatives.
        let mut s = Schedule::new([(0u32, 1u32, 1.0f32)].into_iter(), 1, 0);
        s.every_negative = vec![f32::INFINITY];
        s.next_negative = vec![f32::INFINITY];
        let mut y = vec![0.0, 0.0, 1.0, 0.0];
        // As in umap-learn, an edge of the top weight is first due at epoch 1.
        s.epoch(0, 0.25, &mut y, None, 2, (1.0, 1.0), 2, &mut Rng::new(0));
        assert_eq!(y, [0.0, 0.0, 1.0, 0.0]);
        let (loss, samples) = s.epoch(1, 0.25, &mut y, None, 2, (1.0, 1.0), 2, &mut Rng::new(0));
        assert_eq!(y, [0.25, 0.0, 0.75, 0.0]);
        // Its loss term: −log q = log(1 + a·d²ᵇ) = log 2, before the step.
        assert_eq!(samples, 1);
        assert!((loss - 2f64.ln()).abs() < 1e-6, "{loss}");
        assert_eq!(s.next, [2.0], "due again one epoch later");
    }

    #[test]
    fn one_repulsive_step_by_hand() {
        // Placing point 0 (at the origin) against a fixed reference at x = 2, d² = 4, with the
        // edge to that same reference point. a = b = 1. Attraction: −2/(1 + 4) = −0.4, step
        // −0.4·(0 − 2)·α = 0.8α towards it; repulsion from the only reference point (now at
        // d² = (2 − 0.8α)²) pushes back by 2/((0.001 + d²)(1 + d²))·(x − 2)·α.
        let mut s = Schedule::new([(0u32, 0u32, 1.0f32)].into_iter(), 10, 1);
        // Due at epoch 1 with one negative: next_negative = 0, every_negative = 1.
        s.next_negative = vec![0.0];
        s.next = vec![0.0];
        let fixed = [2.0f32, 0.0];
        let mut y = vec![0.0f32, 0.0];
        let alpha = 0.5;
        let (loss, samples) = s.epoch(
            1,
            alpha,
            &mut y,
            Some(&fixed),
            2,
            (1.0, 1.0),
            1,
            &mut Rng::new(0),
        );
        let x1 = 0.8 * alpha;
        let d2 = (2.0 - x1) * (2.0 - x1);
        // Loss: log(1 + 4) for the edge at d² = 4, then −log(1 − q) = log(1 + 1/d²) for the
        // negative at the moved point's d².
        assert_eq!(samples, 2);
        let want = 5f64.ln() + (1.0 + 1.0 / d2 as f64).ln();
        assert!((loss - want).abs() < 1e-5, "{loss} vs {want}");
        let push = (2.0 / ((0.001 + d2) * (1.0 + d2)) * (x1 - 2.0)).clamp(-4.0, 4.0) * alpha;
        assert!((y[0] - (x1 + push)).abs() < 1e-6, "{y:?}");
        assert_eq!(y[1], 0.0);
    }

    #[test]
    fn gradients_are_clipped() {
        // b = 0.3: the pull 2ab·d^(2b−1) grows without bound as d → 0 (0.6·d^−0.4 ≈ 150 at
        // d = 10⁻⁶); each coordinate's step is clipped to 4.
        let mut s = Schedule::new([(0u32, 1u32, 1.0f32)].into_iter(), 1, 0);
        s.next_negative = vec![f32::INFINITY];
        let mut y = vec![0.0, 0.0, 1e-6, 0.0];
        s.epoch(1, 1.0, &mut y, None, 2, (1.0, 0.3), 2, &mut Rng::new(0));
        assert_eq!(y[0], 4.0);
        assert!((y[2] + 4.0).abs() < 1e-5, "{y:?}");
    }

    #[test]
    fn weak_edges_are_sampled_less_often_or_dropped() {
        let s = Schedule::new(
            [(0, 1, 1.0), (1, 2, 0.25), (2, 3, 0.001)].into_iter(),
            200,
            5,
        );
        assert_eq!(s.head, [0, 1], "weight below max/epochs is dropped");
        assert_eq!(s.every, [1.0, 4.0]);
        assert_eq!(s.every_negative, [0.2, 0.8]);
    }

    #[test]
    fn clouds_stay_apart_and_neighbours_are_kept() {
        let (per, dim) = (60, 6);
        let z = clouds(4, per, dim, 3);
        let rows = 4 * per;
        let mut fit = LayoutFit::new(&z, rows, dim, LayoutConfig::map_2d(7));
        assert!(!fit.done());
        let early = fit.epochs(10);
        fit.epochs(fit.total_epochs() - 20);
        let late = fit.epochs(usize::MAX);
        assert!(late < 0.8 * early, "loss {early} → {late}");
        assert!(fit.done() && fit.progress() == 1.0);
        assert!(fit.epochs(1).is_nan(), "nothing left to run");
        let y = fit.coords().to_vec();
        assert!(y.iter().all(|v| v.is_finite()));
        assert!(nearest_is_own_cloud(&y, 2, per) > 0.99);
        let t = trustworthiness(&z, dim, &y, 2, 10);
        assert!(t > 0.9, "trustworthiness {t}");
        // Seeded: the same settings give the same layout.
        let mut again = LayoutFit::new(&z, rows, dim, LayoutConfig::map_2d(7));
        again.epochs(usize::MAX);
        assert_eq!(again.coords(), &y[..]);
    }

    #[test]
    fn more_output_dimensions_than_inputs() {
        let (per, dim) = (40, 2);
        let z = clouds(3, per, dim, 5);
        let mut config = LayoutConfig::manifold(5, 1);
        config.epochs = Some(100);
        let mut fit = LayoutFit::new(&z, 3 * per, dim, config);
        fit.epochs(usize::MAX);
        assert!(nearest_is_own_cloud(fit.coords(), 5, per) > 0.99);
    }

    #[test]
    fn new_points_land_beside_their_neighbours() {
        let (per, dim) = (60, 6);
        let z = clouds(3, per, dim, 11);
        let mut fit = LayoutFit::new(&z, 3 * per, dim, LayoutConfig::map_2d(2));
        fit.epochs(usize::MAX);
        let layout = fit.layout();
        // Fresh points from the same clouds: nearest layout point is from the right cloud.
        let fresh = clouds(3, 10, dim, 99);
        let placed = layout.transform(&fresh);
        assert_eq!(placed.len(), 30 * 2);
        for (i, p) in placed.chunks_exact(2).enumerate() {
            let nearest = (0..3 * per)
                .min_by(|&a, &b| {
                    sq(p, &layout.coords[a * 2..a * 2 + 2])
                        .total_cmp(&sq(p, &layout.coords[b * 2..b * 2 + 2]))
                })
                .unwrap();
            assert_eq!(nearest / per, i / 10, "point {i} at {p:?}");
        }
        assert!(layout.transform(&[]).is_empty());
        // A point's place is its own: the same alone, among others, or with them reversed.
        let reversed: Vec<f32> = fresh.chunks_exact(dim).rev().flatten().copied().collect();
        let back: Vec<f32> = layout.transform(&reversed).chunks_exact(2).rev().flatten().copied().collect();
        assert_eq!(back, placed);
        assert_eq!(layout.transform(&fresh[7 * dim..8 * dim]), placed[7 * 2..8 * 2]);
        // Started from a finished layout, a short refit keeps the clouds where they were.
        let mut config = LayoutConfig::map_2d(2);
        config.epochs = Some(20);
        let moved = |start: Option<&[f32]>| {
            let mut again = LayoutFit::starting_at(&z, 3 * per, dim, config.clone(), start);
            again.epochs(usize::MAX);
            again
                .coords()
                .chunks_exact(2)
                .zip(layout.coords.chunks_exact(2))
                .map(|(a, b)| sq(a, b).sqrt())
                .fold(0.0f32, f32::max)
        };
        let (warm, cold) = (moved(Some(&layout.coords)), moved(None));
        assert!(
            warm < 0.4 * cold,
            "moved up to {warm} from the last map, {cold} from scratch"
        );
        // Points the layout was fitted on keep their places.
        assert_eq!(layout.transform(&z[..3 * dim]), layout.coords[..3 * 2]);
    }
}
