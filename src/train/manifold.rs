//! Parametric UMAP: a small network trained so that points that are neighbours in a fixed
//! embedding stay close in its output and others are pushed apart. Used for the 2-D map view
//! and, with as many outputs as clusters, by N2D (McConville et al. 2020: autoencoder →
//! manifold → Gaussian mixture).
//!
//! Loss (UMAP's cross-entropy, McInnes et al. 2018 eq. 3/appendix C, as parametric UMAP
//! trains it): for an edge (i, j) sampled with probability ∝ its affinity, and `m` random
//! points n, with q(d²) = 1 / (1 + a·d²ᵇ):
//! `L = −log q(‖y_i − y_j‖²) − Σ_n log(1 − q(‖y_i − y_n‖²))`, averaged over the batch's edges.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Tensor, TensorData};

use super::trainer::{TrainError, read_back};
use crate::data::Scaling;
use crate::model::MapNet;
use crate::project::affinity::{Affinities, fuzzy_affinities};
use crate::project::neighbours::nearest_neighbours;
use crate::rng::Rng;

/// UMAP's fit of 1/(1 + a·d^2b) to its min_dist curve (umap-learn `find_ab_params(1, d)`,
/// computed with scipy's curve_fit): min_dist 0 (N2D) and 0.1 (UMAP's default, the map).
pub const AB_MIN_DIST_0: (f32, f32) = (1.932_808_4, 0.790_495);
pub const AB_MIN_DIST_01: (f32, f32) = (1.576_943_5, 0.895_060_9);

/// Settings of one manifold fit.
#[derive(Debug, Clone, PartialEq)]
pub struct ManifoldConfig {
    pub out_dim: usize,
    pub n_neighbors: usize,
    /// `(a, b)` of the output similarity.
    pub ab: (f32, f32),
    pub hidden: usize,
    /// Edges per batch.
    pub batch: usize,
    pub negatives: usize,
    pub lr: f64,
    /// Passes over the edges, by weight (an edge of weight 1 is drawn about this often).
    pub epochs: usize,
    /// Bounds on the number of batches, whatever the data size: small sets have few edges,
    /// and a network needs some hundreds of Adam steps to learn any map at all.
    pub min_steps: usize,
    pub max_steps: usize,
    pub seed: u64,
}

impl ManifoldConfig {
    /// N2D's settings: 20 neighbours, min_dist 0, as many dimensions as clusters.
    pub fn n2d(n_clusters: usize, seed: u64) -> Self {
        Self {
            out_dim: n_clusters,
            n_neighbors: 20,
            ab: AB_MIN_DIST_0,
            hidden: 100,
            batch: 512,
            negatives: 5,
            lr: 1e-3,
            epochs: 30,
            min_steps: 1000,
            max_steps: 6000,
            seed,
        }
    }

    /// A 2-D picture: UMAP's defaults (15 neighbours, min_dist 0.1).
    pub fn map_2d(seed: u64) -> Self {
        Self {
            out_dim: 2,
            n_neighbors: 15,
            ab: AB_MIN_DIST_01,
            ..Self::n2d(2, seed)
        }
    }
}

/// The mean batch loss of [`umap_loss`] on host values, for tests and checks:
/// `pairs` are squared distances of the edge (first) and of its negatives.
pub fn umap_pair_loss(edge_d2: f32, negative_d2: &[f32], (a, b): (f32, f32)) -> f32 {
    let s = |d2: f32| a * (d2 + D2_EPS).powf(b);
    (1.0 + s(edge_d2)).ln()
        + negative_d2
            .iter()
            .map(|&d| (1.0 + 1.0 / s(d)).ln())
            .sum::<f32>()
}

/// Keeps d²ᵇ differentiable at 0 and bounds the repulsion of coincident points (UMAP adds
/// 0.001 to d² in its repulsive gradient for the same reason).
const D2_EPS: f32 = 1e-3;

/// `y` holds `[heads; tails; negatives]`: `b` heads, `b` tails, then `b·m` negatives, the
/// negatives of head i at rows i·m…(i+1)·m. Returns the mean over edges of
/// `log(1 + a·d²ᵇ)` (= −log q) for the edge plus `log(1 + 1/(a·d²ᵇ))` (= −log(1 − q)) for
/// each negative.
pub fn umap_loss(y: Tensor<2>, b: usize, m: usize, (a, bexp): (f32, f32)) -> Tensor<1> {
    let [_, out] = y.dims();
    let head = y.clone().narrow(0, 0, b);
    let tail = y.clone().narrow(0, b, b);
    let neg = y.narrow(0, 2 * b, b * m);
    let head_rep = head
        .clone()
        .unsqueeze_dim::<3>(1)
        .repeat_dim(1, m)
        .reshape([b * m, out]);
    let s = |d: Tensor<2>| {
        d.powi_scalar(2)
            .sum_dim(1)
            .add_scalar(D2_EPS)
            .powf_scalar(bexp)
            .mul_scalar(a)
    };
    let attract = s(head - tail).add_scalar(1.0).log().sum();
    let repel = s(head_rep - neg).recip().add_scalar(1.0).log().sum();
    (attract + repel).div_scalar(b as f32)
}

/// A manifold fit in progress: the network, its optimiser, and the graph it samples from.
pub struct ManifoldFit {
    config: ManifoldConfig,
    net: MapNet,
    optim: ModuleOptimizer,
    scaling: Scaling,
    /// Scaled inputs, row-major `rows × dim`.
    inputs: Vec<f32>,
    rows: usize,
    dim: usize,
    edges: Vec<(u32, u32)>,
    /// Running sums of the edge weights, for sampling ∝ weight.
    cumulative: Vec<f64>,
    rng: Rng,
    step: usize,
    total_steps: usize,
    device: Device,
}

/// A trained map on its own: scaling and network, to place any points of that embedding.
#[derive(Debug, Clone)]
pub struct Manifold {
    pub dims: Vec<usize>,
    pub scaling: Scaling,
    pub net: MapNet,
}

impl ManifoldFit {
    /// Neighbours and affinities of `z` (row-major `rows × dim`, `rows` > n_neighbors), and a
    /// fresh network on `device` (an autodiff device).
    pub fn new(z: &[f32], rows: usize, dim: usize, config: ManifoldConfig, device: Device) -> Self {
        let scaling = Scaling::fit(z, rows, dim);
        let mut inputs = z.to_vec();
        scaling.apply(&mut inputs);
        let k = config.n_neighbors.min(rows - 1);
        let graph: Affinities =
            fuzzy_affinities(&nearest_neighbours(&inputs, rows, dim, k, config.seed));
        let mut total = 0.0;
        let cumulative = graph
            .edges
            .iter()
            .map(|&(_, _, w)| {
                total += w as f64;
                total
            })
            .collect();
        let edges: Vec<(u32, u32)> = graph.edges.iter().map(|&(i, j, _)| (i, j)).collect();
        let total_steps = ((total * config.epochs as f64 / config.batch as f64).ceil() as usize)
            .clamp(config.min_steps.min(config.max_steps), config.max_steps);
        let mut rng = Rng::new(config.seed);
        let dims = [dim, config.hidden, config.hidden, config.out_dim];
        let net = MapNet::new(&dims, &device, &mut rng.fork());
        Self {
            net,
            optim: AdamConfig::new().init(),
            scaling,
            inputs,
            rows,
            dim,
            edges,
            cumulative,
            rng,
            step: 0,
            total_steps,
            device,
            config,
        }
    }

    pub fn done(&self) -> bool {
        self.step >= self.total_steps
    }
    pub fn progress(&self) -> f32 {
        self.step as f32 / self.total_steps as f32
    }
    pub fn total_steps(&self) -> usize {
        self.total_steps
    }

    fn sample_edge(&mut self) -> (u32, u32) {
        let total = *self.cumulative.last().expect("the graph has edges");
        let u = self.rng.next_f64() * total;
        let at = self
            .cumulative
            .partition_point(|&c| c <= u)
            .min(self.edges.len() - 1);
        self.edges[at]
    }

    /// Runs up to `n` batches; returns their mean loss (NaN when none ran).
    pub async fn steps(&mut self, n: usize) -> Result<f32, TrainError> {
        let (b, m) = (self.config.batch, self.config.negatives);
        let mut total: Option<Tensor<1>> = None;
        let mut ran = 0;
        while ran < n && !self.done() {
            let mut rows = Vec::with_capacity(b * (2 + m));
            let pairs: Vec<(u32, u32)> = (0..b).map(|_| self.sample_edge()).collect();
            rows.extend(pairs.iter().map(|p| p.0 as usize));
            rows.extend(pairs.iter().map(|p| p.1 as usize));
            rows.extend((0..b * m).map(|_| self.rng.below(self.rows)));
            let mut x = Vec::with_capacity(rows.len() * self.dim);
            for &r in &rows {
                x.extend_from_slice(&self.inputs[r * self.dim..(r + 1) * self.dim]);
            }
            let x =
                Tensor::<2>::from_data(TensorData::new(x, [rows.len(), self.dim]), &self.device);
            let loss = umap_loss(self.net.forward(x), b, m, self.config.ab);
            let grads = GradientsParams::from_grads(loss.backward(), &self.net);
            self.net = self.optim.step(self.config.lr, self.net.clone(), grads);
            let loss = loss.detach();
            total = Some(match total {
                Some(t) => t + loss,
                None => loss,
            });
            self.step += 1;
            ran += 1;
        }
        match total {
            None => Ok(f32::NAN),
            Some(t) => Ok(read_back(t).await?[0] / ran as f32),
        }
    }

    /// The fitted map, to place points.
    pub fn manifold(&self) -> Manifold {
        Manifold {
            dims: vec![
                self.dim,
                self.config.hidden,
                self.config.hidden,
                self.config.out_dim,
            ],
            scaling: self.scaling.clone(),
            net: self.net.clone(),
        }
    }
}

impl Manifold {
    /// Places row-major points of the embedding this map was fitted on: `rows × out`.
    pub async fn transform(&self, z: &[f32], device: &Device) -> Result<Vec<f32>, TrainError> {
        let dim = self.dims[0];
        let mut x = z.to_vec();
        self.scaling.apply(&mut x);
        let rows = x.len() / dim;
        let mut out = Vec::with_capacity(rows * self.dims.last().copied().unwrap_or(0));
        for start in (0..rows).step_by(8192) {
            let end = (start + 8192).min(rows);
            let t = Tensor::<2>::from_data(
                TensorData::new(x[start * dim..end * dim].to_vec(), [end - start, dim]),
                device,
            );
            out.extend(read_back(self.net.forward(t).detach()).await?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::block_on;

    #[test]
    fn loss_by_hand_on_one_edge_and_two_negatives() {
        // a = 1, b = 1: s(d²) = d² + ε. Edge at d² = 1: log(2 + ε). Negatives at d² = 4 and
        // 0: log(1 + 1/(4 + ε)) + log(1 + 1/ε).
        let ab = (1.0, 1.0);
        let want =
            (2.0f32 + D2_EPS).ln() + (1.0 + 1.0 / (4.0 + D2_EPS)).ln() + (1.0 + 1.0 / D2_EPS).ln();
        assert!((umap_pair_loss(1.0, &[4.0, 0.0], ab) - want).abs() < 1e-5);
        // The tensor version on points placed to give those distances.
        let device = Device::flex();
        let y = Tensor::<2>::from_data(
            TensorData::new(vec![0.0, 0.0, 1.0, 0.0, 2.0, 0.0, 0.0, 0.0], [4, 2]),
            &device,
        );
        let got = block_on(read_back(umap_loss(y, 1, 2, ab))).unwrap()[0];
        assert!((got - want).abs() < 1e-4, "{got} vs {want}");
    }

    #[test]
    fn neighbours_stay_together_in_the_map() {
        // Two far-apart clouds in 5-D: after fitting, each point's nearest map neighbour is
        // from its own cloud.
        let mut rng = Rng::new(1);
        let rows = 200;
        let z: Vec<f32> = (0..rows * 5)
            .map(|i| rng.normal() as f32 * 0.3 + if i / 5 < rows / 2 { 0.0 } else { 4.0 })
            .collect();
        let device = Device::flex().autodiff();
        let mut config = ManifoldConfig::map_2d(3);
        config.batch = 64;
        config.max_steps = 300;
        let mut fit = ManifoldFit::new(&z, rows, 5, config, device.clone());
        while !fit.done() {
            block_on(fit.steps(50)).unwrap();
        }
        let y = block_on(fit.manifold().transform(&z, &device)).unwrap();
        let mut kept = 0;
        for i in 0..rows {
            let nearest = (0..rows)
                .filter(|&j| j != i)
                .min_by(|&a, &b| {
                    let d = |j: usize| {
                        (y[2 * i] - y[2 * j]).powi(2) + (y[2 * i + 1] - y[2 * j + 1]).powi(2)
                    };
                    d(a).total_cmp(&d(b))
                })
                .unwrap();
            kept += ((nearest < rows / 2) == (i < rows / 2)) as usize;
        }
        assert!(kept as f64 >= 0.99 * rows as f64, "{kept} of {rows}");
    }
}
