//! k nearest neighbours of every point: exact on small sets, NN-descent (Dong, Moses & Li,
//! WWW 2011) on large ones, where n² distances would be far too slow for a browser tab
//! (measurements: docs/DECISIONS.md, "Exact neighbour search on small sets").

use crate::cluster::sq_dist;
use crate::rng::Rng;

/// Up to this many points the search is exact: n² distances are still quick (measurements:
/// docs/DECISIONS.md, "Exact neighbour search on small sets").
pub const EXACT_LIMIT: usize = 6000;

/// Each point's `k` nearest other points, nearest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbours {
    pub k: usize,
    /// Row-major `rows × k` point indices.
    pub indices: Vec<u32>,
    /// Row-major `rows × k` Euclidean distances, ascending per row.
    pub distances: Vec<f32>,
}

impl Neighbours {
    pub fn rows(&self) -> usize {
        self.indices.len() / self.k.max(1)
    }
}

/// The `k` nearest neighbours of each of the `rows × dim` points (`k < rows`). Exact up to
/// [`EXACT_LIMIT`] points, NN-descent (seeded) beyond.
pub fn nearest_neighbours(
    data: &[f32],
    rows: usize,
    dim: usize,
    k: usize,
    seed: u64,
) -> Neighbours {
    assert!(k >= 1 && k < rows, "need 1 ≤ k < rows");
    if rows <= EXACT_LIMIT {
        exact(data, rows, dim, k)
    } else {
        nn_descent(data, rows, dim, k, seed)
    }
}

/// A point's neighbour list under construction: (squared distance, index, new?) sorted by
/// distance, at most `k` long.
#[derive(Clone)]
struct List(Vec<(f32, u32, bool)>);

impl List {
    /// Inserts `j` if it is closer than the worst and not present; true when it changed.
    fn offer(&mut self, k: usize, d: f32, j: u32) -> bool {
        if self.0.len() == k && d >= self.0[k - 1].0 {
            return false;
        }
        if self.0.iter().any(|&(_, i, _)| i == j) {
            return false;
        }
        let at = self.0.partition_point(|&(e, _, _)| e <= d);
        self.0.insert(at, (d, j, true));
        self.0.truncate(k);
        true
    }
}

fn point(data: &[f32], dim: usize, i: usize) -> &[f32] {
    &data[i * dim..(i + 1) * dim]
}

fn finish(lists: Vec<List>, k: usize) -> Neighbours {
    let mut indices = Vec::with_capacity(lists.len() * k);
    let mut distances = Vec::with_capacity(lists.len() * k);
    for l in lists {
        for &(d, j, _) in &l.0 {
            indices.push(j);
            distances.push(d.sqrt());
        }
    }
    Neighbours {
        k,
        indices,
        distances,
    }
}

fn exact(data: &[f32], rows: usize, dim: usize, k: usize) -> Neighbours {
    let lists = (0..rows)
        .map(|i| {
            let xi = point(data, dim, i);
            let mut l = List(Vec::with_capacity(k + 1));
            for j in (0..rows).filter(|&j| j != i) {
                l.offer(k, sq_dist(xi, point(data, dim, j)), j as u32);
            }
            l
        })
        .collect();
    finish(lists, k)
}

/// The `k` nearest of the `reference` points (row-major, `dim` wide) to each query point,
/// by exhaustive search: placing new points is done for far fewer points than a fit.
pub fn nearest_in(reference: &[f32], queries: &[f32], dim: usize, k: usize) -> Neighbours {
    let rows = reference.len() / dim;
    assert!(k >= 1 && k <= rows, "need 1 ≤ k ≤ reference rows");
    let lists = queries
        .chunks_exact(dim)
        .map(|q| {
            let mut l = List(Vec::with_capacity(k + 1));
            for j in 0..rows {
                l.offer(k, sq_dist(q, point(reference, dim, j)), j as u32);
            }
            l
        })
        .collect();
    finish(lists, k)
}

/// NN-descent: start from random neighbours and repeatedly try the neighbours of neighbours
/// (in both directions), until fewer than 0.1% of the entries change in a round.
fn nn_descent(data: &[f32], rows: usize, dim: usize, k: usize, seed: u64) -> Neighbours {
    let mut rng = Rng::new(seed);
    let mut lists: Vec<List> = (0..rows)
        .map(|i| {
            let mut l = List(Vec::with_capacity(k + 1));
            while l.0.len() < k {
                let j = rng.below(rows);
                if j != i {
                    l.offer(
                        k,
                        sq_dist(point(data, dim, i), point(data, dim, j)),
                        j as u32,
                    );
                }
            }
            l
        })
        .collect();
    for _round in 0..30 {
        // New and old neighbours, forward and reverse (reverse lists capped at k, sampled).
        let mut new: Vec<Vec<u32>> = vec![Vec::new(); rows];
        let mut old: Vec<Vec<u32>> = vec![Vec::new(); rows];
        for (i, l) in lists.iter_mut().enumerate() {
            for e in l.0.iter_mut() {
                let (j, is_new) = (e.1, e.2);
                e.2 = false;
                let lists_of = if is_new { &mut new } else { &mut old };
                lists_of[i].push(j);
                let reverse = &mut lists_of[j as usize];
                if reverse.len() < k {
                    reverse.push(i as u32);
                } else {
                    let at = rng.below(2 * k);
                    if at < k {
                        reverse[at] = i as u32;
                    }
                }
            }
        }
        let mut changes = 0usize;
        for i in 0..rows {
            let (n, o) = (&new[i], &old[i]);
            for (a, &u) in n.iter().enumerate() {
                for &v in n[a + 1..].iter().chain(o.iter()) {
                    if u == v {
                        continue;
                    }
                    let d = sq_dist(point(data, dim, u as usize), point(data, dim, v as usize));
                    changes += lists[u as usize].offer(k, d, v) as usize;
                    changes += lists[v as usize].offer(k, d, u) as usize;
                }
            }
        }
        if (changes as f64) < 0.001 * (rows * k) as f64 {
            break;
        }
    }
    finish(lists, k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cloud(rows: usize, dim: usize, seed: u64) -> Vec<f32> {
        let mut rng = Rng::new(seed);
        (0..rows * dim).map(|_| rng.normal() as f32).collect()
    }

    #[test]
    fn exact_search_on_a_line() {
        let data = [0.0, 1.0, 3.0, 7.0];
        let n = nearest_neighbours(&data, 4, 1, 2, 0);
        assert_eq!(n.indices, [1, 2, 0, 2, 1, 0, 2, 1]);
        assert_eq!(n.distances, [1.0, 3.0, 1.0, 2.0, 2.0, 3.0, 4.0, 6.0]);
        assert_eq!(n.rows(), 4);
    }

    #[test]
    fn queries_find_reference_points_nearest_first() {
        let reference = [0.0, 1.0, 3.0, 7.0];
        let n = nearest_in(&reference, &[2.9, 1.0], 1, 2);
        assert_eq!(n.indices, [2, 1, 1, 0]);
        assert_eq!(n.distances[2..], [0.0, 1.0]);
        assert!((n.distances[0] - 0.1).abs() < 1e-6 && (n.distances[1] - 1.9).abs() < 1e-6);
    }

    #[test]
    fn nn_descent_finds_almost_all_true_neighbours() {
        let (rows, dim, k) = (3000, 8, 10);
        let data = cloud(rows, dim, 4);
        let truth = exact(&data, rows, dim, k);
        let approx = nn_descent(&data, rows, dim, k, 9);
        let mut hits = 0;
        for i in 0..rows {
            let t = &truth.indices[i * k..(i + 1) * k];
            hits += approx.indices[i * k..(i + 1) * k]
                .iter()
                .filter(|j| t.contains(j))
                .count();
        }
        let recall = hits as f64 / (rows * k) as f64;
        assert!(recall > 0.95, "recall {recall}");
        for row in approx.distances.chunks_exact(k) {
            assert!(row.windows(2).all(|w| w[0] <= w[1]));
        }
        assert_eq!(approx, nn_descent(&data, rows, dim, k, 9), "seeded");
    }
}
