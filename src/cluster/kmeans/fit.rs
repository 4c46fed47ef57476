use super::assign::{assign, assign_and_sum};
use super::{EmptyClusters, KMeansValidParams};
use crate::cluster::sq_dist;
use crate::rng::Rng;

/// A fitted k-means model.
#[derive(Debug, Clone)]
pub struct KMeans {
    centroids: Vec<f32>,
    k: usize,
    dim: usize,
    labels: Vec<u32>,
    inertia: f64,
    n_iter: usize,
    warnings: Vec<String>,
}

impl KMeansValidParams {
    /// Fits on row-major `rows × dim` data; keeps the best of `n_init` runs by inertia.
    pub fn fit(&self, data: &[f32], rows: usize, dim: usize) -> KMeans {
        assert_eq!(data.len(), rows * dim);
        let mut rng = Rng::new(self.seed);
        let mean_var = mean_variance(data, rows, dim);
        let mut best: Option<KMeans> = None;
        for _ in 0..self.n_init {
            let run = lloyd(data, rows, dim, self, mean_var, &mut rng.fork());
            if best.as_ref().is_none_or(|b| run.inertia < b.inertia) {
                best = Some(run);
            }
        }
        best.expect("n_init >= 1 is checked")
    }
}

impl KMeans {
    /// Row-major `n_clusters × dim`.
    pub fn centroids(&self) -> &[f32] {
        &self.centroids
    }
    pub fn n_clusters(&self) -> usize {
        self.k
    }
    /// Cluster of each training row.
    pub fn labels(&self) -> &[u32] {
        &self.labels
    }
    /// Sum of squared distances of rows to their centre.
    pub fn inertia(&self) -> f64 {
        self.inertia
    }
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }
    /// Set when clusters came up empty and had to be re-seeded.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    pub fn predict(&self, data: &[f32]) -> Vec<u32> {
        let rows = data.len() / self.dim;
        let (mut labels, mut dists) = (vec![0u32; rows], vec![0f32; rows]);
        assign(data, self.dim, &self.centroids, &mut labels, &mut dists);
        labels
    }

    /// Distance from every row to every centre, row-major `rows × n_clusters`.
    pub fn transform(&self, data: &[f32]) -> Vec<f32> {
        data.chunks_exact(self.dim)
            .flat_map(|x| {
                self.centroids
                    .chunks_exact(self.dim)
                    .map(move |c| sq_dist(x, c).sqrt())
            })
            .collect()
    }
}

fn mean_variance(data: &[f32], rows: usize, dim: usize) -> f64 {
    let mut total = 0.0;
    for c in 0..dim {
        let mean = (0..rows).map(|r| data[r * dim + c] as f64).sum::<f64>() / rows as f64;
        total += (0..rows)
            .map(|r| (data[r * dim + c] as f64 - mean).powi(2))
            .sum::<f64>()
            / rows as f64;
    }
    total / dim.max(1) as f64
}

/// k-means++: each new centre is drawn with probability proportional to its squared
/// distance from the centres chosen so far.
fn plus_plus(data: &[f32], rows: usize, dim: usize, k: usize, rng: &mut Rng) -> Vec<f32> {
    let mut centroids = Vec::with_capacity(k * dim);
    let first = rng.below(rows);
    centroids.extend_from_slice(&data[first * dim..(first + 1) * dim]);
    let mut d2: Vec<f64> = data
        .chunks_exact(dim)
        .map(|x| sq_dist(x, &centroids[..dim]) as f64)
        .collect();
    for _ in 1..k {
        let total: f64 = d2.iter().sum();
        let pick = if total > 0.0 {
            let mut target = rng.next_f64() * total;
            d2.iter()
                .position(|&d| {
                    target -= d;
                    target < 0.0
                })
                .unwrap_or(rows - 1)
        } else {
            rng.below(rows) // every point sits on a centre already: any choice is as good
        };
        let c = &data[pick * dim..(pick + 1) * dim];
        centroids.extend_from_slice(c);
        for (d, x) in d2.iter_mut().zip(data.chunks_exact(dim)) {
            *d = d.min(sq_dist(x, c) as f64);
        }
    }
    centroids
}

/// The point worst served by its own centre (scikit-learn's choice for an empty cluster).
fn farthest_from_own_centre(data: &[f32], dim: usize, centroids: &[f32], labels: &[u32]) -> usize {
    let cost = |a: usize| {
        sq_dist(
            &data[a * dim..][..dim],
            &centroids[labels[a] as usize * dim..][..dim],
        )
    };
    (0..labels.len())
        .max_by(|&a, &b| cost(a).total_cmp(&cost(b)))
        .unwrap_or(0)
}

/// faiss's remedy as DeepCluster uses it: empty cluster `j` takes the centre of a random
/// non-empty cluster (chosen in proportion to its size), and the two copies move apart by a
/// relative 1/1024 so that the next assignment splits that cluster's points between them.
fn split_perturbed(
    centroids: &mut [f32],
    sums: &[f64],
    counts: &[usize],
    j: usize,
    dim: usize,
    rng: &mut Rng,
) {
    let total: usize = counts.iter().sum();
    let mut target = rng.below(total.max(1));
    let donor = counts.iter().position(|&c| {
        if target < c {
            return true;
        }
        target -= c;
        false
    });
    let Some(donor) = donor.filter(|&d| d != j) else {
        return;
    };
    const EPS: f32 = 1.0 / 1024.0;
    for c in 0..dim {
        let centre = (sums[donor * dim + c] / counts[donor] as f64) as f32;
        let (up, down) = if c % 2 == 0 {
            (1.0 + EPS, 1.0 - EPS)
        } else {
            (1.0 - EPS, 1.0 + EPS)
        };
        centroids[j * dim + c] = centre * up;
        centroids[donor * dim + c] = centre * down;
    }
}

fn lloyd(
    data: &[f32],
    rows: usize,
    dim: usize,
    params: &KMeansValidParams,
    mean_var: f64,
    rng: &mut Rng,
) -> KMeans {
    let k = params.n_clusters;
    let mut centroids = plus_plus(data, rows, dim, k, rng);
    let mut labels = vec![0u32; rows];
    let mut dists = vec![0f32; rows];
    let mut warnings = Vec::new();
    let mut n_iter = 0;
    for iter in 1..=params.max_iter {
        n_iter = iter;
        let (sums, counts) = assign_and_sum(data, dim, &centroids, &mut labels, &mut dists);
        let mut new_centroids = vec![0f32; k * dim];
        for j in (0..k).filter(|&j| counts[j] > 0) {
            for (c, s) in new_centroids[j * dim..][..dim]
                .iter_mut()
                .zip(&sums[j * dim..][..dim])
            {
                *c = (*s / counts[j] as f64) as f32;
            }
        }
        // Empty clusters after the means, so a split donor's centre is not overwritten.
        for j in (0..k).filter(|&j| counts[j] == 0) {
            match params.empty_clusters {
                EmptyClusters::FarthestPoint => {
                    let far = farthest_from_own_centre(data, dim, &centroids, &labels);
                    new_centroids[j * dim..][..dim].copy_from_slice(&data[far * dim..][..dim]);
                }
                EmptyClusters::SplitPerturbed => {
                    split_perturbed(&mut new_centroids, &sums, &counts, j, dim, rng)
                }
            }
            warnings.push(format!("cluster {j} became empty at iteration {iter} and was re-seeded; the data may hold fewer than {k} clusters"));
        }
        let shift: f64 = centroids
            .iter()
            .zip(&new_centroids)
            .map(|(a, b)| ((a - b) as f64).powi(2))
            .sum();
        centroids = new_centroids;
        if shift <= params.tol * mean_var {
            break;
        }
    }
    assign(data, dim, &centroids, &mut labels, &mut dists);
    let inertia = dists.iter().map(|&d| d as f64).sum();
    KMeans {
        centroids,
        k,
        dim,
        labels,
        inertia,
        n_iter,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::super::KMeansParams;

    #[test]
    fn four_points_two_clusters() {
        // Two tight pairs far apart: the only sensible split is {0,1} vs {2,3}.
        let data = [0.0, 0.0, 0.0, 1.0, 10.0, 0.0, 10.0, 1.0];
        let km = KMeansParams::new(2)
            .n_init(3)
            .seed(1)
            .check(4)
            .unwrap()
            .fit(&data, 4, 2);
        let l = km.labels();
        assert_eq!(l[0], l[1]);
        assert_eq!(l[2], l[3]);
        assert_ne!(l[0], l[2]);
        assert!(
            (km.inertia() - 1.0).abs() < 1e-9,
            "inertia {}",
            km.inertia()
        );
        let c = &km.centroids()[l[0] as usize * 2..][..2];
        assert_eq!(c, [0.0, 0.5]);
        assert_eq!(km.predict(&[9.0, 9.0]), vec![l[2]]);
        let d = km.transform(&[0.0, 0.5]);
        assert_eq!(d[l[0] as usize], 0.0);
        assert!((d[l[2] as usize] - 10.0).abs() < 1e-6);
    }

    #[test]
    fn same_seed_same_result() {
        let data: Vec<f32> = (0..200).map(|i| ((i * 37) % 101) as f32).collect();
        let a = KMeansParams::new(4)
            .seed(5)
            .check(100)
            .unwrap()
            .fit(&data, 100, 2);
        let b = KMeansParams::new(4)
            .seed(5)
            .check(100)
            .unwrap()
            .fit(&data, 100, 2);
        assert_eq!(a.labels(), b.labels());
        assert_eq!(a.centroids(), b.centroids());
    }

    #[test]
    fn duplicate_points_collapse_clusters_with_a_warning() {
        // 3 clusters asked of 2 distinct values: one cluster must come up empty.
        let data = [0.0, 0.0, 0.0, 5.0, 5.0, 5.0];
        let km = KMeansParams::new(3)
            .n_init(1)
            .max_iter(5)
            .check(6)
            .unwrap()
            .fit(&data, 6, 1);
        assert!(km.inertia() < 1e-9);
        assert!(!km.warnings().is_empty());
    }

    #[test]
    fn split_perturbed_puts_a_donor_copy_next_to_the_donor() {
        use super::super::EmptyClusters;
        // Data in two tight groups; 3 clusters: the empty one must end next to a group.
        let data = [0.0, 0.1, 0.2, 10.0, 10.1, 10.2];
        let km = KMeansParams::new(3)
            .n_init(1)
            .empty_clusters(EmptyClusters::SplitPerturbed)
            .check(6)
            .unwrap()
            .fit(&data, 6, 1);
        for c in km.centroids() {
            assert!(
                c.abs() < 1.0 || (c - 10.0).abs() < 1.0,
                "centre {c} is a perturbed copy of a group centre"
            );
        }
        assert!(km.inertia() <= 0.04 + 1e-6);
    }
}
