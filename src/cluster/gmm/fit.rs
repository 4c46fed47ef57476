use super::{Covariance, GmmValidParams};
use crate::cluster::kmeans::KMeansParams;
use crate::rng::Rng;

const LN_2PI: f64 = 1.837_877_066_409_345_5;

/// Responsibilities below this are treated as zero in the M-step: they change nothing
/// measurable and skipping them makes full covariances affordable.
const NEGLIGIBLE: f64 = 1e-10;

#[derive(Debug, Clone)]
enum Spread {
    /// `k × d` variances.
    Diagonal(Vec<f64>),
    /// `k` lower-triangular Cholesky factors of the covariances, each `d × d` row-major.
    Full(Vec<f64>),
}

/// A fitted Gaussian mixture.
#[derive(Debug, Clone)]
pub struct GaussianMixture {
    k: usize,
    dim: usize,
    weights: Vec<f64>,
    means: Vec<f64>,
    spread: Spread,
    labels: Vec<u32>,
    responsibilities: Vec<f32>,
    lower_bound: f64,
    n_iter: usize,
    converged: bool,
    warnings: Vec<String>,
}

impl GmmValidParams {
    /// Fits on row-major `rows × dim` data; keeps the best of `n_init` runs by likelihood.
    pub fn fit(&self, data: &[f32], rows: usize, dim: usize) -> GaussianMixture {
        assert_eq!(data.len(), rows * dim);
        let x: Vec<f64> = data.iter().map(|&v| v as f64).collect();
        let mut rng = Rng::new(self.seed);
        let mut best: Option<GaussianMixture> = None;
        for _ in 0..self.n_init {
            let run = em(data, &x, rows, dim, self, rng.next_u64());
            if best
                .as_ref()
                .is_none_or(|b| run.lower_bound > b.lower_bound)
            {
                best = Some(run);
            }
        }
        best.expect("n_init >= 1 is checked")
    }
}

fn em(
    data: &[f32],
    x: &[f64],
    rows: usize,
    dim: usize,
    params: &GmmValidParams,
    seed: u64,
) -> GaussianMixture {
    let k = params.n_components;
    let km = KMeansParams::new(k)
        .n_init(1)
        .seed(seed)
        .check(rows)
        .expect("k ≤ rows is checked")
        .fit(data, rows, dim);
    let mut resp = vec![0.0; rows * k];
    for (i, &l) in km.labels().iter().enumerate() {
        resp[i * k + l as usize] = 1.0;
    }
    let mut model = GaussianMixture {
        k,
        dim,
        weights: Vec::new(),
        means: Vec::new(),
        spread: Spread::Diagonal(Vec::new()),
        labels: Vec::new(),
        responsibilities: Vec::new(),
        lower_bound: f64::NEG_INFINITY,
        n_iter: 0,
        converged: false,
        warnings: Vec::new(),
    };
    model.m_step(x, &resp, rows, params.covariance, params.reg_covar);
    for iter in 1..=params.max_iter {
        let (r, ll) = model.e_step(x, rows);
        resp = r;
        model.m_step(x, &resp, rows, params.covariance, params.reg_covar);
        model.n_iter = iter;
        let improved = ll - model.lower_bound;
        model.lower_bound = ll;
        if improved.abs() < params.tol {
            model.converged = true;
            break;
        }
    }
    // Labels from the final parameters, as scikit-learn does.
    let (resp, ll) = model.e_step(x, rows);
    model.lower_bound = ll;
    model.labels = resp.chunks_exact(k).map(argmax).collect();
    model.responsibilities = resp.iter().map(|&r| r as f32).collect();
    if !model.converged {
        model.warnings.push(format!(
            "EM did not converge in {} iterations; the result may still be usable",
            params.max_iter
        ));
    }
    for (j, &w) in model.weights.iter().enumerate() {
        if w < 0.005 {
            model.warnings.push(format!(
                "component {j} holds only {:.2}% of the points",
                w * 100.0
            ));
        }
    }
    model
}

fn argmax(row: &[f64]) -> u32 {
    row.iter()
        .enumerate()
        .fold(
            (0, f64::NEG_INFINITY),
            |b, (j, &v)| if v > b.1 { (j, v) } else { b },
        )
        .0 as u32
}

/// Everything a fitted mixture needs to place new rows, for saving it.
#[derive(Debug, Clone, PartialEq)]
pub struct MixtureParts {
    pub k: usize,
    pub dim: usize,
    pub weights: Vec<f64>,
    /// Row-major `k × dim`.
    pub means: Vec<f64>,
    pub covariance: Covariance,
    /// `k × dim` variances (diagonal), or `k` row-major `dim × dim` lower-triangular Cholesky
    /// factors of the covariances (full).
    pub spread: Vec<f64>,
}

impl GaussianMixture {
    pub fn parts(&self) -> MixtureParts {
        let (covariance, spread) = match &self.spread {
            Spread::Diagonal(v) => (Covariance::Diagonal, v.clone()),
            Spread::Full(c) => (Covariance::Full, c.clone()),
        };
        MixtureParts {
            k: self.k,
            dim: self.dim,
            weights: self.weights.clone(),
            means: self.means.clone(),
            covariance,
            spread,
        }
    }

    /// A mixture that can [`predict`](Self::predict); its training-time accessors are empty.
    /// `None` when the sizes disagree.
    pub fn from_parts(p: MixtureParts) -> Option<Self> {
        let spread_len = match p.covariance {
            Covariance::Diagonal => p.k * p.dim,
            Covariance::Full => p.k * p.dim * p.dim,
        };
        if p.k == 0
            || p.weights.len() != p.k
            || p.means.len() != p.k * p.dim
            || p.spread.len() != spread_len
        {
            return None;
        }
        Some(Self {
            k: p.k,
            dim: p.dim,
            weights: p.weights,
            means: p.means,
            spread: match p.covariance {
                Covariance::Diagonal => Spread::Diagonal(p.spread),
                Covariance::Full => Spread::Full(p.spread),
            },
            labels: Vec::new(),
            responsibilities: Vec::new(),
            lower_bound: f64::NAN,
            n_iter: 0,
            converged: true,
            warnings: Vec::new(),
        })
    }

    pub fn n_components(&self) -> usize {
        self.k
    }
    /// Mixing weights π_j, summing to 1.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }
    /// Row-major `k × dim`.
    pub fn means(&self) -> &[f64] {
        &self.means
    }
    /// Component of each training row (highest responsibility).
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }
    /// Row-major `rows × k` posterior probabilities of the training rows.
    pub fn responsibilities(&self) -> &[f32] {
        &self.responsibilities
    }
    /// Mean log-likelihood per training row.
    pub fn lower_bound(&self) -> f64 {
        self.lower_bound
    }
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }
    pub fn converged(&self) -> bool {
        self.converged
    }
    /// Non-convergence and nearly empty components.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Posterior probabilities, row-major `rows × k`, for row-major `rows × dim` data.
    pub fn predict_proba(&self, data: &[f32]) -> Vec<f32> {
        let x: Vec<f64> = data.iter().map(|&v| v as f64).collect();
        self.e_step(&x, data.len() / self.dim)
            .0
            .iter()
            .map(|&r| r as f32)
            .collect()
    }

    pub fn predict(&self, data: &[f32]) -> Vec<u32> {
        let x: Vec<f64> = data.iter().map(|&v| v as f64).collect();
        self.e_step(&x, data.len() / self.dim)
            .0
            .chunks_exact(self.k)
            .map(argmax)
            .collect()
    }

    /// log N(x | μ_j, Σ_j).
    fn log_density(&self, x: &[f64], j: usize) -> f64 {
        let d = self.dim;
        let mu = &self.means[j * d..(j + 1) * d];
        match &self.spread {
            Spread::Diagonal(var) => {
                let var = &var[j * d..(j + 1) * d];
                let (mut log_det, mut maha) = (0.0, 0.0);
                for ((&xi, &m), &v) in x.iter().zip(mu).zip(var) {
                    log_det += v.ln();
                    maha += (xi - m) * (xi - m) / v;
                }
                -0.5 * (d as f64 * LN_2PI + log_det + maha)
            }
            Spread::Full(chol) => {
                let l = &chol[j * d * d..(j + 1) * d * d];
                // Solve L y = x − μ; then (x−μ)ᵀ Σ⁻¹ (x−μ) = ‖y‖².
                let mut y = vec![0.0; d];
                let (mut log_det, mut maha) = (0.0, 0.0);
                for r in 0..d {
                    let s: f64 = (0..r).map(|c| l[r * d + c] * y[c]).sum();
                    y[r] = (x[r] - mu[r] - s) / l[r * d + r];
                    maha += y[r] * y[r];
                    log_det += 2.0 * l[r * d + r].ln();
                }
                -0.5 * (d as f64 * LN_2PI + log_det + maha)
            }
        }
    }

    /// Responsibilities and the mean log-likelihood.
    fn e_step(&self, x: &[f64], rows: usize) -> (Vec<f64>, f64) {
        let (k, d) = (self.k, self.dim);
        let mut resp = vec![0.0; rows * k];
        let mut total = 0.0;
        for i in 0..rows {
            let row = &mut resp[i * k..(i + 1) * k];
            for (j, r) in row.iter_mut().enumerate() {
                *r = self.weights[j].ln() + self.log_density(&x[i * d..(i + 1) * d], j);
            }
            let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let log_norm = max + row.iter().map(|&v| (v - max).exp()).sum::<f64>().ln();
            row.iter_mut().for_each(|v| *v = (*v - log_norm).exp());
            total += log_norm;
        }
        (resp, total / rows as f64)
    }

    fn m_step(&mut self, x: &[f64], resp: &[f64], rows: usize, covariance: Covariance, reg: f64) {
        let (k, d) = (self.k, self.dim);
        // The 10·ε keeps an emptied component's statistics finite, as scikit-learn does.
        let mut nk = vec![10.0 * f64::EPSILON; k];
        let mut means = vec![0.0; k * d];
        for i in 0..rows {
            for j in 0..k {
                let r = resp[i * k + j];
                if r > NEGLIGIBLE {
                    nk[j] += r;
                    for c in 0..d {
                        means[j * d + c] += r * x[i * d + c];
                    }
                }
            }
        }
        for j in 0..k {
            means[j * d..(j + 1) * d]
                .iter_mut()
                .for_each(|m| *m /= nk[j]);
        }
        let spread = match covariance {
            Covariance::Diagonal => {
                let mut var = vec![0.0; k * d];
                for i in 0..rows {
                    for j in 0..k {
                        let r = resp[i * k + j];
                        if r > NEGLIGIBLE {
                            for c in 0..d {
                                let diff = x[i * d + c] - means[j * d + c];
                                var[j * d + c] += r * diff * diff;
                            }
                        }
                    }
                }
                for j in 0..k {
                    var[j * d..(j + 1) * d]
                        .iter_mut()
                        .for_each(|v| *v = *v / nk[j] + reg);
                }
                Spread::Diagonal(var)
            }
            Covariance::Full => {
                let mut chol = vec![0.0; k * d * d];
                let mut diff = vec![0.0; d];
                for j in 0..k {
                    let mut cov = vec![0.0; d * d];
                    for i in 0..rows {
                        let r = resp[i * k + j];
                        if r <= NEGLIGIBLE {
                            continue;
                        }
                        for c in 0..d {
                            diff[c] = x[i * d + c] - means[j * d + c];
                        }
                        for a in 0..d {
                            let ra = r * diff[a];
                            for b in 0..=a {
                                cov[a * d + b] += ra * diff[b];
                            }
                        }
                    }
                    for a in 0..d {
                        for b in 0..=a {
                            cov[a * d + b] /= nk[j];
                        }
                    }
                    chol[j * d * d..(j + 1) * d * d]
                        .copy_from_slice(&regularised_cholesky(&cov, d, reg));
                }
                Spread::Full(chol)
            }
        };
        self.weights = nk.iter().map(|n| n / rows as f64).collect();
        self.means = means;
        self.spread = spread;
    }
}

/// Cholesky factor of `cov + reg·I` (only the lower triangle of `cov` is read). A covariance
/// that is singular, e.g. from a constant embedding dimension, gets more regularisation until
/// it factors.
fn regularised_cholesky(cov: &[f64], d: usize, reg: f64) -> Vec<f64> {
    let mut reg = reg.max(1e-12);
    loop {
        if let Some(l) = cholesky(cov, d, reg) {
            return l;
        }
        reg *= 10.0;
    }
}

fn cholesky(cov: &[f64], d: usize, reg: f64) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for r in 0..d {
        for c in 0..=r {
            let s: f64 = (0..c).map(|m| l[r * d + m] * l[c * d + m]).sum();
            if r == c {
                let v = cov[r * d + r] + reg - s;
                if !(v > 0.0 && v.is_finite()) {
                    return None;
                }
                l[r * d + r] = v.sqrt();
            } else {
                l[r * d + c] = (cov[r * d + c] - s) / l[c * d + c];
            }
        }
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cluster::gmm::GmmParams;

    #[test]
    fn cholesky_of_a_known_matrix() {
        // [[4, 2], [2, 3]] = L Lᵀ with L = [[2, 0], [1, √2]].
        let l = cholesky(&[4.0, 0.0, 2.0, 3.0], 2, 0.0).unwrap();
        assert!(
            (l[0] - 2.0).abs() < 1e-12
                && l[1] == 0.0
                && (l[2] - 1.0).abs() < 1e-12
                && (l[3] - 2f64.sqrt()).abs() < 1e-12
        );
        assert!(
            cholesky(&[1.0, 0.0, 1.0, 1.0], 2, 0.0).is_none(),
            "singular"
        );
    }

    #[test]
    fn one_component_recovers_mean_and_variance() {
        // Points 0, 2 in x and 1, 1 in y: mean (1, 1), variances (1, 0 + reg).
        let gm = GmmParams::new(1)
            .check(2, 2)
            .unwrap()
            .fit(&[0.0, 1.0, 2.0, 1.0], 2, 2);
        assert!(
            gm.means().iter().all(|m| (m - 1.0).abs() < 1e-12),
            "{:?}",
            gm.means()
        );
        let Spread::Diagonal(var) = &gm.spread else {
            panic!()
        };
        assert!(
            (var[0] - 1.0).abs() < 1e-5 && (var[1] - 1e-6).abs() < 1e-12,
            "{var:?}"
        );
        // log N((0,1)) = −½(2 ln 2π + ln 1 + ln 1e-6 + 1)
        let want = -0.5 * (2.0 * LN_2PI + (1e-6f64 + 1.0).ln() + 1e-6f64.ln() + 1.0 / (1.0 + 1e-6));
        assert!(
            (gm.lower_bound() - want).abs() < 1e-6,
            "{} vs {want}",
            gm.lower_bound()
        );
    }

    fn two_blobs() -> (Vec<f32>, Vec<u32>) {
        let mut rng = Rng::new(1);
        let mut data = Vec::new();
        let mut truth = Vec::new();
        for i in 0..200 {
            let c = (i % 2) as f32;
            // Elongated, correlated blobs: full covariance has something to model.
            let t = rng.normal() as f32;
            data.extend([
                c * 6.0 + t * 2.0,
                c * 6.0 + t * 2.0 + 0.3 * rng.normal() as f32,
            ]);
            truth.push(i % 2);
        }
        (data, truth)
    }

    #[test]
    fn separates_two_blobs_with_either_covariance() {
        let (data, truth) = two_blobs();
        for cov in [Covariance::Diagonal, Covariance::Full] {
            let gm = GmmParams::new(2)
                .covariance(cov)
                .check(200, 2)
                .unwrap()
                .fit(&data, 200, 2);
            let acc = crate::metrics::accuracy(&truth, gm.labels());
            assert!(acc > 0.9, "{cov:?}: ACC {acc}");
            assert!((gm.weights().iter().sum::<f64>() - 1.0).abs() < 1e-9);
            assert_eq!(gm.predict(&data), gm.labels());
            let p = gm.predict_proba(&data[..2]);
            assert!((p[0] + p[1] - 1.0).abs() < 1e-5);
        }
        let diag = GmmParams::new(2).check(200, 2).unwrap().fit(&data, 200, 2);
        let full = GmmParams::new(2)
            .covariance(Covariance::Full)
            .check(200, 2)
            .unwrap()
            .fit(&data, 200, 2);
        assert!(
            full.lower_bound() > diag.lower_bound(),
            "correlated data: full covariance fits better"
        );
    }
}
